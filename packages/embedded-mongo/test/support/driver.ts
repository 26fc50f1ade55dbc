// Shared set-up for the conformance suite: a fresh database per file (embedded store, or TEST_MONGODB_URI),
// reached through the official driver and through a mongoose connection of its own (what typegoose models use).
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import mongoose from 'mongoose';
import { afterAll, beforeAll } from 'vitest';
import { startTestDatabase, type TestDatabase } from './database.js';

export interface DriverFixture {
  database: TestDatabase;
  client: MongoClient;
  db: Db;
  connection: mongoose.Connection;
}

/** Registers beforeAll/afterAll hooks and returns a fixture filled in once they have run. */
export function useDriver(): DriverFixture {
  const fixture = {} as DriverFixture;
  beforeAll(async () => {
    fixture.database = await startTestDatabase();
    fixture.client = await MongoClient.connect(fixture.database.uri);
    fixture.db = fixture.client.db(fixture.database.dbName);
    fixture.connection = await mongoose.createConnection(fixture.database.dbUri).asPromise();
  });
  afterAll(async () => {
    await fixture.connection?.close();
    await fixture.client?.close();
    await fixture.database?.close();
  });
  return fixture;
}

/** The server error a promise rejects with (fails the test if it resolves or rejects otherwise). */
export async function serverError(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MongoServerError) return error;
    throw error;
  }
  throw new Error('expected the server to refuse the command');
}

/** The server's version as [major, minor] (a real server may be newer than the 7.0 the store reports). */
export async function serverVersion(db: Db): Promise<[number, number]> {
  const { versionArray } = await db.admin().command({ buildInfo: 1 });
  return [Number(versionArray[0]), Number(versionArray[1])];
}
