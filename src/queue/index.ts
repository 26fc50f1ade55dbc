import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../ports.js';
import { InProcessQueue } from './inProcess.js';

/**
 * BullMQ when REDIS_URL is set (processes share the work), otherwise in this process. BullMQ is imported only
 * then: loading it and ioredis costs a process about 20 MB that the embedded default never uses.
 */
export async function createJobQueue(config: Config, logger: Logger): Promise<JobQueue> {
  if (!config.REDIS_URL) return new InProcessQueue(config.WORKER_CONCURRENCY, logger);
  const { BullMqQueue } = await import('./bullmq.js');
  return new BullMqQueue({ redisUrl: config.REDIS_URL, concurrency: config.WORKER_CONCURRENCY, leaseMs: config.SET_LEASE_MS, prefix: config.queuePrefix, logger });
}
