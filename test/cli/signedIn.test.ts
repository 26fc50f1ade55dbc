// The CLI on a service with authentication and a backend that fails one shot: the token (flag or env) is
// sent over HTTP, graphql-ws and the archive download; no token or a refused one exits 3; a set with a failed
// image makes create and watch exit 1 while export still writes the completed images; a batch larger than the
// user's limit of sets in generation waits for places instead of failing.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hs256Token, AUDIENCE, ISSUER, SECRET } from '../auth/support/tokens.js';
import { unzip } from '../exports/support/unzip.js';
import { FailingGenerator } from '../support/generators.js';
import { startTestService, type TestService } from '../support/service.js';
import { jsonLines, runCli } from './support.js';

const MAX_GENERATING = 2;

describe('charsheet CLI, signed in', () => {
  let service: TestService;
  let folder: string;
  let token: string;
  beforeAll(async () => {
    service = await startTestService({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, USER_MAX_GENERATING: String(MAX_GENERATING) }, { generator: new FailingGenerator(new Set(['action_pose']), false) });
    folder = await mkdtemp(path.join(tmpdir(), 'charsheet-cli-'));
    token = await hs256Token('mira');
  });
  afterAll(async () => {
    await service?.destroy();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('creates with CHARSHEET_TOKEN, follows the set over graphql-ws and exits 1 for its failed image; export downloads with the token', async () => {
    const env = { CHARSHEET_URL: service.url, CHARSHEET_TOKEN: token };
    const create = await runCli(['--json', 'create', '--name', 'Mira'], env);
    expect(create.code).toBe(1);
    const events = jsonLines(create.stdout);
    const set = events.find((event) => event.event === 'set');
    expect(set).toMatchObject({ name: 'Mira', completed: 9, failed: 1, total: 10 });
    expect(events.at(-1)).toMatchObject({ event: 'summary', created: 1, failed: 0, setsFailed: 1 });

    const characterId = String(set?.characterId);
    const watch = await runCli(['watch', characterId], env);
    expect(watch.code).toBe(1);
    expect(watch.stdout).toMatch(/✘ Mira .*9\/10 images, 1 failed/);

    const out = path.join(folder, 'mira.zip');
    const exported = await runCli(['export', characterId, '--format', 'kohya', '--out', out], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/9 images for kohya.*left out: action_pose/);
    const files = await unzip(await readFile(out));
    expect([...files.keys()].filter((name) => name.endsWith('.png'))).toHaveLength(9);
    expect(files.has('dataset.toml')).toBe(true);
  });

  it('sends a batch larger than the limit of sets in generation by waiting for its sets to end', async () => {
    const file = path.join(folder, 'crowd.jsonl');
    await writeFile(file, ['Ann', 'Bo', 'Cy', 'Di', 'Ed'].map((name) => JSON.stringify({ name })).join('\n'));
    const run = await runCli(['--json', 'create', '--file', file], { CHARSHEET_URL: service.url, CHARSHEET_TOKEN: await hs256Token('crowd') });
    const events = jsonLines(run.stdout);
    expect(run.stderr).toBe('');
    expect(events.some((event) => event.event === 'waiting' && event.running === MAX_GENERATING)).toBe(true);
    expect(events.filter((event) => event.event === 'created').map((event) => event.name)).toEqual(['Ann', 'Bo', 'Cy', 'Di', 'Ed']);
    expect(events.filter((event) => event.event === 'overall').at(-1)).toMatchObject({ percent: 100, setsEnded: 5 });
    // Every set lacks its failing shot, so the batch as a whole still exits 1.
    expect(events.at(-1)).toEqual({ event: 'summary', created: 5, failed: 0, setsCompleted: 0, setsFailed: 5 });
    expect(run.code).toBe(1);
  });

  it('exits 3 without a token, with a malformed one or with one signed by someone else', async () => {
    const [missing, refused, refusedSocket] = await Promise.all([
      runCli(['status', '000000000000000000000000'], { CHARSHEET_URL: service.url }),
      runCli(['--url', service.url, '--token', 'not-a-jwt', 'status', '000000000000000000000000']),
      runCli(['--url', service.url, '--token', await hs256Token('mira', { secret: 'another-secret-of-at-least-32-characters' }), 'watch', '000000000000000000000000']),
    ]);
    for (const run of [missing, refused, refusedSocket]) {
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^error: /);
    }
    expect(missing.stderr).toMatch(/authentication required/);
  });
});
