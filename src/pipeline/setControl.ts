// What the use cases that act on an existing set share: their collaborators, and how they announce a change.
import type { Logger } from '../logger.js';
import type { CharacterRepository, ImageSpool, JobQueue, ObjectStore, ProgressBus, ProgressEvent, RecordedEvent } from '../ports.js';
import type { MetadataContext } from './metadata.js';
import { queueSet } from './setQueue.js';

export interface SetControlDeps {
  characters: CharacterRepository;
  store: ObjectStore;
  spool: ImageSpool;
  progress: ProgressBus;
  queue: JobQueue;
  /** What metadata.json says about the generator, for sets that end outside a worker (cancel). */
  metadata: Omit<MetadataContext, 'urls'>;
  logger: Logger;
}

/** Publishes the event a request's write took a number for; subscribers that miss it catch up from the record. */
export async function announce(deps: Pick<SetControlDeps, 'progress' | 'logger'>, characterId: string, recorded: RecordedEvent, event: Pick<ProgressEvent, 'kind' | 'status' | 'variation'>): Promise<void> {
  const { completed, failed, total, sequence } = recorded;
  await deps.progress.publish({ characterId, sequence, completed, failed, total, ...event }).catch((error: unknown) => deps.logger.warn({ err: error, characterId }, 'progress publish failed'));
}

/** New work on a set: a job of a new round, so a job of the set that is just finishing cannot swallow it. */
export async function queueWork(deps: Pick<SetControlDeps, 'characters' | 'queue' | 'logger'>, recorded: RecordedEvent): Promise<void> {
  const { record } = recorded;
  await queueSet(deps, record, record.embeddings.imageEmbeddings.workVersion ?? 0).catch((error: unknown) => deps.logger.error({ err: error, characterId: record.id }, 'could not enqueue reopened set; it will be resumed'));
}
