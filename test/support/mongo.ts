// Which MongoDB the tests use: a real server when TEST_MONGODB_URI is set (each call gets its own database,
// dropped on close), else the embedded store in a fresh temporary folder on a random port.
import { startTestDatabase as startDatabase, type TestDatabase } from '@charsheet/embedded-mongo/testing';

export { withDatabase, type TestDatabase } from '@charsheet/embedded-mongo/testing';

export const usingRealMongo = Boolean(process.env.TEST_MONGODB_URI);

export function startTestDatabase(): Promise<TestDatabase> {
  return startDatabase(process.env.TEST_MONGODB_URI);
}
