// The one place that decides which MongoDB the service uses: MONGODB_URI when set, else the embedded store
// in config.embeddedDbDir. Logs one line saying which, never the URI's credentials.
import mongoose from 'mongoose';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedStore, type EmbeddedStore } from './embedded/index.js';

export interface DatabaseConnection {
  uri: string;
  embedded: EmbeddedStore | null;
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
    embedded = await startEmbeddedStore({ dataDir: config.embeddedDbDir, logger });
    uri = `${embedded.uri}/charsheet`;
    logger.info({ database: 'embedded', dataDir: config.embeddedDbDir, uri }, 'using the embedded store (MONGODB_URI not set)');
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
    async close() {
      await mongoose.disconnect();
      await embedded?.close();
    },
  };
}
