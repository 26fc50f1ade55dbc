// Embedded store throughput through mongoose (issue 2 targets), restart time and RSS with 100k character-sized
// documents. The restart is measured in a child process so its RSS holds only what a restarted store holds.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getModelForClass, index, modelOptions, prop, type ReturnModelType } from '@typegoose/typegoose';
import { MongoClient, ObjectId } from 'mongodb';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { startEmbeddedStore, type EmbeddedStore } from '@charsheet/embedded-mongo';

const SHOTS = ['portrait_front', 'portrait_side', 'full_body_standing', 'action_pose', 'sitting_casual', 'close_up_expression', 'three_quarter_view', 'environmental_context', 'different_expression', 'outfit_variation'];
const BULK_DOCUMENTS = 100_000;
const CONCURRENCY = 8;
const WARM_UP = 2_000;

@index({ owner: 1, slug: 1 }, { unique: true })
@modelOptions({ schemaOptions: { timestamps: true, collection: 'characters' } })
class BenchCharacter {
  @prop({ required: true }) public owner!: string;
  @prop({ required: true }) public slug!: string;
  @prop({ required: true }) public name!: string;
  @prop({ required: true }) public status!: string;
  @prop({ type: () => [Object], default: [] }) public variations!: object[];
}

/** A character with its 10-image reference set recorded, the shape the service stores (about 4 KB of BSON). */
function characterDocument(i: number): Record<string, unknown> {
  const identity = `a weathered elven ranger number ${i} with auburn braided hair, green eyes, a scar over the left brow, leather armour with silver clasps, in painterly fantasy style`;
  return {
    owner: `user${i % 500}`,
    slug: `character-${i}`,
    name: `Character ${i}`,
    status: 'completed',
    variations: SHOTS.map((type, shot) => ({
      type,
      seed: 1000 + i + shot,
      prompt: `${identity}, ${type.replace(/_/g, ' ')}, highly detailed, sharp focus, professional lighting`,
      status: 'completed',
      attempts: 1,
      url: `http://127.0.0.1:4000/images/characters/user${i % 500}/character-${i}/embeddings/${type}.png`,
      key: `characters/user${i % 500}/character-${i}/embeddings/${type}.png`,
      bytes: 180_000 + shot,
      startedAt: new Date(),
      completedAt: new Date(),
    })),
  };
}

interface Phase {
  perSecond: number;
  /** Share of the phase each event loop was busy: the one near 100% is what limits the figure. */
  mainBusy: number;
  storeBusy: number | undefined;
}

async function timed(count: number, store: EmbeddedStore | null, operation: (i: number) => Promise<unknown>): Promise<Phase> {
  let next = 0;
  const mainBefore = performance.eventLoopUtilization();
  const storeBefore = store?.threaded ? store.eventLoopUtilization() : undefined;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await operation(next++);
    }),
  );
  const perSecond = count / ((performance.now() - started) / 1000);
  const storeBusy = store && storeBefore ? performance.eventLoopUtilization(store.eventLoopUtilization(), storeBefore).utilization : undefined;
  return { perSecond, mainBusy: performance.eventLoopUtilization(mainBefore).utilization, storeBusy };
}

interface Row {
  metric: string;
  value: number;
  unit: string;
  target: number;
  higherIsBetter: boolean;
  phase?: Phase;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

function print(rows: Row[], threaded: boolean, coldInserts: number): void {
  const load = os.loadavg().map((value) => value.toFixed(1)).join(' ');
  console.log(`\n## embedded store (through mongoose, concurrency ${CONCURRENCY}, store ${threaded ? 'on its own thread' : 'on the caller thread'}, connected as connectDatabase does; ${os.cpus().length} cores, load average ${load})`);
  for (const row of rows) {
    const ok = row.higherIsBetter ? row.value >= row.target : row.value <= row.target;
    const value = `${row.value.toFixed(row.value < 100 ? 2 : 0)} ${row.unit}`;
    const status = ok ? 'ok' : 'MISSED';
    const busy = row.phase ? `${status.padEnd(6)}   (busy: mongoose thread ${percent(row.phase.mainBusy)}${row.phase.storeBusy === undefined ? '' : `, store thread ${percent(row.phase.storeBusy)}`})` : status;
    console.log(`  ${row.metric.padEnd(32)} ${value.padStart(14)}   target ${row.higherIsBetter ? '≥' : '<'} ${row.target} ${row.unit}  ${busy}`);
  }
  console.log(`  (timed after ${WARM_UP} inserts, ${WARM_UP * 2} finds and ${WARM_UP} updates untimed; those first, cold inserts ran at ${coldInserts.toFixed(0)}/s)`);
}

/** Through connectDatabase, as the service connects (store on its own thread, mongoose over a unix socket). */
async function throughput(dataDir: string, busyPollUs?: number): Promise<{ rows: Row[]; threaded: boolean; coldInserts: number }> {
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(busyPollUs === undefined ? {} : { EMBEDDED_DB_BUSY_POLL_US: String(busyPollUs) }) };
  const database = await connectDatabase(loadConfig(env), pino({ level: 'silent' }));
  const Characters: ReturnModelType<typeof BenchCharacter> = getModelForClass(BenchCharacter, { existingConnection: mongoose.connection });
  await Characters.init();
  try {
    const ids: mongoose.Types.ObjectId[] = [];
    const store = database.embedded;
    const pick = (i: number) => ids[(i * 7919) % ids.length]!;
    const insert = async (i: number) => ids.push((await Characters.create(characterDocument(i)))._id);
    const findById = (i: number) => Characters.findById(pick(i)).lean();
    const claim = (i: number) => Characters.findOneAndUpdate({ _id: pick(i) }, { $set: { 'variations.3.status': 'generating' }, $inc: { 'variations.3.attempts': 1 } }, { returnDocument: 'after' }).lean();
    // Untimed first, as the other benchmarks do: the first few thousand calls run mongoose, the driver and bson
    // in V8's interpreter at under half their optimised speed, which measures JIT warm-up, not the store.
    const cold = await timed(WARM_UP, store, (i) => insert(BULK_DOCUMENTS + i));
    await timed(WARM_UP * 2, store, findById);
    await timed(WARM_UP, store, claim);
    const inserts = await timed(5_000, store, insert);
    const finds = await timed(20_000, store, findById);
    const updates = await timed(5_000, store, claim);
    const rows = [
      { metric: 'inserts (Model.create)', value: inserts.perSecond, unit: '/s', target: 3_000, higherIsBetter: true, phase: inserts },
      { metric: 'findById (lean)', value: finds.perSecond, unit: '/s', target: 5_000, higherIsBetter: true, phase: finds },
      { metric: 'findOneAndUpdate', value: updates.perSecond, unit: '/s', target: 2_000, higherIsBetter: true, phase: updates },
    ];
    return { rows, threaded: database.embedded?.threaded ?? false, coldInserts: cold.perSecond };
  } finally {
    await database.close();
  }
}

async function bulkLoad(dataDir: string): Promise<void> {
  const store = await startEmbeddedStore({ dataDir });
  const client = await MongoClient.connect(store.uri);
  try {
    const characters = client.db('bench').collection('characters');
    await characters.createIndex({ owner: 1, slug: 1 }, { unique: true });
    for (let start = 0; start < BULK_DOCUMENTS; start += 1_000) {
      await characters.insertMany(Array.from({ length: 1_000 }, (_, k) => ({ _id: new ObjectId(), ...characterDocument(start + k) })));
    }
  } finally {
    await client.close();
    await store.close();
  }
}

/** Child-process side: open the store on `dataDir`, answer one query, report time to ready and RSS. */
async function restartProbe(dataDir: string): Promise<void> {
  const started = performance.now();
  const store = await startEmbeddedStore({ dataDir });
  const client = await MongoClient.connect(store.uri);
  const count = await client.db('bench').collection('characters').estimatedDocumentCount();
  const one = await client.db('bench').collection('characters').findOne({ owner: 'user7', slug: 'character-7' });
  const readyMs = performance.now() - started;
  (globalThis as { gc?: () => void }).gc?.();
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  console.log(JSON.stringify({ readyMs, rssMb, count, found: one !== null }));
  await client.close();
  await store.close();
}

export async function run(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'charsheet-bench-store-'));
  try {
    const { rows, threaded, coldInserts } = await throughput(path.join(root, 'throughput'));
    const bulkDir = path.join(root, 'bulk');
    const loadStarted = performance.now();
    await bulkLoad(bulkDir);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const self = fileURLToPath(import.meta.url);
    const probe = JSON.parse(execFileSync(process.execPath, ['--expose-gc', self, '--restart-probe', bulkDir], { encoding: 'utf8' }).trim().split('\n').pop()!) as { readyMs: number; rssMb: number; count: number; found: boolean };
    if (probe.count !== BULK_DOCUMENTS || !probe.found) throw new Error(`restart lost documents: ${JSON.stringify(probe)}`);
    const journalMb = fs.statSync(path.join(bulkDir, 'bench.journal')).size / 1024 / 1024;
    rows.push(
      { metric: 'restart with 100k documents', value: probe.readyMs / 1000, unit: 's', target: 3, higherIsBetter: false },
      { metric: 'RSS after restart, 100k docs', value: probe.rssMb, unit: 'MB', target: 250, higherIsBetter: false },
    );
    // The same mongoose phases with the store's thread sleeping between requests, for the ratio busy polling buys.
    const sleeping = await throughput(path.join(root, 'throughput-no-busy-poll'), 0);
    print(rows, threaded, coldInserts);
    const ratios = sleeping.rows.map((row, i) => `${row.metric.replace(/ \(.*\)$/, '')} ${row.value.toFixed(0)}/s (default ${((rows[i]?.value ?? 0) / row.value).toFixed(2)}×)`);
    console.log(`  (store thread sleeping between requests, EMBEDDED_DB_BUSY_POLL_US=0: ${ratios.join(', ')})`);
    console.log('  (busy: share of each phase an event loop was running, waits included, and the store thread\'s busy polling; near 100% on the mongoose thread marks the limit)');
    console.log(`  (bulk load of 100k documents: ${loadSeconds.toFixed(1)} s through insertMany; journal ${journalMb.toFixed(0)} MB; figures are noisy on a shared 2-core machine)`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--restart-probe' && process.argv[3]) await restartProbe(process.argv[3]);
else if (process.argv[2] === '--throughput-only') {
  // Only the mongoose phase, for profiling it (node --cpu-prof profiles the store's thread too).
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'charsheet-bench-store-'));
  try {
    const { rows, threaded, coldInserts } = await throughput(path.join(root, 'throughput'));
    print(rows, threaded, coldInserts);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
else if (import.meta.url === `file://${process.argv[1]}`) await run();
