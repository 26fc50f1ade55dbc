// Generating one new image of a character (generateCharacterImage) in the background: the worker leases the
// image, conditions the request on the character's avatar, sends it through the same paced generator as the
// reference sets (background priority: only avatars go first), stores it under the character's
// `generations/` folder and records it, publishing each change on the character's image channel. Attempts
// and retries follow the variations' rules (VARIATION_MAX_ATTEMPTS, back-off, failures charged only when the
// backend answered). A stopped process hands the image back; a crashed one's lease expires and the resumer
// takes the image over, so no image stays pending for ever. A delete from any process stops the work.
import { randomUUID } from 'node:crypto';
import type { CharacterRecord } from '../domain/character.js';
import type { CharacterImageState } from '../domain/characterImages.js';
import { characterImagePrompt } from '../domain/prompts.js';
import { generatedImageKey } from '../domain/storageKeys.js';
import type { Logger } from '../logger.js';
import type { CharacterImageRef, CharacterImageRepository, GeneratedImage, ImageGenerator, ObjectStore, ProgressBus, ReferenceImage } from '../ports.js';
import { sleep } from '../support/abort.js';
import { keepLease } from './leaseKeeper.js';
import { referencesFor } from './references.js';
import { isRetryable, retryDelayMs, untilDone } from './retries.js';
import type { GenerationSettings } from './settings.js';
import { describeFailure, describeStoreFailure } from './slotProduction.js';
import { subjectOf } from './subject.js';

export interface CharacterImageDeps {
  images: CharacterImageRepository;
  generator: ImageGenerator;
  store: ObjectStore;
  progress: ProgressBus;
  settings: GenerationSettings;
  logger: Logger;
  /** How long a claim on an image lasts without renewal (SET_LEASE_MS, as for sets). */
  leaseMs: number;
}

/** One claimed image while this worker works on it. */
interface ImageWork {
  ref: CharacterImageRef;
  character: CharacterRecord;
  image: CharacterImageState;
  lease: AbortController;
  stop: AbortSignal;
  log: Logger;
  /** The write counting the latest attempt: the attempt's outcome is recorded after it, never before. */
  attemptWrite: Promise<void>;
}

export class CharacterImageRunner {
  readonly workerId = `images-${randomUUID()}`;
  private readonly shutdown = new AbortController();
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly deps: CharacterImageDeps) {}

  /** Starts work on the image unless this process already works on it; resolves when that work ends. */
  start(characterId: string, imageId: string): Promise<void> {
    const name = `${characterId}/${imageId}`;
    const existing = this.running.get(name);
    if (existing) return existing;
    const work = this.claimAndWork(characterId, imageId)
      .catch((error: unknown) => this.deps.logger.error({ err: error, characterId, imageId }, 'generating a character image failed unexpectedly; it will be resumed'))
      .finally(() => this.running.delete(name));
    this.running.set(name, work);
    return work;
  }

  /** Takes over every unfinished image nobody holds (at start, and after a crashed worker's lease expired). */
  async resumeAll(): Promise<number> {
    if (this.shutdown.signal.aborted) return 0;
    const resumable = await this.deps.images.findResumable(new Date());
    for (const { characterId, imageId } of resumable) void this.start(characterId, imageId);
    return resumable.length;
  }

  /** Stops new attempts and hands unfinished images back; resolves when every run has ended. */
  async stop(): Promise<void> {
    this.shutdown.abort(new Error('shutting down'));
    await Promise.allSettled(this.running.values());
  }

  private async claimAndWork(characterId: string, imageId: string): Promise<void> {
    const { images, leaseMs } = this.deps;
    const claimed = await images.claim(characterId, imageId, this.workerId, new Date(Date.now() + leaseMs), new Date());
    if (!claimed) return;
    const lease = new AbortController();
    const log = this.deps.logger.child({ characterId, imageId });
    const work: ImageWork = { ...claimed, lease, stop: AbortSignal.any([lease.signal, this.shutdown.signal]), log, attemptWrite: Promise.resolve() };
    const stopRenewing = keepLease((until) => images.renewLease(claimed.ref, this.workerId, until), leaseMs, () => lease.abort(new Error('lease lost')), log);
    const stopWatching = this.watchDeletion(work);
    try {
      await this.work(work);
      if (this.shutdown.signal.aborted && !lease.signal.aborted) await images.releaseLease(claimed.ref, this.workerId);
    } finally {
      stopRenewing();
      stopWatching();
    }
  }

  private async work(work: ImageWork): Promise<void> {
    const references = await referencesFor({ record: work.character, stop: work.stop, log: work.log }, this.deps.store, this.deps.settings);
    if (!references) return;
    const image = await this.generate(work, references);
    if (!image || work.stop.aborted) return;
    const key = generatedImageKey(work.character, work.image.id, image.contentType);
    const stored = await untilDone(() => this.deps.store.put(key, image.bytes, image.contentType), {
      signal: work.stop,
      baseDelayMs: this.deps.settings.retryBaseDelayMs,
      onFailure: async (error, failures) => work.log.warn({ failures, error: describeStoreFailure(this.deps.store.name, error) }, 'storing a generated image failed; trying again'),
    });
    // Stopping: the image is generated again by whoever resumes it (a single image; sets spool theirs).
    if (!stored) return;
    const { width, height, generationMs } = image;
    await work.attemptWrite;
    const recorded = await this.deps.images.complete(work.ref, this.workerId, { key, version: stored.value.version, bytes: stored.value.bytes, width, height, generationMs }, new Date());
    if (!recorded) {
      // Deleted or taken over meanwhile: nobody points at this file (a new owner writes its own under the same key).
      if (work.lease.signal.aborted) await this.deps.store.delete(key).catch(() => undefined);
      return;
    }
    work.log.info({ key }, 'character image generated');
    await this.publish(work, recorded);
  }

  /** The image, or null when it failed for good or work stopped. */
  private async generate(work: ImageWork, references: ReferenceImage[]): Promise<(GeneratedImage & { generationMs: number }) | null> {
    const { generator, settings, images } = this.deps;
    const { image } = work;
    const subject = { ...subjectOf(work.character), style: image.style };
    for (let failures = image.failures; !work.stop.aborted; ) {
      if (failures >= settings.maxAttempts) {
        await this.fail(work, image.error ?? 'no attempts left', true);
        return null;
      }
      const started = performance.now();
      try {
        const generated = await generator.generate(
          {
            variation: 'custom',
            prompt: characterImagePrompt(subject, image.prompt),
            direction: image.prompt,
            negativePrompt: settings.negativePrompt,
            seed: image.seed,
            width: settings.width,
            height: settings.height,
            subject,
            timeoutMs: settings.variationTimeoutMs,
            ...(references.length > 0 ? { references } : {}),
          },
          work.stop,
          {
            dispatched: () => {
              work.attemptWrite = images
                .recordAttempt(work.ref, this.workerId, new Date())
                .then((now) => (now ? this.publish(work, now) : undefined))
                .catch((error: unknown) => work.log.warn({ err: error }, 'could not record an attempt'));
            },
          },
        );
        return { ...generated, generationMs: Math.round(performance.now() - started) };
      } catch (error) {
        if (work.stop.aborted) return null;
        failures += 1;
        const message = describeFailure(error);
        const final = failures >= settings.maxAttempts || !isRetryable(error);
        work.log.warn({ failures, final, error: message }, 'character image attempt failed');
        await this.fail(work, message, final);
        if (final) return null;
        await sleep(retryDelayMs(failures, settings.retryBaseDelayMs, error), work.stop).catch(() => undefined);
      }
    }
    return null;
  }

  private async fail(work: ImageWork, error: string, final: boolean): Promise<void> {
    await work.attemptWrite;
    const now = await this.deps.images.recordFailure(work.ref, this.workerId, { error, final }, new Date()).catch((writeError: unknown) => {
      work.log.warn({ err: writeError }, 'could not record a failed attempt');
      return null;
    });
    if (now && final) await this.publish(work, now);
  }

  private async publish(work: ImageWork, image: CharacterImageState): Promise<void> {
    await this.deps.progress.publishImage({ characterId: work.ref.characterId, image }).catch((error: unknown) => work.log.warn({ err: error }, 'image progress publish failed'));
  }

  /** A delete from any process is announced on the character's set topic: stop, and tell the image's subscribers. */
  private watchDeletion(work: ImageWork): () => void {
    const events = this.deps.progress.subscribe(work.ref.characterId);
    void (async () => {
      for await (const event of events) {
        if (event.kind !== 'deleted') continue;
        work.lease.abort(new Error('the character was deleted'));
        await this.publish(work, { ...work.image, status: 'failed', error: 'the character was deleted' });
        return;
      }
    })().catch((error: unknown) => work.log.warn({ err: error }, 'progress topic of a generated image failed'));
    return () => void events.return?.();
  }
}
