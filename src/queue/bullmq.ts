// JobQueue on BullMQ, for running API and worker processes apart (REDIS_URL). The job id is the character
// id and its round of work, so a set already waiting or running is not queued twice (while new work on it, a
// regenerate, gets a job of its own); finished jobs are removed so a later resume can queue the same id again.
// BullMQ's own retries stay off: the pipeline retries variations itself and the resumer re-enqueues whatever
// a crashed worker left unfinished.
//
// Every key lives under QUEUE_PREFIX, so deployments sharing a Redis never take each other's jobs. A job's
// priority is its rank among its owner's sets (lowest first, FIFO within one rank), so across all workers every
// owner's oldest set starts before anyone's second. BullMQ's lock on a running job lasts the set's lease and is
// checked for stalls four times per lease: a killed worker's jobs are noticed about one lease after it died (not
// after BullMQ's default 30 s plus 30 s), and the set's lease, not BullMQ, keeps the work exactly-once.
import { Queue, Worker } from 'bullmq';
import type { Logger } from '../logger.js';
import type { JobQueue, SetJob } from '../ports.js';

export const REFERENCE_SET_QUEUE = 'reference-sets';
/** BullMQ's lowest priority; ranks beyond it share it. */
const LOWEST_PRIORITY = 2_097_152;

interface ReferenceSetJob {
  characterId: string;
  owner: string;
}

export interface BullMqOptions {
  redisUrl: string;
  /** Sets this process runs at once. */
  concurrency: number;
  /** SET_LEASE_MS: how long a set stays claimed by a worker that stopped renewing. */
  leaseMs: number;
  /** Key prefix (QUEUE_PREFIX). */
  prefix: string;
  logger: Logger;
}

export class BullMqQueue implements JobQueue {
  private readonly queue: Queue<ReferenceSetJob>;
  private worker: Worker<ReferenceSetJob> | null = null;
  /** Sets taken over from a dead worker, run beside this worker's own (see start). */
  private readonly takeovers = new Set<Promise<void>>();

  constructor(private readonly options: BullMqOptions) {
    this.queue = new Queue<ReferenceSetJob>(REFERENCE_SET_QUEUE, { connection: { url: options.redisUrl }, prefix: options.prefix });
    // Without a listener BullMQ prints a lost Redis connection's errors raw on stderr, outside the logs.
    this.queue.on('error', (error) => options.logger.warn({ reason: error.message }, 'queue: Redis unreachable; retrying'));
  }

  async enqueue(job: SetJob): Promise<void> {
    await this.queue.add(
      'reference-set',
      { characterId: job.characterId, owner: job.owner },
      { jobId: `${job.characterId}-${job.round ?? 0}`, priority: Math.min(LOWEST_PRIORITY, job.rank + 1), removeOnComplete: true, removeOnFail: true, attempts: 1 },
    );
  }

  start(handler: (characterId: string) => Promise<void>): void {
    const { redisUrl, concurrency, leaseMs, prefix, logger } = this.options;
    this.worker = new Worker<ReferenceSetJob>(REFERENCE_SET_QUEUE, async (job) => handler(job.data.characterId), {
      connection: { url: redisUrl, maxRetriesPerRequest: null },
      prefix,
      concurrency,
      lockDuration: leaseMs,
      stalledInterval: Math.max(250, Math.floor(leaseMs / 4)),
      // A job that looked stalled (an event loop blocked past the lock) is simply handed out again: the set's
      // lease lets only one worker generate, so failing it after one stall would only delay the set.
      maxStalledCount: 1_000,
    });
    // A stalled job goes back to the line, where it waits until some worker has a free slot: with every worker
    // busy with its own sets, a dead worker's half-done set would wait for whole sets to finish. The worker whose
    // stall check found it runs it at once instead, beside its own; the copy left in the line later finds the
    // set leased (or finished) and returns.
    this.worker.on('stalled', (jobId) => this.takeOver(jobId, handler));
    this.worker.on('failed', (job, error) => logger.error({ err: error, characterId: job?.data.characterId }, 'reference set job failed; it will be resumed'));
    this.worker.on('error', (error) => logger.error({ err: error }, 'queue worker error'));
  }

  private takeOver(jobId: string, handler: (characterId: string) => Promise<void>): void {
    const { logger } = this.options;
    const run = this.queue
      .getJob(jobId)
      .then(async (job) => {
        if (!job) return;
        logger.info({ characterId: job.data.characterId }, 'taking over a stalled reference set');
        await handler(job.data.characterId);
      })
      .catch((error: unknown) => logger.error({ err: error, jobId }, 'taking over a stalled reference set failed; it will be resumed'))
      .finally(() => this.takeovers.delete(run));
    this.takeovers.add(run);
  }

  /** The queue's own Redis connection answers (while Redis is away, ioredis holds the PING until it is back). */
  async ready(): Promise<void> {
    await (await this.queue.getBackend().client).runCommand('ping', []);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await Promise.all(this.takeovers);
    await this.queue.close();
  }
}
