// After a restart or a worker crash, the database (the source of truth) says what background work is left,
// and this scan names every kind of it: unfinished sets go back to the queue (a dead worker's set once its
// lease has expired), sets that ended without their metadata.json get it written, and records marked for
// removal (deleted, or never committed by an interrupted createCharacter) are removed with their files. It
// runs at start and then periodically; generated images nobody holds are taken over too. Enqueueing twice is harmless: the queue dedupes and the set's lease lets
// only one worker generate; the other two are idempotent.
import type { Logger } from '../logger.js';
import type { CharacterRepository, ImageSpool, JobQueue, ObjectStore } from '../ports.js';
import type { MetadataContext } from './metadata.js';
import { writePendingMetadata } from './pendingMetadata.js';
import { removeDue } from './removals.js';
import { rankedJobs } from './setQueue.js';

export interface ResumerDeps {
  characters: CharacterRepository;
  queue: JobQueue;
  store: ObjectStore;
  spool: ImageSpool;
  metadata: Omit<MetadataContext, 'urls'>;
  /** Takes over generated images nobody is working on (characterImageRun.ts). */
  images: { resumeAll(): Promise<number> };
  logger: Logger;
}

export class SetResumer {
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | null = null;

  constructor(private readonly deps: ResumerDeps) {}

  /** One scan of every kind of leftover work; returns how many unfinished sets were queued. */
  async resumeAll(): Promise<number> {
    const { characters, queue, logger } = this.deps;
    const jobs = rankedJobs(await characters.findUnfinished());
    for (const job of jobs) await queue.enqueue(job);
    if (jobs.length > 0) logger.info({ count: jobs.length }, 'resuming unfinished reference sets');
    for (const id of await characters.findMetadataPendingIds()) {
      const record = await characters.findById(id);
      if (record) await writePendingMetadata(this.deps, record).catch((error: unknown) => logger.warn({ err: error, characterId: id }, 'metadata.json still not written; will retry'));
    }
    const images = await this.deps.images.resumeAll();
    if (images > 0) logger.info({ count: images }, 'resuming generated images');
    const removed = await removeDue(this.deps, new Date());
    if (removed > 0) logger.info({ count: removed }, 'finished removing characters');
    return jobs.length;
  }

  start(intervalMs: number): void {
    const tick = () => {
      // A slow scan (a storage outage during removals) is not started twice over.
      this.scanning ??= this.resumeAll()
        .then(() => undefined)
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'resume scan failed'))
        .finally(() => {
          this.scanning = null;
        });
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
