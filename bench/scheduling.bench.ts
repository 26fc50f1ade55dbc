// Issue 15's scheduling targets, through the whole service on the RunPod simulator (4 workers, 300 ms per
// image, on its own thread): with owner A holding 200+ queued variations, owner B's set makespan against B's
// set on an idle service (target ≤ 1.5×) and B's createCharacter latency (target ≤ one image + 50 ms, while
// every background slot is busy); and a set's makespan with RUNPOD_MODE=run against runsync (target ≤ 1.1×).
import { createHash } from 'node:crypto';
import { print } from 'graphql';
import { CreateCharacterDocument, EmbeddingStatusDocument } from '../src/generated/graphql/graphql.js';
import { RunPodGenerator } from '../src/generators/runpod/index.js';
import { type RunPodSimulatorThread, startRunPodSimulatorThread } from './simulator/runpodThread.js';
import { type BenchRow, printTable, withBenchService } from './support.js';

const WORKERS = 4;
const LATENCY_MS = 300;
const API_KEY = 'bench-scheduling-key-0123456789abcdef';
const FLOOD_SETS = 24;

type Ask = <T>(document: Parameters<typeof print>[0], variables: unknown) => Promise<T>;

function asOwner(url: string, owner: string): Ask {
  return async <T>(document: Parameters<typeof print>[0], variables: unknown) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, 'x-on-behalf-of': owner },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
}

async function create(ask: Ask, name: string, seed: number): Promise<{ id: string; ms: number }> {
  const started = performance.now();
  const { createCharacter } = await ask<{ createCharacter: { id: string } }>(CreateCharacterDocument, { input: { name, seed } });
  return { id: createCharacter.id, ms: performance.now() - started };
}

async function status(ask: Ask, id: string): Promise<{ status: string; totalImages: number }> {
  return (await ask<{ embeddingStatus: { status: string; totalImages: number } }>(EmbeddingStatusDocument, { characterId: id })).embeddingStatus;
}

/** createCharacter latency and the set's makespan (from the answer to completed, polled every 10 ms). */
async function oneSet(ask: Ask, name: string, seed: number): Promise<{ createMs: number; makespanMs: number }> {
  const { id, ms } = await create(ask, name, seed);
  const started = performance.now();
  while ((await status(ask, id)).status !== 'completed') await new Promise((resolve) => setTimeout(resolve, 10));
  return { createMs: ms, makespanMs: performance.now() - started };
}

/** One avatar through the RunPod adapter alone (median of 5): the "one image's latency" the targets are measured against. */
async function imageLatency(sim: RunPodSimulatorThread): Promise<number> {
  const adapter = new RunPodGenerator({ baseUrl: sim.baseUrl, endpointId: sim.endpointId, apiKey: sim.apiKey, inputTemplate: { prompt: '{{prompt}}', seed: '{{seed}}' }, mode: 'runsync', maxPollMs: 1_000, jobTimeoutMs: 60_000 });
  const times: number[] = [];
  for (let seed = 0; seed < 5; seed++) {
    const started = performance.now();
    await adapter.generate({ variation: 'avatar', prompt: 'latency', negativePrompt: '', seed, width: 64, height: 64, subject: { name: 'L', description: '', traits: {}, style: 'flat' } });
    times.push(performance.now() - started);
  }
  return times.sort((x, y) => x - y)[2]!;
}

async function withRunPodService<T>(env: Record<string, string>, body: (url: string, sim: RunPodSimulatorThread) => Promise<T>): Promise<T> {
  const sim = await startRunPodSimulatorThread({ workers: WORKERS, latencyMs: LATENCY_MS, images: 'solid', syncWaitMs: 30_000 });
  try {
    return await withBenchService(
      {
        IMAGE_GENERATOR: 'runpod',
        RUNPOD_API_KEY: sim.apiKey,
        RUNPOD_ENDPOINT_ID: sim.endpointId,
        RUNPOD_BASE_URL: sim.baseUrl,
        RUNPOD_REST_URL: sim.restUrl,
        GENERATOR_MAX_CONCURRENCY: String(WORKERS),
        IMAGE_WIDTH: '64',
        IMAGE_HEIGHT: '64',
        IDENTITY: 'off',
        AUTH_API_KEYS: `bench:${createHash('sha256').update(API_KEY).digest('hex')}`,
        USER_MAX_GENERATING: '0',
        USER_MAX_CHARACTERS_PER_DAY: '0',
        ...env,
      },
      {},
      (service) => body(service.url, sim),
    );
  } finally {
    await sim.close();
  }
}

async function fairness(): Promise<BenchRow[]> {
  return withRunPodService({}, async (url, sim) => {
    const a = asOwner(url, 'owner-a');
    const b = asOwner(url, 'owner-b');
    await oneSet(b, 'Warm Up', 1);
    const image = await imageLatency(sim);
    const idle = await oneSet(b, 'Idle B', 2);
    // A floods: its sets are created four at a time, then B arrives while A still has 200+ variations queued.
    const created: string[] = [];
    for (let n = 0; n < FLOOD_SETS; n += 4) created.push(...(await Promise.all([0, 1, 2, 3].map((k) => create(a, `Flood ${n + k}`, 100 + n + k)))).map((set) => set.id));
    const queuedByA = (await Promise.all(created.map((id) => status(a, id)))).reduce((sum, set) => sum + 10 - set.totalImages, 0);
    const busy = await oneSet(b, 'Busy B', 3);
    const ratio = busy.makespanMs / idle.makespanMs;
    const createTarget = image + 50;
    return [
      { metric: 'one image through the adapter alone (median of 5)', value: `${image.toFixed(0)} ms`, target: `reference (simulated ${LATENCY_MS} ms)`, ok: null },
      { metric: `owner A's variations still queued when B arrives`, value: String(queuedByA), target: '≥ 200', ok: queuedByA >= 200 },
      { metric: `B's set makespan, idle service`, value: `${idle.makespanMs.toFixed(0)} ms`, target: 'reference', ok: null },
      { metric: `B's set makespan, A flooding`, value: `${busy.makespanMs.toFixed(0)} ms`, target: '≤ 1.5 × idle', ok: ratio <= 1.5 },
      { metric: '  ratio', value: `${ratio.toFixed(2)}×`, target: '≤ 1.5×', ok: ratio <= 1.5 },
      { metric: `B's createCharacter, idle`, value: `${idle.createMs.toFixed(0)} ms`, target: `≤ ${createTarget.toFixed(0)} ms`, ok: idle.createMs <= createTarget },
      { metric: `B's createCharacter, every background slot busy`, value: `${busy.createMs.toFixed(0)} ms`, target: `≤ ${createTarget.toFixed(0)} ms`, ok: busy.createMs <= createTarget },
    ];
  });
}

/** An idle set's makespan in one RUNPOD_MODE, after two sets that let the poll schedule learn the job time. */
async function modeMakespan(mode: 'run' | 'runsync'): Promise<number> {
  return withRunPodService({ RUNPOD_MODE: mode }, async (url) => {
    const owner = asOwner(url, 'owner-c');
    await oneSet(owner, 'Warm 1', 11);
    await oneSet(owner, 'Warm 2', 12);
    const spans: number[] = [];
    for (let n = 0; n < 3; n++) spans.push((await oneSet(owner, `Timed ${n}`, 20 + n)).makespanMs);
    return spans.sort((x, y) => x - y)[1]!;
  });
}

async function runMode(): Promise<BenchRow[]> {
  // Interleaved, so a change in the machine's load does not land on one mode only.
  const [sync1, run1, sync2, run2] = [await modeMakespan('runsync'), await modeMakespan('run'), await modeMakespan('runsync'), await modeMakespan('run')];
  const runsync = Math.min(sync1, sync2);
  const run = Math.min(run1, run2);
  const ratio = run / runsync;
  return [
    { metric: 'idle set makespan, runsync (best of two services, median of 3 sets each)', value: `${runsync.toFixed(0)} ms`, target: 'reference', ok: null },
    { metric: 'idle set makespan, run (same)', value: `${run.toFixed(0)} ms`, target: '≤ 1.1 × runsync', ok: ratio <= 1.1 },
    { metric: '  ratio', value: `${ratio.toFixed(2)}×`, target: '≤ 1.1×', ok: ratio <= 1.1 },
  ];
}

export async function run(): Promise<void> {
  printTable(`Scheduling: owner B beside owner A's flood (RunPod simulator, ${WORKERS} workers, ${LATENCY_MS} ms per image)`, await fairness());
  printTable('Scheduling: RUNPOD_MODE=run against runsync', await runMode());
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
