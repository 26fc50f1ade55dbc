import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ProgressBus } from '../ports.js';
import { InProcessProgressBus } from './inProcess.js';

/** Redis pub/sub when REDIS_URL is set (workers and API processes apart), otherwise in memory; ioredis is loaded only then. */
export async function createProgressBus(config: Config, logger: Logger): Promise<ProgressBus> {
  if (!config.REDIS_URL) return new InProcessProgressBus();
  const { RedisProgressBus } = await import('./redis.js');
  return RedisProgressBus.connect(config.REDIS_URL, config.queuePrefix, logger);
}
