// Which MongoDB the tests use: a real server when TEST_MONGODB_URI is set (each call gets its own database,
// dropped on close), else the embedded store in a fresh temporary folder on a random port.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedStore } from '../../src/db/embedded/index.js';

export interface TestDatabase {
  /** Server URI without a database name: mongodb://host:port (or TEST_MONGODB_URI as given). */
  uri: string;
  dbName: string;
  /** uri with dbName as its path, ready for mongoose.connect / MongoClient. */
  dbUri: string;
  /** Set for the embedded store only: its data folder (restart tests reopen it). */
  dataDir: string | null;
  close(): Promise<void>;
}

export const usingRealMongo = Boolean(process.env.TEST_MONGODB_URI);

export function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const dbName = `test_${randomBytes(6).toString('hex')}`;
  const real = process.env.TEST_MONGODB_URI;
  if (real) {
    return {
      uri: real,
      dbName,
      dbUri: withDatabase(real, dbName),
      dataDir: null,
      async close() {
        const client = await MongoClient.connect(real);
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'charsheet-db-'));
  const store = await startEmbeddedStore({ dataDir });
  return {
    uri: store.uri,
    dbName,
    dbUri: `${store.uri}/${dbName}`,
    dataDir,
    async close() {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
