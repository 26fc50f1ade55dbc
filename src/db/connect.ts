// The one place that decides which MongoDB the service uses: MONGODB_URI when set, else the embedded store
// in config.embeddedDbDir. Logs one line saying which, never the URI's credentials.
import path from 'node:path';
import mongoose from 'mongoose';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedStore, type EmbeddedStore } from '@charsheet/embedded-mongo';

export interface DatabaseConnection {
  uri: string;
  embedded: EmbeddedStore | null;
  /** Readiness: the database answers a ping within `timeoutMs` (server selection included). */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** mongodb://user:secret@host/db → mongodb://host/db, for logs. */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1');
}

export async function connectDatabase(config: Config, logger: Logger): Promise<DatabaseConnection> {
  let embedded: EmbeddedStore | null = null;
  let uri: string;
  if (config.MONGODB_URI) {
    uri = config.MONGODB_URI;
    logger.info({ database: 'mongodb', uri: redactUri(uri) }, 'using MongoDB from MONGODB_URI');
  } else {
    // mongoose reaches the store through a unix socket when the path fits (sun_path holds ~107 bytes):
    // measured about 10% more operations per second than loopback TCP, which the store also serves.
    const socketPath = path.join(config.embeddedDbDir, 'mongodb.sock');
    const useSocket = Buffer.byteLength(socketPath) < 100 && process.platform !== 'win32';
    embedded = await startEmbeddedStore({ dataDir: config.embeddedDbDir, logger, socketPath: useSocket ? socketPath : undefined, busyPollUs: config.EMBEDDED_DB_BUSY_POLL_US });
    uri = useSocket ? `mongodb://${encodeURIComponent(socketPath)}/charsheet` : `${embedded.uri}/charsheet`;
    logger.info({ database: 'embedded', dataDir: config.embeddedDbDir, uri, tcpUri: `${embedded.uri}/charsheet` }, 'using the embedded store (MONGODB_URI not set)');
  }
  try {
    await mongoose.connect(uri);
  } catch (error) {
    await embedded?.close();
    throw error;
  }
  return {
    uri,
    embedded,
    async ping(timeoutMs) {
      // The driver's own operation timeout (CSOT) bounds server selection too, so no ping outlives its probe.
      const db = mongoose.connection.db;
      if (!db) throw new Error('not connected');
      await db.command({ ping: 1 }, { timeoutMS: timeoutMs });
    },
    async close() {
      await mongoose.disconnect();
      await embedded?.close();
    },
  };
}
