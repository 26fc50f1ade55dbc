// A 100-character batch through the CLI as a user runs it (`charsheet --json create --file cast.jsonl`, the
// built bin in its own process) against a service on the offline renderer: the CLI's total time until every
// set has ended, and the createCharacter latency another client sees meanwhile (one call every
// PROBE_INTERVAL_MS), against the same calls on the idle service before the batch.
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { print } from 'graphql';
import { isUnfinished } from '../src/domain/statuses.js';
import { CharactersDocument, CreateCharacterDocument } from '../src/generated/graphql/graphql.js';
import { benchDataDir, percentile, printTable, withBenchService, type BenchRow } from './support.js';

const CHARACTERS = 100;
const IDLE_PROBES = 20;
const PROBE_INTERVAL_MS = 250;
const CLI_BIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
// A user's single createCharacter should not get much slower while someone's batch runs: the batch draws at
// most a few avatars at once (BATCH_CONCURRENCY) and its sets queue behind avatars. Relative to the idle
// figure, because on a shared machine the absolute one is mostly the machine's load.
const PROBE_P99_MAX_RATIO = 2;
// 1,000 offline images on a shared 2-core machine, the CLI's own process included.
const BATCH_TARGET_S = 180;

async function createOnce(url: string, name: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: print(CreateCharacterDocument), variables: { input: { name } } }),
  });
  const result = (await response.json()) as { errors?: unknown[] };
  if (result.errors) throw new Error(`createCharacter failed: ${JSON.stringify(result.errors)}`);
  return performance.now() - started;
}

async function setsEnded(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: print(CharactersDocument), variables: { limit: 100 } }) });
    const { data } = (await response.json()) as { data: { characters: { embeddings: { imageEmbeddings: { status: string } } }[] } };
    if (!data.characters.some((character) => isUnfinished(character.embeddings.imageEmbeddings))) return;
    if (Date.now() > deadline) throw new Error('the idle probes\' sets did not end within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const p99 = (times: number[]): number => percentile([...times].sort((a, b) => a - b), 99);

export async function run(): Promise<void> {
  const folder = await benchDataDir();
  const file = path.join(folder, 'cast.jsonl');
  await writeFile(file, Array.from({ length: CHARACTERS }, (_, i) => JSON.stringify({ name: `Bench ${i}`, traits: { hair: i % 2 ? 'red' : 'black' }, seed: i })).join('\n'));
  const rows: BenchRow[] = [];
  try {
    await withBenchService({}, {}, async (service) => {
      const idle: number[] = [];
      for (let i = 0; i < IDLE_PROBES; i++) idle.push(await createOnce(service.url, `Idle ${i}`));
      // The idle probes' own sets must not run into the batch.
      await setsEnded(service.url);

      const during: number[] = [];
      let batchRunning = true;
      const probing = (async () => {
        for (let i = 0; batchRunning; i++) {
          during.push(await createOnce(service.url, `Probe ${i}`));
          await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
        }
      })();
      const started = performance.now();
      const cli = await runCli(['--url', service.url, '--json', 'create', '--file', file]);
      const seconds = (performance.now() - started) / 1000;
      batchRunning = false;
      await probing;

      const events = cli.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { event: string; setsCompleted?: number });
      const summary = events.find((event) => event.event === 'summary');
      if (cli.code !== 0 || summary?.setsCompleted !== CHARACTERS) throw new Error(`the CLI exited ${cli.code}: ${cli.stderr.slice(0, 500)}`);
      rows.push({ metric: `CLI: ${CHARACTERS} characters created and every set ended`, value: `${seconds.toFixed(1)} s`, target: `≤ ${BATCH_TARGET_S} s`, ok: seconds <= BATCH_TARGET_S });
      rows.push({ metric: `  per character (${CHARACTERS * 10} images in all)`, value: `${((seconds * 1000) / CHARACTERS).toFixed(0)} ms`, target: '—', ok: null });
      const idleP99 = p99(idle);
      rows.push({ metric: `createCharacter p99, idle service (${idle.length} calls)`, value: `${idleP99.toFixed(0)} ms`, target: '—', ok: null });
      const duringP99 = p99(during);
      rows.push({
        metric: `createCharacter p99 during the batch (${during.length} calls)`,
        value: `${duringP99.toFixed(0)} ms ×${(duringP99 / idleP99).toFixed(2)}`,
        target: `≤ ×${PROBE_P99_MAX_RATIO} idle`,
        ok: duringP99 <= PROBE_P99_MAX_RATIO * idleP99,
      });
      rows.push({ metric: '  median during the batch', value: `${percentile([...during].sort((a, b) => a - b), 50).toFixed(0)} ms`, target: '—', ok: null });
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  printTable(`CLI batch: ${CHARACTERS} characters from a JSONL file, offline renderer (shared machine: figures are noisy)`, rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
