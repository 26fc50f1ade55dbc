// Use case: generate a character's reference set in the background. The character record is the source of
// truth: the worker leases the set, generates every variation not yet finished (so a restart resumes where
// the last process stopped), records each image as it is stored, publishes progress, and at the end writes
// the metadata JSON and the final status. Pacing toward the backend lives in the generator (PacedGenerator),
// so all unfinished variations are started at once and the pacer decides how many really run.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { BackendError } from '../domain/errors.js';
import { imageExtension } from '../domain/imageFiles.js';
import { characterObjectKey } from '../domain/slug.js';
import { isUnfinished } from '../domain/statuses.js';
import { VARIATIONS } from '../domain/variations.js';
import type { Logger } from '../logger.js';
import type { Character } from '../models/character.js';
import type { CharacterRepository, ImageGenerator, ImageSubject, ObjectStore, ProgressBus, ProgressEvent, SetProgressCounts } from '../ports.js';
import { sleep, TimeoutError } from '../support/abort.js';
import { buildMetadata } from './metadata.js';
import type { GenerationSettings } from './settings.js';
import { subjectOf } from './subject.js';

export interface ReferenceSetDeps {
  characters: CharacterRepository;
  generator: ImageGenerator;
  store: ObjectStore;
  progress: ProgressBus;
  settings: GenerationSettings;
  logger: Logger;
  /** How long a claim on a set lasts without renewal; a crashed worker's sets are resumable after it. */
  leaseMs: number;
}

const MAX_RETRY_DELAY_MS = 60_000;

/** Exponential backoff with jitter, never shorter than what the backend asked for. */
export function retryDelayMs(attempt: number, baseMs: number, error: unknown): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (attempt - 1));
  const jittered = exponential * (0.5 + Math.random() * 0.5);
  const advised = error instanceof BackendError ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(jittered, advised);
}

function isRetryable(error: unknown): boolean {
  if (error instanceof BackendError) return error.retryable;
  return true;
}

function describe(error: unknown, storeName: string): string {
  if (error instanceof BackendError || error instanceof TimeoutError) return error.message;
  return `${storeName}: ${error instanceof Error ? error.message : String(error)}`;
}

export class ReferenceSetGenerator {
  /** Identifies this process's leases; unique per instance so a restarted process never mistakes old claims for its own. */
  readonly workerId = `worker-${randomUUID()}`;
  private readonly shutdown = new AbortController();

  constructor(private readonly deps: ReferenceSetDeps) {}

  /** Generates whatever is unfinished in the set. Returns quietly when the set is finished or leased by another worker. */
  async run(characterId: string): Promise<void> {
    const { characters, leaseMs } = this.deps;
    const character = await characters.claimSet(characterId, this.workerId, new Date(Date.now() + leaseMs), new Date());
    if (!character) return;
    const log = this.deps.logger.child({ characterId });
    const lease = new AbortController();
    const stop = AbortSignal.any([lease.signal, this.shutdown.signal]);
    // Each unfinished variation listens to it (waiting in the pacer, then in flight): up to 20 listeners is normal.
    setMaxListeners(4 * VARIATIONS.length, stop);
    const renewal = setInterval(() => {
      characters
        .renewLease(characterId, this.workerId, new Date(Date.now() + leaseMs))
        .then((held) => {
          if (!held) lease.abort(new Error('lease lost to another worker'));
        })
        .catch((error: unknown) => log.warn({ err: error }, 'lease renewal failed'));
    }, Math.max(1, Math.floor(leaseMs / 3)));
    try {
      log.info({ resumed: character.variations.some((v) => v.attempts > 0) }, 'reference set started');
      // Every unfinished variation starts now (the pacer decides when each reaches the backend), so their
      // first attempts are recorded in one write rather than ten.
      const firstAttempts = character.variations.flatMap((v, index) => (isUnfinished(v) && v.attempts < this.deps.settings.maxAttempts ? [index] : []));
      await characters.startVariations(characterId, firstAttempts, new Date());
      // One subject for the set's ten requests: with 1,000 sets in flight, 10,000 requests wait at once.
      const subject = subjectOf(character);
      await Promise.all(character.variations.map((_, index) => this.produceVariation(character, subject, index, stop)));
      if (this.shutdown.signal.aborted && !lease.signal.aborted) await characters.releaseLease(characterId, this.workerId);
      if (stop.aborted) return;
      await this.finish(characterId, log);
    } finally {
      clearInterval(renewal);
    }
  }

  /** Stops starting new attempts and hands unfinished sets back, so the next start resumes them at once. */
  stop(): void {
    this.shutdown.abort(new Error('shutting down'));
  }

  private async produceVariation(character: Character, subject: ImageSubject, index: number, stop: AbortSignal): Promise<void> {
    const record = character.variations[index];
    const spec = VARIATIONS[index];
    if (!record || !spec || !isUnfinished(record)) return;
    const { characters, generator, store, settings } = this.deps;
    const id = character._id.toString();

    if (record.attempts >= settings.maxAttempts) {
      // Interrupted during its last permitted attempt (a crash or restart): the budget is spent, record it.
      const counts = await characters.failVariation(id, index, `${record.error ?? 'interrupted'} (no attempts left after ${record.attempts})`, true, new Date());
      await this.publish({ characterId: id, kind: 'variation', variation: spec.type, status: 'failed', error: record.error ?? 'interrupted', ...counts });
      return;
    }

    for (let attempt = record.attempts + 1; !stop.aborted; attempt++) {
      // The first attempt was recorded with the set's other first attempts in run().
      if (attempt > record.attempts + 1) await characters.startVariations(id, [index], new Date());
      const started = performance.now();
      try {
        // The attempt's deadline runs from when the request reaches the backend (the pacer enforces it), so
        // a variation waiting behind thousands of others neither times out nor holds a timer while it waits.
        const image = await generator.generate(
          { variation: spec.type, prompt: record.prompt, negativePrompt: settings.negativePrompt, seed: record.seed, width: settings.width, height: settings.height, subject, timeoutMs: settings.variationTimeoutMs },
          stop,
        );
        const generationMs = Math.round(performance.now() - started);
        const key = characterObjectKey({ ownerSlug: character.ownerSlug, characterSlug: character.slug, folder: 'embeddings', file: `${spec.type}.${imageExtension(image.contentType)}` });
        const stored = await store.put(key, image.bytes, image.contentType);
        const counts = await characters.completeVariation(id, index, { url: stored.url, key, bytes: stored.bytes, width: image.width, height: image.height, generationMs }, new Date());
        await this.publish({ characterId: id, kind: 'variation', variation: spec.type, status: 'completed', url: stored.url, ...counts });
        return;
      } catch (error) {
        if (stop.aborted) return;
        const message = describe(error, store.name);
        const final = attempt >= settings.maxAttempts || !isRetryable(error);
        const counts = await characters.failVariation(id, index, message, final, new Date());
        this.deps.logger.warn({ characterId: id, variation: spec.type, attempt, final, error: message }, 'variation attempt failed');
        if (final) {
          await this.publish({ characterId: id, kind: 'variation', variation: spec.type, status: 'failed', error: message, ...counts });
          return;
        }
        await sleep(retryDelayMs(attempt, settings.retryBaseDelayMs, error), stop).catch(() => undefined);
      }
    }
  }

  private async finish(characterId: string, log: Logger): Promise<void> {
    const { characters, store, generator, settings } = this.deps;
    const character = await characters.findById(characterId);
    if (!character) return;
    const completed = character.variations.filter((variation) => variation.status === 'completed');
    const status = completed.length > 0 ? 'completed' : 'failed';
    const at = new Date();
    const metadata = buildMetadata(character, { generator: generator.name, negativePrompt: settings.negativePrompt, status, completedAt: at });
    const metadataKey = characterObjectKey({ ownerSlug: character.ownerSlug, characterSlug: character.slug, folder: 'embeddings', file: 'metadata.json' });
    const stored = await store.put(metadataKey, new TextEncoder().encode(JSON.stringify(metadata, null, 2)), 'application/json');
    const urls = completed.map((variation) => variation.url).filter((url): url is string => url !== undefined);
    await characters.finishSet(characterId, this.workerId, { status, metadataUrl: stored.url, urls, at });
    const counts: SetProgressCounts = { completed: completed.length, failed: character.variations.length - completed.length, total: character.variations.length };
    await this.publish({ characterId, kind: 'done', status, ...counts });
    log.info({ status, ...counts }, 'reference set finished');
  }

  /** Progress is best effort: a subscriber can always catch up with embeddingStatus, so a failed publish never fails the set. */
  private async publish(event: ProgressEvent): Promise<void> {
    await this.deps.progress.publish(event).catch((error: unknown) => this.deps.logger.warn({ err: error, characterId: event.characterId }, 'progress publish failed'));
  }
}
