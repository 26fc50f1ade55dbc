// The default JobQueue: reference sets run in this process, at most `concurrency` at once; a job (a character
// id and its round of work) already waiting or running is not queued again. Nothing is persisted here: the
// character record is durable, and the resumer re-enqueues unfinished sets after a restart.
import type { Logger } from '../logger.js';
import type { JobQueue } from '../ports.js';

export class InProcessQueue implements JobQueue {
  private readonly waiting: { characterId: string; job: string }[] = [];
  private readonly known = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private handler: ((characterId: string) => Promise<void>) | null = null;
  private closed = false;

  constructor(
    private readonly concurrency: number,
    private readonly logger: Logger,
  ) {}

  async enqueue(characterId: string, round = 0): Promise<void> {
    if (this.closed) throw new Error('queue is closed');
    const job = `${characterId}:${round}`;
    if (this.known.has(job)) return;
    this.known.add(job);
    this.waiting.push({ characterId, job });
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

  private drain(): void {
    const handler = this.handler;
    while (handler && !this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      const { characterId, job } = this.waiting.shift()!;
      const running: Promise<void> = handler(characterId)
        .catch((error: unknown) => this.logger.error({ err: error, characterId }, 'reference set job failed; it will be resumed'))
        .finally(() => {
          this.running.delete(running);
          this.known.delete(job);
          this.drain();
        });
      this.running.add(running);
    }
  }
}
