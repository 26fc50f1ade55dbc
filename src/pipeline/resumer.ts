// After a restart or a worker crash, unfinished sets are found in the database (the source of truth) and
// handed to the queue again. Runs at start and then periodically, so sets whose lease expired on a dead
// worker are picked up by a live one. Enqueueing twice is harmless: the queue dedupes and the set's lease
// lets only one worker generate.
import type { Logger } from '../logger.js';
import type { CharacterRepository, JobQueue } from '../ports.js';

export class SetResumer {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly characters: CharacterRepository,
    private readonly queue: JobQueue,
    private readonly logger: Logger,
  ) {}

  /** Enqueues every unfinished set; returns how many. */
  async resumeAll(): Promise<number> {
    const ids = await this.characters.findUnfinishedIds();
    for (const id of ids) await this.queue.enqueue(id);
    if (ids.length > 0) this.logger.info({ count: ids.length }, 'resuming unfinished reference sets');
    return ids.length;
  }

  start(intervalMs: number): void {
    const tick = () => {
      this.resumeAll().catch((error: unknown) => this.logger.error({ err: error }, 'resume scan failed'));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
