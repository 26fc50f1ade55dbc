// The charsheet CLI as a user runs it: the built bin spawned against a running service, judged by its exit
// code, its --json lines and its progress output, and by what the service holds afterwards.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CharacterDocument, CharactersDocument } from '../../src/generated/graphql/graphql.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { PNG_SIGNATURE, unzip } from '../exports/support/unzip.js';
import { type CliEvent, jsonLines, runCli } from './support.js';

const ofKind = (events: CliEvent[], kind: string) => events.filter((event) => event.event === kind);

describe('charsheet CLI', () => {
  let service: TestService;
  let folder: string;
  let env: Record<string, string>;
  let characterId: string;
  beforeAll(async () => {
    service = await startTestService();
    folder = await mkdtemp(path.join(tmpdir(), 'charsheet-cli-'));
    env = { CHARSHEET_URL: service.url };
  });
  afterAll(async () => {
    await service?.destroy();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('creates a JSONL batch: broken and refused lines are reported by number, the good ones are created and followed to 100 %', async () => {
    const file = path.join(folder, 'cast.jsonl');
    await writeFile(
      file,
      [
        '{"name": "Ada", "traits": {"hair": "red"}, "seed": 1}',
        '{"name": "Brann", "style": "watercolor"}',
        '{"name": "Cid" oops',
        '{"name": "../Dov"}',
        '{"name": "Eve", "traits": [{"key": "eyes", "value": "green"}]}',
        '',
        '{"name": "Fay", "description": "a smith"}',
        '{"name": "Gus"}',
      ].join('\n'),
    );
    const run = await runCli(['create', '--file', file, '--json', '--chunk-size', '3'], env);
    expect(run.code).toBe(1);

    const problems = jsonLines(run.stderr);
    expect(problems).toEqual([
      { event: 'invalid-line', line: 3, message: 'not valid JSON' },
      expect.objectContaining({ event: 'failed', line: 4, code: 'BAD_USER_INPUT', field: 'name' }),
    ]);
    const events = jsonLines(run.stdout);
    const created = ofKind(events, 'created');
    expect(created.map((event) => [event.line, event.name])).toEqual([
      [1, 'Ada'],
      [2, 'Brann'],
      [5, 'Eve'],
      [7, 'Fay'],
      [8, 'Gus'],
    ]);
    const sets = ofKind(events, 'set');
    expect(sets).toHaveLength(5);
    expect(sets.every((set) => set.status === 'completed' && set.completed === 10)).toBe(true);
    const overall = ofKind(events, 'overall');
    expect(overall.map((event) => event.percent)).toEqual([...overall.map((event) => event.percent)].sort((a, b) => Number(a) - Number(b)));
    expect(overall.at(-1)).toMatchObject({ percent: 100, setsEnded: 5, sets: 5, finished: 50, total: 50 });
    expect(events.at(-1)).toEqual({ event: 'summary', created: 5, failed: 2, setsCompleted: 5, setsFailed: 0 });

    const client = new GraphQLTestClient(service.url);
    const { characters } = await client.request(CharactersDocument, {});
    expect(characters.map((character) => character.name).sort()).toEqual(['Ada', 'Brann', 'Eve', 'Fay', 'Gus']);
    characterId = String(created[0]?.characterId);
  });

  it('creates one character from flags, showing progress up to 100 % and exiting 0', async () => {
    const run = await runCli(['create', '--name', 'Hana', '--trait', 'hair=black', '--style', 'ink'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/created Hana \([0-9a-f]{24}\)/);
    expect(run.stdout).toMatch(/✔ Hana .*completed, 10\/10 images/);
    expect(run.stderr).toMatch(/overall: 100% \(10\/10 images, 1\/1 sets done\)/);
  });

  it('reads a CSV batch, other columns becoming traits', async () => {
    const file = path.join(folder, 'cast.csv');
    await writeFile(file, 'name,hair,seed\nIvo,silver,5\nJun,teal,not-a-number\n');
    const run = await runCli(['--json', 'create', '--file', file, '--no-wait'], env);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stderr)).toEqual([expect.objectContaining({ event: 'invalid-line', line: 3, message: expect.stringContaining('seed') })]);
    expect(ofKind(jsonLines(run.stdout), 'created').map((event) => event.name)).toEqual(['Ivo']);
  });

  it('shows the status of a set and watches it to its end', async () => {
    const status = await runCli(['status', characterId, '--json'], env);
    expect(status.code).toBe(0);
    const [report] = jsonLines(status.stdout);
    expect(report).toMatchObject({ event: 'status', characterId, status: 'completed', completed: 10, failed: 0, total: 10 });
    expect(report?.images).toHaveLength(10);

    const watch = await runCli(['watch', characterId, '--json'], env);
    expect(watch.code).toBe(0);
    expect(ofKind(jsonLines(watch.stdout), 'set')).toEqual([expect.objectContaining({ characterId, name: 'Ada', status: 'completed', completed: 10 })]);
  });

  it('exports a training set and writes a valid zip', async () => {
    const out = path.join(folder, 'ada.zip');
    const run = await runCli(['export', characterId, '--format', 'diffusers', '--out', out, '--trigger', 'ada_test', '--json'], env);
    expect(run.code).toBe(0);
    const [made] = jsonLines(run.stdout);
    expect(made).toMatchObject({ event: 'export', format: 'diffusers', triggerWord: 'ada_test', imageCount: 10, file: out });
    expect((await stat(out)).size).toBe(made?.bytes);
    const files = await unzip(await readFile(out));
    const images = [...files].filter(([name]) => name.startsWith('train/') && name.endsWith('.png'));
    expect(images).toHaveLength(10);
    expect(images.every(([, file]) => file.data.subarray(0, 8).equals(PNG_SIGNATURE))).toBe(true);
    const metadata = (files.get('train/metadata.jsonl')?.data.toString('utf8') ?? '').trim().split('\n').map((line) => JSON.parse(line) as { file_name: string; text: string });
    expect(metadata).toHaveLength(10);
    expect(metadata.every((row) => row.text.startsWith('ada_test'))).toBe(true);
  });

  it('generates a new image of the character, follows it to stored and downloads it', async () => {
    const out = path.join(folder, 'ada-beach.png');
    const run = await runCli(['generate', characterId, 'sitting on a beach at sunset', '--seed', '77', '--out', out, '--json'], env);
    expect(run.code).toBe(0);
    const [image] = ofKind(jsonLines(run.stdout), 'image');
    expect(image).toMatchObject({ characterId, status: 'completed', seed: 77, file: out });
    const png = await readFile(out);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const client = new GraphQLTestClient(service.url);
    const { character } = await client.request(CharacterDocument, { id: characterId });
    await client.close();
    expect(character.generatedImages).toContainEqual(expect.objectContaining({ id: image?.imageId, prompt: 'sitting on a beach at sunset', status: 'completed', bytes: png.byteLength }));

    const refused = await runCli(['generate', characterId, '   '], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/prompt/);
  });

  it.each([
    ['an unknown character', ['status', '000000000000000000000000'], 1, /no character/],
    ['a seed that is not a number', ['create', '--name', 'K', '--seed', 'abc'], 2, /--seed/],
    ['a seed that is not a whole number', ['generate', 'x', 'a prompt', '--seed', '-3'], 2, /--seed/],
    ['an unknown format', ['export', 'x', '--format', 'lora', '--out', 'x.zip'], 2, /kohya, ai-toolkit, diffusers/],
    ['a missing argument', ['watch'], 2, /missing required argument 'id'/],
    ['an unknown command', ['frobnicate'], 2, /unknown command/],
    ['both --name and --file', ['create', '--name', 'K', '--file', 'x.jsonl'], 2, /either --file or --name/],
    ['a missing batch file', ['create', '--file', 'nowhere.jsonl'], 2, /cannot read nowhere.jsonl/],
    ['an unreachable service', ['--url', 'http://127.0.0.1:9', 'status', 'x'], 3, /cannot reach the service/],
  ])('refuses %s with an exit code and a message', { concurrent: true }, async (_, args, code, message) => {
    const run = await runCli(args, env);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('has --help on every command', async () => {
    const commands = ['create', 'status', 'watch', 'export', 'generate'];
    const runs = await Promise.all(commands.map((command) => runCli([command, '--help'], env)));
    runs.forEach((run, i) => {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: charsheet ${commands[i]}`);
    });
  });
});
