// The database a child service (childService.ts) works on, opened from the test so it can look at records or
// write what an older version wrote: MONGODB_URI when the service was given one, else its embedded store's
// loopback address, which the service logs at start.
import { type Collection, type Document, MongoClient } from 'mongodb';
import { type ChildService, logLines } from './childService.js';

export interface ChildDatabase {
  client: MongoClient;
  characters: Collection<Document>;
  close(): Promise<void>;
}

export async function openChildDatabase(child: ChildService, mongoUri?: string): Promise<ChildDatabase> {
  const embedded = logLines(child.stdout).find((line) => line.msg === 'using the embedded store (MONGODB_URI not set)');
  const uri = mongoUri ?? (embedded?.tcpUri as string | undefined);
  if (!uri) throw new Error('the service logged no database address');
  const client = await MongoClient.connect(uri);
  const characters = client.db(new URL(uri).pathname.slice(1) || 'charsheet').collection('characters');
  return { client, characters, close: () => client.close() };
}
