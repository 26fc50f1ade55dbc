// connectDatabase: the one place that picks MONGODB_URI or the embedded store, says which in one log line,
// and hands mongoose a working connection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { connectDatabase, redactUri } from '../../src/db/connect.js';
import { startTestDatabase, type TestDatabase } from '../support/mongo.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function capturingLogger() {
  const lines: Array<{ msg: string; database?: string; uri?: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as { msg: string }) });
  return { logger, lines };
}

describe('connectDatabase', () => {
  it('starts the embedded store under DATA_DIR when MONGODB_URI is not set, and says so once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'charsheet-connect-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const { logger, lines } = capturingLogger();
    const connection = await connectDatabase(loadConfig({ DATA_DIR: dataDir }), logger);
    cleanups.push(() => connection.close());
    expect(connection.embedded).not.toBeNull();
    await mongoose.connection.db!.collection('probe').insertOne({ ok: true });
    expect(await mongoose.connection.db!.collection('probe').countDocuments()).toBe(1);
    expect(fs.readdirSync(path.join(dataDir, 'db')).some((file) => file.endsWith('.journal'))).toBe(true);
    expect(lines.filter((line) => line.database !== undefined).map((line) => line.database)).toEqual(['embedded']);
  });

  it('uses MONGODB_URI when set and starts no store', async () => {
    const database: TestDatabase = await startTestDatabase();
    cleanups.push(() => database.close());
    const { logger, lines } = capturingLogger();
    const connection = await connectDatabase(loadConfig({ MONGODB_URI: database.dbUri }), logger);
    cleanups.push(() => connection.close());
    expect(connection.embedded).toBeNull();
    expect(mongoose.connection.readyState).toBe(1);
    expect(lines.filter((line) => line.database !== undefined).map((line) => line.database)).toEqual(['mongodb']);
  });

  it('never logs the credentials of a URI', () => {
    expect(redactUri('mongodb://app:s3cret@db.example.com:27017/charsheet?authSource=admin')).toBe('mongodb://db.example.com:27017/charsheet?authSource=admin');
    expect(redactUri('mongodb+srv://app:s3cret@cluster0.example.net/charsheet')).toBe('mongodb+srv://cluster0.example.net/charsheet');
    expect(redactUri('mongodb://127.0.0.1:27017/charsheet')).toBe('mongodb://127.0.0.1:27017/charsheet');
  });
});
