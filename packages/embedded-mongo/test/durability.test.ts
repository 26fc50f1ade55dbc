// Durability of the embedded store (its own files, so these tests do not run against a real server):
// restart, torn last record, compaction, and kill -9 of a process in the middle of writes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedStore, type EmbeddedStore } from '../src/index.js';
import { usingRealMongo } from './support/database.js';

const open: Array<{ store: EmbeddedStore; client: MongoClient }> = [];
const folders: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charsheet-durable-'));
  folders.push(dir);
  return dir;
}

async function start(dataDir: string, compactMinBytes?: number) {
  const store = await startEmbeddedStore({ dataDir, compactMinBytes });
  const client = await MongoClient.connect(store.uri);
  const handle = { store, client, db: client.db('durable') };
  open.push(handle);
  return handle;
}

async function stop(handle: { store: EmbeddedStore; client: MongoClient }): Promise<void> {
  await handle.client.close();
  await handle.store.close();
  open.splice(open.indexOf(handle), 1);
}

afterEach(async () => {
  for (const handle of [...open]) await stop(handle);
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(usingRealMongo)('embedded store durability', () => {
  it('keeps documents, updates, deletes, collections and unique indexes across a restart', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const people = first.db.collection('people');
    await people.createIndex({ email: 1 }, { unique: true });
    await people.insertMany([{ email: 'a', n: 1 }, { email: 'b', n: 2 }, { email: 'c', n: 3 }]);
    await people.updateOne({ email: 'a' }, { $inc: { n: 10 } });
    await people.deleteOne({ email: 'b' });
    await first.db.createCollection('empty');
    await stop(first);

    const second = await start(dir);
    const again = second.db.collection('people');
    expect(await again.find({}, { projection: { _id: 0 } }).sort({ email: 1 }).toArray()).toEqual([{ email: 'a', n: 11 }, { email: 'c', n: 3 }]);
    expect((await second.db.listCollections().toArray()).map((c) => c.name).sort()).toEqual(['empty', 'people']);
    const duplicate = await again.insertOne({ email: 'c' }).catch((error: { code?: number }) => error);
    expect((duplicate as { code?: number }).code).toBe(11000);
  });

  it('refuses a second store on a data folder that is in use', async () => {
    const dir = tempDir();
    await start(dir);
    await expect(startEmbeddedStore({ dataDir: dir })).rejects.toThrow(/in use/);
  });

  it('skips a torn last record and keeps every record before it', async () => {
    const dir = tempDir();
    const first = await start(dir);
    await first.db.collection('notes').insertMany([{ t: 'one' }, { t: 'two' }]);
    await stop(first);
    const journal = path.join(dir, 'durable.journal');
    // A crash in the middle of an append: a length prefix promising more bytes than were written.
    const torn = Buffer.alloc(12);
    torn.writeUInt32LE(500, 0);
    fs.appendFileSync(journal, torn);

    const second = await start(dir);
    expect((await second.db.collection('notes').find().toArray()).map((d) => d.t)).toEqual(['one', 'two']);
    await second.db.collection('notes').insertOne({ t: 'three' });
    await stop(second);

    const third = await start(dir);
    expect((await third.db.collection('notes').find().toArray()).map((d) => d.t)).toEqual(['one', 'two', 'three']);
  });

  it('detects a record whose bytes changed in the middle of the journal by its CRC, and never serves it', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const notes = first.db.collection('notes');
    await notes.insertOne({ _id: 1 as never, text: 'first-note' });
    await notes.insertOne({ _id: 2 as never, text: 'second-note' });
    await notes.insertOne({ _id: 3 as never, text: 'third-note' });
    await stop(first);
    // One flipped byte inside the second document's record (its string, so the BSON itself stays well-formed
    // and only the checksum can tell): 'second-note' becomes 'secoed-note'.
    const journal = path.join(dir, 'durable.journal');
    const bytes = fs.readFileSync(journal);
    const at = bytes.indexOf('second-note');
    expect(at).toBeGreaterThan(0);
    bytes[at + 4] = 'e'.charCodeAt(0);
    fs.writeFileSync(journal, bytes);

    const warnings: Array<{ fields: object; message: string }> = [];
    const logger = { level: 'warn', child: () => ({ trace() {}, debug() {}, info() {}, warn: (fields: object, message: string) => warnings.push({ fields, message }), error() {} }) };
    const store = await startEmbeddedStore({ dataDir: dir, logger });
    const client = await MongoClient.connect(store.uri);
    open.push({ store, client });
    const texts = (await client.db('durable').collection('notes').find().toArray()).map((doc) => doc.text);
    // Loading stops at the damaged record: what precedes it is served, the damaged bytes never are.
    expect(texts).toEqual(['first-note']);
    expect(warnings.some(({ fields }) => (fields as { tornBytes?: number }).tornBytes! > 0)).toBe(true);
  });

  it('compacts a journal that outgrows its live data without losing anything', async () => {
    const dir = tempDir();
    const first = await start(dir, 64 * 1024);
    const counters = first.db.collection('counters');
    await counters.insertOne({ _id: 'c' as never, n: 0, pad: 'p'.repeat(500) });
    for (let i = 0; i < 1000; i += 1) await counters.updateOne({ _id: 'c' as never }, { $inc: { n: 1 } });
    const size = fs.statSync(path.join(dir, 'durable.journal')).size;
    expect(size).toBeLessThan(200 * 1024); // 1000 records of ~560 bytes would be ~560 KiB uncompacted
    await stop(first);
    const second = await start(dir, 64 * 1024);
    expect(await second.db.collection('counters').findOne({ _id: 'c' as never })).toMatchObject({ n: 1000 });
  });

  it('keeps every acknowledged write after kill -9 of the process in the middle of writes', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [new URL('./fixtures/crashWriter.mjs', import.meta.url).pathname, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const errors: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const acknowledged: string[] = [];
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`writer exited early (${code}): ${errors.join('')}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line === 'ready') return;
        acknowledged.push(line);
        if (acknowledged.length === 400) resolve();
      });
    });
    child.kill('SIGKILL');
    await exited;

    const after = await start(dir);
    const acks = after.client.db('crash').collection<{ _id: string; confirmed?: boolean }>('acks');
    const stored = new Map((await acks.find().toArray()).map((doc) => [doc._id, doc]));
    const missing = acknowledged.filter((id) => stored.get(id)?.confirmed !== true);
    expect(missing).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);
  });
});
