import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ProgressBus } from '../ports.js';
import { InProcessProgressBus } from './inProcess.js';
import { RedisProgressBus } from './redis.js';

/** Redis pub/sub when REDIS_URL is set (workers and API processes apart), otherwise in memory. */
export async function createProgressBus(config: Config, logger: Logger): Promise<ProgressBus> {
  return config.REDIS_URL ? RedisProgressBus.connect(config.REDIS_URL, logger) : new InProcessProgressBus();
}
