// Producing one slot of a set: generate (attempts counted when the request reaches the backend, failures charged
// only when the backend answered with one), store (retried through an outage, the image spooled meanwhile so a
// restart stores it instead of generating it again), record. A replacement (regenerate) is stored under a key of
// its own and takes over the slot only once stored; the old image is removed after that.
import { variationKey } from '../domain/storageKeys.js';
import type { VariationIdentity } from '../domain/character.js';
import type { GeneratedImage, ImageGenerator, ImageSpool, ImageSubject, Metrics, ObjectStore, ReferenceImage, SpooledImageId, StoredObject, StoredVariation } from '../ports.js';
import { sleep, TimeoutError } from '../support/abort.js';
import { BackendError } from '../domain/errors.js';
import { isRetryable, retryDelayMs, untilDone } from './retries.js';
import type { GenerationSettings } from './settings.js';
import type { SetIdentityCheck } from './setIdentity.js';
import type { SetRun } from './setRun.js';

export interface SlotDeps {
  generator: ImageGenerator;
  store: ObjectStore;
  spool: ImageSpool;
  settings: GenerationSettings;
  metrics?: Pick<Metrics, 'retry'>;
}

type Image = GeneratedImage & { generationMs: number };

/** A slot's regeneration stored under the slot's next key but not recorded: the identity check decides whether it takes over. */
export interface Candidate {
  stored: StoredVariation;
  image: Uint8Array;
}

/** A store's failure as users see it: adapters name themselves in BackendErrors, anything else gets the store's name. */
export function describeStoreFailure(storeName: string, error: unknown): string {
  return error instanceof BackendError ? error.message : `${storeName}: ${describeFailure(error)}`;
}

/** A generation attempt's failure as users see it. */
export function describeFailure(error: unknown): string {
  if (error instanceof BackendError || error instanceof TimeoutError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function storedVariation(key: string, stored: StoredObject, image: Image, seed: number, generation: number, identity?: VariationIdentity): StoredVariation {
  return { key, version: stored.version, bytes: stored.bytes, width: image.width, height: image.height, generationMs: image.generationMs, seed, generation, ...(identity ? { identity } : {}) };
}

export class SlotProducer {
  constructor(
    private readonly deps: SlotDeps,
    private readonly run: SetRun,
    private readonly subject: ImageSubject,
    /** The images every request of the set is conditioned on (the avatar), or none. */
    private readonly references: ReferenceImage[],
    /** Scores each new image before it is recorded (IDENTITY=on), so its progress event carries the score. */
    private readonly identity: SetIdentityCheck | null = null,
  ) {}

  /** Works on the slot until it is recorded, fails for good, or the run stops. */
  async produce(index: number): Promise<void> {
    const { run } = this;
    const slot = run.record.variations[index];
    if (!slot) return;
    const replacing = slot.status === 'completed' && slot.replacement !== undefined;
    const seed = replacing ? slot.replacement!.seed : slot.seed;
    const spoolId: SpooledImageId = { characterId: run.id, variation: slot.type, seed };
    // A slot already sent to the backend before (a resumed set) may have been generated and left in the spool.
    const spooled = slot.attempts > 0 ? await this.deps.spool.load(spoolId).catch(() => null) : null;
    const image = spooled ?? (await this.generate(index, seed, replacing, slot.failures));
    if (!image) return;
    if (run.stop.aborted) return this.keepForLater(spoolId, image);
    // A replacement is the slot's next image; a first image (or a failed slot's retry) is its first.
    const generation = replacing ? (slot.generation ?? 1) + 1 : 1;
    const key = variationKey(run.record, slot.type, generation, image.contentType);
    const stored = await this.storeDurably(slot.type, key, image, spoolId);
    if (!stored) return this.keepForLater(spoolId, image);
    const identity = this.identity ? await this.identity.scoreNew(index, key, image.bytes, replacing ? slot.identity : undefined).catch(() => null) : undefined;
    if (identity === null) return this.unrecorded(index, key, spoolId, image); // stopped while scoring
    const recorded = await this.record(index, storedVariation(key, stored, image, seed, generation, identity), replacing);
    if (!recorded) return this.unrecorded(index, key, spoolId, image);
    await this.deps.spool.remove(spoolId).catch(() => undefined);
  }

  /**
   * A new image for a completed slot from the seed of its replacement (the identity check asked for it), generated
   * and stored like any other but not recorded. Null when it failed (recorded as the slot's failure) or the run stopped.
   */
  async candidate(index: number): Promise<Candidate | null> {
    const slot = this.run.record.variations[index];
    if (!slot?.replacement) return null;
    const { seed } = slot.replacement;
    const image = await this.generate(index, seed, true, slot.failures);
    if (!image || this.run.stop.aborted) return null;
    const generation = (slot.generation ?? 1) + 1;
    const key = variationKey(this.run.record, slot.type, generation, image.contentType);
    const spoolId: SpooledImageId = { characterId: this.run.id, variation: slot.type, seed };
    const stored = await this.storeDurably(slot.type, key, image, spoolId);
    if (!stored) return null;
    await this.deps.spool.remove(spoolId).catch(() => undefined);
    return { stored: storedVariation(key, stored, image, seed, generation), image: image.bytes };
  }

  /** The candidate becomes the slot's image (its progress event says it replaced one); the image it replaces is removed. */
  async takeOver(index: number, candidate: Candidate, identity: VariationIdentity): Promise<void> {
    await this.record(index, { ...candidate.stored, identity }, true);
  }

  /** A candidate that was not kept: nothing points at its object. */
  async discard(candidate: Candidate): Promise<void> {
    await this.deps.store.delete(candidate.stored.key).catch((error: unknown) => this.run.log.warn({ err: error, key: candidate.stored.key }, 'could not remove a rejected image'));
  }

  /** Records the slot's new image; a replacement removes the image it replaced once it is recorded. */
  private async record(index: number, stored: StoredVariation, replacing: boolean): Promise<boolean> {
    const previous = this.run.record.variations[index]?.key;
    const recorded = await this.run.completed(index, stored, replacing);
    if (!recorded) return false;
    if (replacing && previous && previous !== stored.key) await this.deps.store.delete(previous).catch((error: unknown) => this.run.log.warn({ err: error, key: previous }, 'could not remove a replaced image'));
    return true;
  }

  /** Generated but not recorded because the process is stopping: the next run stores it from the spool. */
  private async keepForLater(spoolId: SpooledImageId, image: Image): Promise<void> {
    if (this.run.lease.signal.aborted) return;
    await this.deps.spool.save(spoolId, image).catch((error: unknown) => this.run.log.warn({ err: error }, 'could not spool the image'));
  }

  /**
   * Stored but not recorded. Stopping: keep it for the next run. Cancelled or deleted meanwhile: nobody will point
   * at it, so remove it. Taken over by another worker: leave it, that worker writes the same key.
   */
  private async unrecorded(index: number, key: string, spoolId: SpooledImageId, image: Image): Promise<void> {
    if (!this.run.lease.signal.aborted) return this.keepForLater(spoolId, image);
    const now = await this.run.read();
    const slot = now?.variations[index];
    const abandoned = !now || Boolean(now.removal) || (slot?.status === 'cancelled' && slot.key !== key);
    if (abandoned) await this.deps.store.delete(key).catch((error: unknown) => this.run.log.warn({ err: error, key }, 'could not remove an abandoned image'));
  }

  /** The image, or null when the slot failed for good or the run stopped. */
  private async generate(index: number, seed: number, replacing: boolean, failuresSoFar: number): Promise<Image | null> {
    const { run } = this;
    const { generator, settings } = this.deps;
    const slot = run.record.variations[index]!;
    for (let failures = failuresSoFar; !run.stop.aborted; ) {
      if (failures >= settings.maxAttempts) {
        // Its budget was spent by failures the backend reported (before a restart): record the end it reached.
        await run.failed(index, { error: slot.error ?? 'no attempts left', final: true, replacing });
        return null;
      }
      const started = performance.now();
      try {
        // The attempt's deadline runs from when the request reaches the backend (the pacer enforces it), so a
        // slot waiting behind thousands of others neither times out nor holds a timer while it waits.
        const image = await generator.generate(
          { variation: slot.type, prompt: slot.prompt, negativePrompt: settings.negativePrompt, seed, width: settings.width, height: settings.height, subject: this.subject, owner: run.record.ownerUsername, timeoutMs: settings.variationTimeoutMs, ...(this.references.length > 0 ? { references: this.references } : {}) },
          run.stop,
          { dispatched: () => run.dispatched(index, replacing) },
        );
        return { ...image, generationMs: Math.round(performance.now() - started) };
      } catch (error) {
        // Cut short by our own stop, a lease loss, a cancel or a delete: the backend did not fail, nothing is charged.
        if (run.stop.aborted) return null;
        failures += 1;
        const message = describeFailure(error);
        const final = failures >= settings.maxAttempts || !isRetryable(error);
        run.log.warn({ variation: slot.type, failures, final, error: message }, 'variation attempt failed');
        await run.failed(index, { error: message, final, replacing });
        if (final) return null;
        this.deps.metrics?.retry('generation');
        await sleep(retryDelayMs(failures, settings.retryBaseDelayMs, error), run.stop).catch(() => undefined);
      }
    }
    return null;
  }

  /** Stores until it works; a failed put spools the image and shows as a pending write until it is stored. */
  private async storeDurably(what: string, key: string, image: Image, spoolId: SpooledImageId): Promise<StoredObject | null> {
    const { run } = this;
    const { store, spool, settings } = this.deps;
    const since = new Date();
    const done = await untilDone(() => store.put(key, image.bytes, image.contentType), {
      signal: run.stop,
      baseDelayMs: settings.retryBaseDelayMs,
      onFailure: async (error, failures) => {
        run.log.warn({ variation: what, failures, err: error }, 'storing an image failed; keeping it and trying again');
        this.deps.metrics?.retry('image_write');
        if (failures === 1) await spool.save(spoolId, image).catch((spoolError: unknown) => run.log.warn({ err: spoolError }, 'could not spool the image'));
        await run.pendingWrite({ what, error: describeStoreFailure(store.name, error), since, retries: failures });
      },
    });
    if (done && done.failures > 0) await run.pendingWrite(null, what);
    return done ? done.value : null;
  }
}
