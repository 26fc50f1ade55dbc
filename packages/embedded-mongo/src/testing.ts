// A database of its own for one test file: on a real MongoDB when a URI is given (a unique database, dropped
// on close), else on an embedded store in a fresh temporary folder on a random port (deleted on close). Suites
// that must also pass against a real server run on this, so the same test proves both.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedStore, type EmbeddedStoreOptions } from './index.js';

export interface TestDatabase {
  /** Server URI without a database name: mongodb://host:port (or the real server's URI as given). */
  uri: string;
  dbName: string;
  /** uri with dbName as its path, ready for mongoose.connect / MongoClient. */
  dbUri: string;
  /** Set for the embedded store only: its data folder (restart tests reopen it). */
  dataDir: string | null;
  close(): Promise<void>;
}

export function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/** `realUri`: a MongoDB to use instead of the embedded store (tests pass TEST_MONGODB_URI). */
export async function startTestDatabase(realUri?: string, storeOptions: Omit<EmbeddedStoreOptions, 'dataDir'> = {}): Promise<TestDatabase> {
  const dbName = `test_${randomBytes(6).toString('hex')}`;
  if (realUri) {
    return {
      uri: realUri,
      dbName,
      dbUri: withDatabase(realUri, dbName),
      dataDir: null,
      async close() {
        // Loaded only here: the driver is an optional peer, needed only to clean up a real server.
        const { MongoClient } = await import('mongodb');
        const client = await MongoClient.connect(realUri);
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-'));
  const store = await startEmbeddedStore({ ...storeOptions, dataDir });
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
