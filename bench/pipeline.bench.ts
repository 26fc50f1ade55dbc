// Issue 3's targets on the embedded stack: createCharacter overhead beyond avatar generation, images/s
// through the whole pipeline (store, DB update, publish) with a zero-latency generator, and RSS with 1,000
// sets in flight; and what /metrics instrumentation costs in images/s.
import { fork } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { print } from 'graphql';
import { startService } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { isUnfinished } from '../src/domain/statuses.js';
import { OfflineRenderer } from '../src/generators/offline/index.js';
import { PrometheusMetrics } from '../src/metrics/prometheus.js';
import { CreateCharacterDocument, EmbeddingStatusDocument } from '../src/generated/graphql/graphql.js';
import type { GeneratedImage, ImageGenerator, ImageRequest } from '../src/ports.js';
import { benchDataDir, percentile, printTable, withBenchService, type BenchRow } from './support.js';

/**
 * Answers at once with one pre-rendered PNG (a zero-latency generator: what remains measured is the pipeline),
 * except that it holds every variation while held (from construction until open(), and again after hold()).
 */
class HeldGenerator implements ImageGenerator {
  readonly name = 'held';
  private gate: Promise<void> | null = null;
  private release: (() => void) | undefined;
  constructor(private readonly image: GeneratedImage) {
    this.hold();
  }
  hold(): void {
    this.gate = new Promise<void>((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release?.();
    this.gate = null;
  }
  async generate(request: ImageRequest): Promise<GeneratedImage> {
    if (request.variation !== 'avatar' && this.gate) await this.gate;
    return this.image;
  }
}

async function graphql<T>(url: string, document: Parameters<typeof print>[0], variables: unknown): Promise<T> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: print(document), variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function createMany(url: string, count: number, concurrency: number): Promise<{ ids: string[]; latencies: number[] }> {
  const ids: string[] = [];
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = next++;
        const started = performance.now();
        const data = await graphql<{ createCharacter: { id: string } }>(url, CreateCharacterDocument, { input: { name: `Bench ${n}`, traits: [{ key: 'hair', value: 'silver' }], seed: n } });
        latencies.push(performance.now() - started);
        ids.push(data.createCharacter.id);
      }
    }),
  );
  return { ids, latencies };
}

/** Polls each set's embeddingStatus, in turn, until `reached` holds for its status. */
async function waitForStatus(url: string, ids: string[], reached: (status: string) => boolean): Promise<void> {
  for (const id of ids) {
    for (;;) {
      const data = await graphql<{ embeddingStatus: { status: string } }>(url, EmbeddingStatusDocument, { characterId: id });
      if (reached(data.embeddingStatus.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const allFinished = (url: string, ids: string[]) => waitForStatus(url, ids, (status) => !isUnfinished({ status }));

/** Resolves once every set is generating: claimed by the worker, its variations waiting on the generator. */
const waitForClaims = (url: string, ids: string[]) => waitForStatus(url, ids, (status) => status !== 'pending');

const image = await new OfflineRenderer().generate({ variation: 'avatar', prompt: 'bench', negativePrompt: '', seed: 1, width: 64, height: 64, subject: { name: 'Bench', description: '', traits: {}, style: 'flat' } });

/** createCharacter overhead: sequential calls, so the figure is latency, not queueing. One set runs and is held; the pacer has room for it and the avatars, so avatars never wait for a slot. */
async function overheadPhase(): Promise<BenchRow[]> {
  const overhead = await withBenchService({ WORKER_CONCURRENCY: '1', GENERATOR_MAX_CONCURRENCY: '100' }, { generator: new HeldGenerator(image) }, async (service) => {
    await createMany(service.url, 50, 1); // warm-up
    return (await createMany(service.url, 500, 1)).latencies.sort((a, b) => a - b);
  });
  return [
    { metric: 'createCharacter overhead p50', value: `${percentile(overhead, 50).toFixed(2)} ms`, target: '-', ok: null },
    { metric: 'createCharacter overhead p99', value: `${percentile(overhead, 99).toFixed(2)} ms`, target: '≤ 20 ms', ok: percentile(overhead, 99) <= 20 },
  ];
}

// Room in the pacer for every held variation (16 sets of 10) and the avatars, so no avatar waits for a slot.
const THROUGHPUT_ENV = { WORKER_CONCURRENCY: '16', GENERATOR_MAX_CONCURRENCY: '200' };

/**
 * Images/s of `sets` sets, created beforehand (held, then released at once) or while the clock runs; with the
 * CPU time this process (service, store thread and this client) spent per image meanwhile, a figure that the
 * load of other processes on the machine hardly moves.
 */
async function setsThroughput(url: string, generator: HeldGenerator, sets: number, createdBeforehand: boolean): Promise<{ imagesPerSecond: number; cpuMsPerImage: number }> {
  if (createdBeforehand) generator.hold();
  const created = createdBeforehand ? await createMany(url, sets, 8) : null;
  const started = performance.now();
  const cpu = process.cpuUsage();
  generator.open();
  const { ids } = created ?? (await createMany(url, sets, 8));
  await allFinished(url, ids);
  const used = process.cpuUsage(cpu);
  return { imagesPerSecond: (sets * 10) / ((performance.now() - started) / 1000), cpuMsPerImage: (used.user + used.system) / 1000 / (sets * 10) };
}

/**
 * Images per second through the whole pipeline: each set's claim, ten images stored, recorded and published, its
 * metadata and final status. Measured with the sets created beforehand (held at the generator, then released),
 * so the figure is the background pipeline's and not the rate this client creates characters at; the same
 * with createCharacter calls in the same window is printed beside it.
 */
async function throughputPhase(): Promise<BenchRow[]> {
  const generator = new HeldGenerator(image);
  generator.open();
  const figures = await withBenchService(THROUGHPUT_ENV, { generator }, async (service) => {
    const imagesPerSecond = async (sets: number, createdBeforehand: boolean) => (await setsThroughput(service.url, generator, sets, createdBeforehand)).imagesPerSecond;
    console.log(`  images/s of the first 50 sets, untimed warm-up: ${(await imagesPerSecond(50, false)).toFixed(0)}`);
    return { pipeline: await imagesPerSecond(200, true), withCreates: await imagesPerSecond(200, false) };
  });
  return [
    { metric: 'images/s, zero-latency generator', value: figures.pipeline.toFixed(0), target: '≥ 500', ok: figures.pipeline >= 500 },
    { metric: '  same, createCharacter calls in the window', value: figures.withCreates.toFixed(0), target: '-', ok: null },
  ];
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** ms of the Prometheus adapter's work for one generated image, over many calls on a registry of its own. */
function instrumentationMsPerImage(): number {
  const metrics = new PrometheusMetrics();
  const calls = 200_000;
  const attempt = (n: number) => metrics.imageAttempt({ backend: 'offline', kind: 'variation', outcome: 'generated', queueWaitMs: n % 50, backendMs: 5 + (n % 300) });
  for (let n = 0; n < 20_000; n++) attempt(n);
  const started = performance.now();
  for (let n = 0; n < calls; n++) attempt(n);
  return (performance.now() - started) / calls;
}

/**
 * What /metrics costs: the throughput phase's pipeline figure with METRICS=on (scraped every second, 15 times
 * as often as Prometheus' default) against METRICS=off, in alternating rounds on fresh services so drift in the
 * machine's load falls on both alike; medians are compared, as images/s and as CPU time per image (the steadier
 * figure on a shared machine). Sequential services: mongoose's connection is per process.
 */
async function metricsCostPhase(): Promise<BenchRow[]> {
  const rounds = Number(process.env.METRICS_BENCH_ROUNDS ?? 4);
  const figures: Record<'on' | 'off', { imagesPerSecond: number; cpuMsPerImage: number }[]> = { on: [], off: [] };
  const scrapeMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const generator = new HeldGenerator(image);
      generator.open();
      const figure = await withBenchService({ ...THROUGHPUT_ENV, METRICS: mode }, { generator }, async (service) => {
        await setsThroughput(service.url, generator, 30, false); // warm-up
        const scraping = mode === 'on' ? setInterval(() => void fetch(`${service.url}/metrics`).then((response) => response.text()), 1_000) : undefined;
        try {
          return await setsThroughput(service.url, generator, 200, true);
        } finally {
          clearInterval(scraping);
          // A scrape's own time with this run's 230 sets to count, taken once the sets are done so nothing else competes.
          if (mode === 'on') for (let n = 0; n < 10; n++) scrapeMs.push(await timed(() => fetch(`${service.url}/metrics`).then((response) => response.text())));
        }
      });
      figures[mode].push(figure);
    }
  }
  const median = (mode: 'on' | 'off', key: 'imagesPerSecond' | 'cpuMsPerImage') => figures[mode].map((figure) => figure[key]).sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
  for (const mode of ['off', 'on'] as const) console.log(`  METRICS=${mode} by round: ${figures[mode].map((f) => `${f.imagesPerSecond.toFixed(0)} images/s ${f.cpuMsPerImage.toFixed(2)} CPU ms/image`).join('; ')}`);
  const rateCost = 1 - median('on', 'imagesPerSecond') / median('off', 'imagesPerSecond');
  const cpuCost = median('on', 'cpuMsPerImage') / median('off', 'cpuMsPerImage') - 1;
  // The same cost computed from its parts, which the machine's load hardly moves: what the instrumentation does
  // per image (one imageAttempt: two counters' worth of histograms), and a scrape per second spread over the
  // images made in that second, against the CPU an image costs without metrics.
  const perImageMs = instrumentationMsPerImage();
  const scrape = [...scrapeMs].sort((a, b) => a - b)[Math.floor(scrapeMs.length / 2)]!;
  const offCpu = median('off', 'cpuMsPerImage');
  const computedCost = (perImageMs + scrape / median('off', 'imagesPerSecond')) / offCpu;
  return [
    { metric: 'instrumentation per image / one scrape (230 sets)', value: `${(perImageMs * 1000).toFixed(1)} µs / ${scrape.toFixed(1)} ms`, target: '-', ok: null },
    { metric: '  cost computed from those, scraped 1/s', value: `${(computedCost * 100).toFixed(2)} %`, target: '≤ 3 %', ok: computedCost <= 0.03 },
    { metric: 'images/s, METRICS=off / on scraped 1/s (medians)', value: `${median('off', 'imagesPerSecond').toFixed(0)} / ${median('on', 'imagesPerSecond').toFixed(0)}`, target: '-', ok: null },
    { metric: '  instrumentation cost in images/s', value: `${(rateCost * 100).toFixed(1)} %`, target: '≤ 3 %', ok: rateCost <= 0.03 },
    { metric: 'CPU ms per image, METRICS=off / on (medians)', value: `${median('off', 'cpuMsPerImage').toFixed(2)} / ${median('on', 'cpuMsPerImage').toFixed(2)}`, target: '-', ok: null },
    { metric: '  instrumentation cost in CPU per image', value: `${(cpuCost * 100).toFixed(1)} %`, target: '≤ 3 %', ok: cpuCost <= 0.03 },
  ];
}

/**
 * Memory with 1,000 sets in flight. The characters are created first by a service that runs one set at a time;
 * a second service on the same data, in a process of its own, then resumes all 1,000 at once (every set
 * claimed, its variations waiting in the pacer), which is the state its RSS is measured in. Its own process,
 * so the figure holds the service alone: not this client, nor the heap the first service left.
 */
async function memoryPhase(): Promise<BenchRow[]> {
  const dataDir = await benchDataDir();
  try {
    const ids = await withBenchService({ WORKER_CONCURRENCY: '1', GENERATOR_MAX_CONCURRENCY: '100' }, { generator: new HeldGenerator(image) }, async (service) => (await createMany(service.url, 1000, 8)).ids, dataDir);
    const memory = await measureHeldService(dataDir, ids);
    console.log(`  memory detail: ${JSON.stringify(memory)} MB`);
    return [{ metric: 'RSS with 1,000 sets in flight', value: `${memory.rss.toFixed(0)} MB`, target: '≤ 300 MB', ok: memory.rss <= 300 }];
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const PHASES: Record<string, () => Promise<BenchRow[]>> = { overhead: overheadPhase, throughput: throughputPhase, metrics: metricsCostPhase, memory: memoryPhase };

/** Every phase, or only those named after the file (`node dist/bench/pipeline.bench.js memory`). */
export async function run(names: string[] = []): Promise<void> {
  const unknown = names.filter((name) => !(name in PHASES));
  if (unknown.length > 0) throw new Error(`unknown phase(s) ${unknown.join(', ')}; known: ${Object.keys(PHASES).join(', ')}`);
  const rows: BenchRow[] = [];
  for (const [name, phase] of Object.entries(PHASES)) if (names.length === 0 || names.includes(name)) rows.push(...(await phase()));
  printTable('pipeline (embedded store, local disk, in-process queue)', rows);
}

type MemoryUsage = Record<keyof NodeJS.MemoryUsage, number>;
type FromHeldService = { kind: 'listening'; url: string } | { kind: 'memory'; usage: MemoryUsage };

/** Starts this file as a child service holding every variation, waits for all sets to be claimed, measures it, then lets the sets finish. */
async function measureHeldService(dataDir: string, ids: string[]): Promise<MemoryUsage> {
  const child = fork(fileURLToPath(import.meta.url), ['--held-service', dataDir], { execArgv: ['--expose-gc'] });
  const messages: FromHeldService[] = [];
  let arrived: (() => void) | undefined;
  child.on('message', (message: FromHeldService) => {
    messages.push(message);
    arrived?.();
  });
  const next = async <K extends FromHeldService['kind']>(kind: K): Promise<Extract<FromHeldService, { kind: K }>> => {
    for (;;) {
      const index = messages.findIndex((message) => message.kind === kind);
      if (index >= 0) return messages.splice(index, 1)[0] as Extract<FromHeldService, { kind: K }>;
      await new Promise<void>((resolve, reject) => {
        arrived = resolve;
        child.once('exit', (code) => reject(new Error(`held service exited with ${code}`)));
      });
    }
  };
  try {
    const { url } = await next('listening');
    await waitForClaims(url, ids);
    child.send('measure');
    const { usage } = await next('memory');
    child.send('open');
    await allFinished(url, ids);
    return usage;
  } finally {
    child.send('close');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** Child side of measureHeldService: the service, its variations held until the parent says 'open'. */
async function heldService(dataDir: string): Promise<void> {
  const held = new HeldGenerator(image);
  const service = await startService(loadConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', WORKER_CONCURRENCY: '1000', GENERATOR_MAX_CONCURRENCY: '64' }), { generator: held });
  const send = (message: FromHeldService) => process.send?.(message);
  process.on('message', (command: string) => {
    if (command === 'measure') {
      global.gc?.();
      // HEAP_SNAPSHOT=file.heapsnapshot: also write what the heap holds at that moment, to find where memory goes.
      if (process.env.HEAP_SNAPSHOT) writeHeapSnapshot(process.env.HEAP_SNAPSHOT);
      send({ kind: 'memory', usage: Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 1048576)])) as MemoryUsage });
    } else if (command === 'open') held.open();
    else if (command === 'close') void service.close().then(() => process.exit(0));
  });
  send({ kind: 'listening', url: service.url });
}

if (process.argv[2] === '--held-service' && process.argv[3]) await heldService(process.argv[3]);
else if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
