// JobQueue on BullMQ, for running API and worker processes apart (REDIS_URL). The job id is the character
// id and its round of work, so a set already waiting or running is not queued twice (while new work on it, a
// regenerate, gets a job of its own); finished jobs are removed so a later resume can queue the same id again. BullMQ's own retries stay off: the pipeline retries variations itself and
// the resumer re-enqueues whatever a crashed worker left unfinished.
import { Queue, Worker } from 'bullmq';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../ports.js';

export const REFERENCE_SET_QUEUE = 'charsheet-reference-sets';

interface ReferenceSetJob {
  characterId: string;
}

export class BullMqQueue implements JobQueue {
  private readonly queue: Queue<ReferenceSetJob>;
  private worker: Worker<ReferenceSetJob> | null = null;

  constructor(
    private readonly redisUrl: string,
    private readonly concurrency: number,
    private readonly logger: Logger,
    private readonly queueName = REFERENCE_SET_QUEUE,
  ) {
    this.queue = new Queue<ReferenceSetJob>(queueName, { connection: { url: redisUrl } });
    // Without a listener BullMQ prints a lost Redis connection's errors raw on stderr, outside the logs.
    this.queue.on('error', (error) => this.logger.warn({ reason: error.message }, 'queue: Redis unreachable; retrying'));
  }

  async enqueue(characterId: string, round = 0): Promise<void> {
    await this.queue.add('reference-set', { characterId }, { jobId: `${characterId}-${round}`, removeOnComplete: true, removeOnFail: true, attempts: 1 });
  }

  start(handler: (characterId: string) => Promise<void>): void {
    this.worker = new Worker<ReferenceSetJob>(this.queueName, async (job) => handler(job.data.characterId), {
      connection: { url: this.redisUrl, maxRetriesPerRequest: null },
      concurrency: this.concurrency,
    });
    this.worker.on('failed', (job, error) => this.logger.error({ err: error, characterId: job?.data.characterId }, 'reference set job failed; it will be resumed'));
    this.worker.on('error', (error) => this.logger.error({ err: error }, 'queue worker error'));
  }

  /** The queue's own Redis connection answers (while Redis is away, ioredis holds the PING until it is back). */
  async ready(): Promise<void> {
    await (await this.queue.getBackend().client).runCommand('ping', []);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
