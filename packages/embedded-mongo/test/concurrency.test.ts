// Atomic claims across connections: workers on separate clients race findOneAndUpdate on the same documents;
// every document must be claimed exactly once.
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from './support/database.js';

const WORKERS = 4;
let database: TestDatabase;
let clients: MongoClient[];

beforeAll(async () => {
  database = await startTestDatabase();
  clients = await Promise.all(Array.from({ length: WORKERS }, () => MongoClient.connect(database.uri, { maxPoolSize: 5 })));
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await database?.close();
});

function jobs(client: MongoClient) {
  return client.db(database.dbName).collection<{ _id: number; state: string; by?: number }>('jobs');
}

describe('findAndModify claims from several connections', () => {
  it('gives one winner for each contested document', async () => {
    for (let round = 0; round < 20; round += 1) {
      await jobs(clients[0]!).insertOne({ _id: round, state: 'pending' });
      const attempts = clients.flatMap((client, worker) =>
        [0, 1].map(() => jobs(client).findOneAndUpdate({ _id: round, state: 'pending' }, { $set: { state: 'claimed', by: worker } })),
      );
      const winners = (await Promise.all(attempts)).filter((result) => result !== null);
      expect(winners).toHaveLength(1);
    }
  });

  it('hands each queued document to exactly one worker when all drain the queue at once', async () => {
    const queue = (client: MongoClient) => client.db(database.dbName).collection<{ n: number; state: string; by?: number }>('queue');
    await queue(clients[0]!).insertMany(Array.from({ length: 200 }, (_, n) => ({ n, state: 'pending' })));
    const claimedBy = await Promise.all(
      clients.flatMap((client, worker) =>
        [0, 1, 2].map(async () => {
          const mine: number[] = [];
          for (;;) {
            const job = await queue(client).findOneAndUpdate({ state: 'pending' }, { $set: { state: 'claimed', by: worker } }, { returnDocument: 'after' });
            if (!job) return mine;
            expect(job.by).toBe(worker);
            mine.push(job.n);
          }
        }),
      ),
    );
    const all = claimedBy.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 200 }, (_, n) => n));
    expect(await queue(clients[0]!).countDocuments({ state: 'pending' })).toBe(0);
  });
});
