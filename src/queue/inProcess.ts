// The default JobQueue: reference sets run in this process, at most `concurrency` at once; a job (a character
// id and its round of work) already waiting or running is not queued again. Nothing is persisted here: the
// character record is durable, and the resumer re-enqueues unfinished sets after a restart.
//
// Which set starts next: the lowest rank (the owner's oldest unfinished sets first), oldest first among equal
// ranks; and one of the slots is kept for owners who run no set yet, so however many sets one owner queued,
// another owner's set starts at once (then the pacer shares the backend between them).
import type { Logger } from '../logger.js';
import type { JobQueue, SetJob } from '../ports.js';

interface Waiting {
  job: SetJob;
  key: string;
  /** Arrival order, for ties in rank. */
  order: number;
}

export class InProcessQueue implements JobQueue {
  private readonly waiting: Waiting[] = [];
  private readonly known = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  /** Sets running per owner. */
  private readonly owners = new Map<string, number>();
  private arrivals = 0;
  private handler: ((characterId: string) => Promise<void>) | null = null;
  private closed = false;

  constructor(
    private readonly concurrency: number,
    private readonly logger: Logger,
  ) {}

  async enqueue(job: SetJob): Promise<void> {
    if (this.closed) throw new Error('queue is closed');
    const key = `${job.characterId}:${job.round ?? 0}`;
    if (this.known.has(key)) return;
    this.known.add(key);
    this.waiting.push({ job, key, order: this.arrivals++ });
    this.drain();
  }

  start(handler: (characterId: string) => Promise<void>): void {
    this.handler = handler;
    this.drain();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    await Promise.allSettled([...this.running]);
  }

  /** The waiting job to start now, or -1: the last free slot only goes to an owner running nothing. */
  private nextIndex(): number {
    const lastSlot = this.concurrency > 1 && this.running.size === this.concurrency - 1;
    let best = -1;
    this.waiting.forEach((candidate, index) => {
      if (lastSlot && (this.owners.get(candidate.job.owner) ?? 0) > 0) return;
      const current = this.waiting[best];
      if (!current || candidate.job.rank < current.job.rank || (candidate.job.rank === current.job.rank && candidate.order < current.order)) best = index;
    });
    return best;
  }

  private drain(): void {
    const handler = this.handler;
    while (handler && !this.closed && this.running.size < this.concurrency) {
      const index = this.nextIndex();
      if (index < 0) return;
      const [{ job, key }] = this.waiting.splice(index, 1) as [Waiting];
      this.owners.set(job.owner, (this.owners.get(job.owner) ?? 0) + 1);
      const running: Promise<void> = handler(job.characterId)
        .catch((error: unknown) => this.logger.error({ err: error, characterId: job.characterId }, 'reference set job failed; it will be resumed'))
        .finally(() => {
          this.running.delete(running);
          this.known.delete(key);
          const left = (this.owners.get(job.owner) ?? 1) - 1;
          if (left > 0) this.owners.set(job.owner, left);
          else this.owners.delete(job.owner);
          this.drain();
        });
      this.running.add(running);
    }
  }
}
