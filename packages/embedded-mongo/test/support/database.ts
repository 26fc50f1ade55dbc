// Which MongoDB the store's tests use: a real server when TEST_MONGODB_URI is set (so each conformance test
// proves the real server does the same), else an embedded store of their own.
import { startTestDatabase as startDatabase, type TestDatabase } from '../../src/testing.js';

export type { TestDatabase } from '../../src/testing.js';

export const usingRealMongo = Boolean(process.env.TEST_MONGODB_URI);

export function startTestDatabase(): Promise<TestDatabase> {
  return startDatabase(process.env.TEST_MONGODB_URI);
}
