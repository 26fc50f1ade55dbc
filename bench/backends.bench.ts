// Pacing toward a GPU backend, measured on the RunPod simulator (issue 4): the real RunPod adapter behind the
// PacedGenerator, its 10 variations started at once as the pipeline does. Latency is the seed's ~8 s per image
// scaled to L = 200 ms, and the seed's 2 s gap scaled the same way (to 50 ms) for its sequential strategy.
import { BackendError } from '../src/domain/errors.js';
import { VARIATIONS } from '../src/domain/variations.js';
import { PacedGenerator } from '../src/generators/paced.js';
import { RunPodGenerator } from '../src/generators/runpod/index.js';
import type { ImageGenerator, ImageRequest } from '../src/ports.js';
import type { RunPodSimulatorOptions } from './simulator/runpod.js';
import { type RunPodSimulatorThread, startRunPodSimulatorThread } from './simulator/runpodThread.js';
import { type BenchRow, printTable } from './support.js';

const WORKERS = 10;
const LATENCY_MS = 200;
const SEED_IMAGE_MS = 8_000;
const SEED_GAP_MS = 2_000;
const SCALED_GAP_MS = (SEED_GAP_MS * LATENCY_MS) / SEED_IMAGE_MS;
const SETS_AT_ONCE = 50;

function variationRequests(set: number): ImageRequest[] {
  return VARIATIONS.map((variation, index) => ({
    variation: variation.type,
    prompt: `character ${set}, ${variation.type}`,
    negativePrompt: 'blurry',
    seed: set * 100 + index + 1,
    width: 64,
    height: 64,
    subject: { name: `c${set}`, description: '', traits: {}, style: 'anime' },
  }));
}

// The endpoint runs on its own thread: a real one is remote, and sharing the client's event loop would
// charge its request handling to the pacer.
async function withSimulator<T>(options: Partial<Omit<RunPodSimulatorOptions, 'fault'>>, body: (sim: RunPodSimulatorThread, adapter: RunPodGenerator) => Promise<T>): Promise<T> {
  // Solid PNGs: this measures pacing, and drawing characters would take CPU from the pacer it measures.
  const sim = await startRunPodSimulatorThread({ workers: WORKERS, latencyMs: LATENCY_MS, images: 'solid', ...options });
  const adapter = new RunPodGenerator({
    baseUrl: sim.baseUrl,
    endpointId: sim.endpointId,
    apiKey: sim.apiKey,
    inputTemplate: { prompt: '{{prompt}}', seed: '{{seed}}', width: '{{width}}', height: '{{height}}' },
    mode: 'runsync',
    maxPollMs: 1_000,
    jobTimeoutMs: 60_000,
  });
  try {
    return await body(sim, adapter);
  } finally {
    await sim.close();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The seed system: one image after another, with a fixed gap between them. */
async function seedStrategy(generator: ImageGenerator, requests: ImageRequest[]): Promise<void> {
  for (const [index, request] of requests.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, SCALED_GAP_MS));
    await generator.generate(request);
  }
}

async function oneSet(): Promise<BenchRow[]> {
  const ideal = Math.ceil(10 / WORKERS) * LATENCY_MS;
  const target = 1.05 * ideal + 100;
  return withSimulator({}, async (sim, adapter) => {
    // Warm the connection pool and the workers once, as a running service would be.
    await Promise.all(variationRequests(0).map((request) => adapter.generate(request)));
    const paced = new PacedGenerator(adapter, { maxConcurrency: WORKERS, minSpacingMs: 0 });
    const ours = await timed(() => Promise.all(variationRequests(1).map((request) => paced.generate(request))));
    const seed = await timed(() => seedStrategy(adapter, variationRequests(2)));
    const stats = await sim.stats();
    return [
      { metric: `one set, C=${WORKERS}, L=${LATENCY_MS} ms: makespan`, value: `${ours.toFixed(0)} ms`, target: `≤ ${target.toFixed(0)} ms (ideal ${ideal} ms)`, ok: ours <= target },
      { metric: `seed strategy (sequential, ${SCALED_GAP_MS} ms gaps)`, value: `${seed.toFixed(0)} ms`, target: 'reference', ok: null },
      { metric: 'speed-up over the seed strategy', value: `${(seed / ours).toFixed(1)}×`, target: '≥ 8×', ok: seed / ours >= 8 },
      { metric: 'peak jobs on the endpoint', value: String(stats.peakJobsInSystem), target: `≤ ${WORKERS}`, ok: stats.peakJobsInSystem <= WORKERS },
    ];
  });
}

/** The first set after the endpoint scaled to zero: every worker cold-starts (~20 s on RunPod, scaled). */
async function coldSet(): Promise<BenchRow[]> {
  const coldStartMs = 500;
  return withSimulator({ coldStartMs }, async (_sim, adapter) => {
    const paced = new PacedGenerator(adapter, { maxConcurrency: WORKERS, minSpacingMs: 0 });
    const makespan = await timed(() => Promise.all(variationRequests(1).map((request) => paced.generate(request))));
    return [
      { metric: `one set on cold workers (cold start ${coldStartMs} ms)`, value: `${makespan.toFixed(0)} ms`, target: `informative (ideal ${coldStartMs + LATENCY_MS} ms)`, ok: null },
      { metric: 'back-offs during the cold start', value: String(paced.stats().backoffs), target: '0', ok: paced.stats().backoffs === 0 },
    ];
  });
}

async function manySets(): Promise<BenchRow[]> {
  return withSimulator({}, async (sim, adapter) => {
    const paced = new PacedGenerator(adapter, { maxConcurrency: WORKERS, minSpacingMs: 0 });
    const requests = Array.from({ length: SETS_AT_ONCE }, (_, set) => variationRequests(set + 1)).flat();
    const makespan = await timed(() => Promise.all(requests.map((request) => paced.generate(request))));
    const stats = await sim.stats();
    const utilisation = stats.busyMs / (WORKERS * makespan);
    const ideal = Math.ceil(requests.length / WORKERS) * LATENCY_MS;
    return [
      { metric: `${SETS_AT_ONCE} sets (${requests.length} images) at once: makespan`, value: `${(makespan / 1000).toFixed(2)} s`, target: `ideal ${(ideal / 1000).toFixed(2)} s`, ok: null },
      { metric: 'simulator capacity used', value: `${(utilisation * 100).toFixed(1)} %`, target: '≥ 95 %', ok: utilisation >= 0.95 },
      { metric: 'peak jobs on the endpoint', value: String(stats.peakJobsInSystem), target: `≤ ${WORKERS}`, ok: stats.peakJobsInSystem <= WORKERS },
      { metric: 'requests refused (429)', value: String(stats.refused), target: '0', ok: stats.refused === 0 },
    ];
  });
}

/** A pacer configured too high for the endpoint: 429s must shrink it, refused jobs go again, nothing is lost. */
async function overcommitted(): Promise<BenchRow[]> {
  return withSimulator({ queueLimit: 2, retryAfterSeconds: 0.1 }, async (sim, adapter) => {
    const paced = new PacedGenerator(adapter, { maxConcurrency: 3 * WORKERS, minSpacingMs: 0, maxResubmits: 50 });
    const requests = Array.from({ length: 20 }, (_, set) => variationRequests(set + 1)).flat();
    let failed = 0;
    const makespan = await timed(() => Promise.all(requests.map((request) => paced.generate(request).catch((error: unknown) => ((failed += error instanceof BackendError ? 1 : 0), null)))));
    const stats = await sim.stats();
    const utilisation = stats.busyMs / (WORKERS * makespan);
    return [
      { metric: `pacer at ${3 * WORKERS} against ${WORKERS} workers: images lost`, value: String(failed), target: '0', ok: failed === 0 },
      { metric: 'capacity used despite 429s', value: `${(utilisation * 100).toFixed(1)} %`, target: 'informative', ok: null },
      { metric: '429s answered / back-offs', value: `${stats.refused} / ${paced.stats().backoffs}`, target: 'informative', ok: null },
    ];
  });
}

export async function run(): Promise<void> {
  printTable('Backends: one set against the RunPod simulator', [...(await oneSet()), ...(await coldSet())]);
  printTable('Backends: many sets against the RunPod simulator', await manySets());
  printTable('Backends: adaptive back-off against an overcommitted pacer', await overcommitted());
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
