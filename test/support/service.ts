// Starts the real service on a random port with a fresh data folder: the embedded store by default, or a
// unique database on TEST_MONGODB_URI when that is set.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startService, type RunningService, type ServiceOverrides } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';

export interface TestService extends RunningService {
  config: Config;
  dataDir: string;
  /** Stops the service and deletes its data folder (and its database on a real MongoDB). */
  destroy(): Promise<void>;
}

/** A database URI of its own on TEST_MONGODB_URI, so parallel test files never share data. */
export function testMongoUri(): string | undefined {
  const base = process.env.TEST_MONGODB_URI;
  if (!base) return undefined;
  const url = new URL(base);
  url.pathname = `/charsheet_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  return url.toString();
}

export async function testConfig(dataDir: string, env: Record<string, string> = {}): Promise<Config> {
  const mongoUri = testMongoUri();
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RETRY_BASE_DELAY_MS: '10',
    // Scoring costs ~120 ms of CPU an image: only the identity tests turn it on.
    IDENTITY: 'off',
    ...(mongoUri ? { MONGODB_URI: mongoUri } : {}),
    ...env,
  });
}

export async function startTestService(env: Record<string, string> = {}, overrides: ServiceOverrides = {}): Promise<TestService> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-test-'));
  const config = await testConfig(dataDir, env);
  const service = await startService(config, overrides);
  return {
    ...service,
    config,
    dataDir,
    destroy: async () => {
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
