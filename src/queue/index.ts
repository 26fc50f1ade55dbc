import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../ports.js';
import { BullMqQueue } from './bullmq.js';
import { InProcessQueue } from './inProcess.js';

/** BullMQ when REDIS_URL is set (processes share the work), otherwise in this process. */
export function createJobQueue(config: Config, logger: Logger): JobQueue {
  return config.REDIS_URL ? new BullMqQueue(config.REDIS_URL, config.WORKER_CONCURRENCY, logger) : new InProcessQueue(config.WORKER_CONCURRENCY, logger);
}
