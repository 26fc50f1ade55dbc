// The environment of a child service that generates on the RunPod simulator with tiny images and a short lease:
// what the restart tests share, so each says only what it adds.
import type { RunPodSimulator } from '../../bench/simulator/runpod.js';
import { testMongoUri } from './service.js';

export function runpodChildEnv(runpod: RunPodSimulator, dataDir: string, concurrency: number, extra: Record<string, string> = {}): Record<string, string> {
  const mongoUri = testMongoUri();
  return {
    DATA_DIR: dataDir,
    IMAGE_GENERATOR: 'runpod',
    RUNPOD_API_KEY: runpod.apiKey,
    RUNPOD_ENDPOINT_ID: runpod.endpointId,
    RUNPOD_BASE_URL: runpod.baseUrl,
    RUNPOD_REST_URL: runpod.restUrl,
    GENERATOR_MAX_CONCURRENCY: String(concurrency),
    IMAGE_WIDTH: '64',
    IMAGE_HEIGHT: '64',
    SET_LEASE_MS: '1500',
    ...(mongoUri ? { MONGODB_URI: mongoUri } : {}),
    ...extra,
  };
}
