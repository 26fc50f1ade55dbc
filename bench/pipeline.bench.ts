// Issue 3's targets on the embedded stack: createCharacter overhead beyond avatar generation, images/s
// through the whole pipeline (store, DB update, publish) with a zero-latency generator, and RSS with 1,000
// sets in flight.
import { rm } from 'node:fs/promises';
import { print } from 'graphql';
import { OfflineRenderer } from '../src/generators/offline/index.js';
import { CreateCharacterDocument, EmbeddingStatusDocument } from '../src/generated/graphql/graphql.js';
import type { GeneratedImage, ImageGenerator, ImageRequest } from '../src/ports.js';
import { benchDataDir, percentile, printTable, rssMb, withBenchService } from './support.js';

/** Answers instantly with one pre-rendered PNG: what remains measured is the pipeline itself. */
class ZeroLatencyGenerator implements ImageGenerator {
  readonly name = 'zero-latency';
  constructor(private readonly image: GeneratedImage) {}
  async generate(): Promise<GeneratedImage> {
    return this.image;
  }
}

/** Holds every variation until released, so sets stay in flight while memory is measured. */
class HeldGenerator implements ImageGenerator {
  readonly name = 'held';
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  constructor(private readonly image: GeneratedImage) {}
  open(): void {
    this.release();
  }
  async generate(request: ImageRequest): Promise<GeneratedImage> {
    if (request.variation !== 'avatar') await this.gate;
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

async function allFinished(url: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    for (;;) {
      const data = await graphql<{ embeddingStatus: { status: string } }>(url, EmbeddingStatusDocument, { characterId: id });
      if (data.embeddingStatus.status === 'completed' || data.embeddingStatus.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Resolves once every set is generating: claimed by the worker, its variations waiting on the generator. */
async function waitForClaims(url: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    for (;;) {
      const data = await graphql<{ embeddingStatus: { status: string } }>(url, EmbeddingStatusDocument, { characterId: id });
      if (data.embeddingStatus.status !== 'pending') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export async function run(): Promise<void> {
  const image = await new OfflineRenderer().generate({ variation: 'avatar', prompt: 'bench', negativePrompt: '', seed: 1, width: 64, height: 64, subject: { name: 'Bench', description: '', traits: {}, style: 'flat' } });

  // 1. createCharacter overhead: sequential calls, so the figure is latency, not queueing. One set runs and is
  // held; the pacer has room for it and the avatars, so avatars never wait for a slot.
  const overhead = await withBenchService({ WORKER_CONCURRENCY: '1', GENERATOR_MAX_CONCURRENCY: '100' }, { generator: new HeldGenerator(image) }, async (service) => {
    await createMany(service.url, 50, 1); // warm-up
    return (await createMany(service.url, 500, 1)).latencies.sort((a, b) => a - b);
  });
  console.log(`  createCharacter overhead measured (p50 ${percentile(overhead, 50).toFixed(2)} ms)`);

  // 2. Images per second through the whole pipeline.
  const throughput = await withBenchService({ WORKER_CONCURRENCY: '16', GENERATOR_MAX_CONCURRENCY: '64' }, { generator: new ZeroLatencyGenerator(image) }, async (service) => {
    const sets = 100;
    const started = performance.now();
    const { ids } = await createMany(service.url, sets, 8);
    await allFinished(service.url, ids);
    return (sets * 10) / ((performance.now() - started) / 1000);
  });
  console.log(`  throughput measured (${throughput.toFixed(0)} images/s)`);

  // 3. Memory with 1,000 sets in flight. The characters are created first by a service that runs one set at
  // a time; a second service on the same data then resumes all 1,000 at once (every set claimed, its
  // variations waiting in the pacer), which is the state memory is measured in.
  const dataDir = await benchDataDir();
  const ids = await withBenchService({ WORKER_CONCURRENCY: '1', GENERATOR_MAX_CONCURRENCY: '100' }, { generator: new HeldGenerator(image) }, async (service) => (await createMany(service.url, 1000, 8)).ids, dataDir);
  const held = new HeldGenerator(image);
  const memory = await withBenchService({ WORKER_CONCURRENCY: '1000', GENERATOR_MAX_CONCURRENCY: '64' }, { generator: held }, async (service) => {
    await waitForClaims(service.url, ids);
    global.gc?.();
    const rss = rssMb();
    console.log(`  memory detail: ${JSON.stringify(Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 1048576)])))} MB`);
    held.open();
    await allFinished(service.url, ids);
    return rss;
  }, dataDir);
  await rm(dataDir, { recursive: true, force: true });

  printTable('pipeline (embedded store, local disk, in-process queue)', [
    { metric: 'createCharacter overhead p50', value: `${percentile(overhead, 50).toFixed(2)} ms`, target: '-', ok: null },
    { metric: 'createCharacter overhead p99', value: `${percentile(overhead, 99).toFixed(2)} ms`, target: '≤ 20 ms', ok: percentile(overhead, 99) <= 20 },
    { metric: 'images/s, zero-latency generator', value: throughput.toFixed(0), target: '≥ 500', ok: throughput >= 500 },
    { metric: 'RSS with 1,000 sets in flight', value: `${memory.toFixed(0)} MB`, target: '≤ 300 MB', ok: memory <= 300 },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
