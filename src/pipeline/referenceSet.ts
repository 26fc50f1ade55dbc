// Use case: generate a character's reference set in the background. The character record is the source of
// truth: the worker leases the set, produces every slot that needs work (unfinished, or asked to be
// regenerated; so a restart resumes where the last process stopped), and at the end writes the metadata JSON
// and the final status, unless new work arrived meanwhile (a regenerate during the run), which it then does
// too. With IDENTITY=on, each image is scored as it is stored and, once every slot has one, the set's identity
// check (setIdentity.ts) regenerates the slots that drifted before the set ends. Pacing toward the backend
// lives in the generator (PacedGenerator), so all slots are started at once and the pacer decides how many
// really run. A cancel or a delete from any process takes the lease away and is
// announced on the set's progress topic: the run stops at once and in-flight backend requests are cancelled.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { CharacterRecord, VariationState } from '../domain/character.js';
import { finalSetStatus, isUnfinished } from '../domain/statuses.js';
import { VARIATIONS } from '../domain/variations.js';
import type { Logger } from '../logger.js';
import type { CharacterRepository, ImageGenerator, ImageSpool, Metrics, ObjectStore, ProgressBus } from '../ports.js';
import type { IdentityScorer } from './identityScorer.js';
import { keepLease } from './leaseKeeper.js';
import { buildMetadata, putMetadata } from './metadata.js';
import { sleep } from '../support/abort.js';
import { untilDone } from './retries.js';
import type { GenerationSettings } from './settings.js';
import { SetRun } from './setRun.js';
import { referencesFor } from './references.js';
import { SetIdentityCheck } from './setIdentity.js';
import { describeStoreFailure, SlotProducer } from './slotProduction.js';
import { subjectOf } from './subject.js';

export interface ReferenceSetDeps {
  characters: CharacterRepository;
  generator: ImageGenerator;
  store: ObjectStore;
  spool: ImageSpool;
  progress: ProgressBus;
  settings: GenerationSettings;
  logger: Logger;
  /** How long a claim on a set lasts without renewal; a crashed worker's sets are resumable after it. */
  leaseMs: number;
  /** Scores and self-corrects each set's identity (IDENTITY=on); null: no scores. */
  identity: IdentityScorer | null;
  /** Told of retries and of judged identity scores (images and latencies are reported by the generator's own wrapper). */
  metrics?: Pick<Metrics, 'retry' | 'identityScore'>;
}

/** A slot the worker must produce: not finished yet, or asked for a new image. */
export function needsWork(slot: VariationState): boolean {
  return isUnfinished(slot) || slot.replacement !== undefined;
}

/** Rounds of work on one set in one run; each follows new work on the set, so this many means a loop, not users. */
const MAX_ROUNDS = 100;

export class ReferenceSetGenerator {
  /** Identifies this process's leases; unique per instance so a restarted process never mistakes old claims for its own. */
  readonly workerId = `worker-${randomUUID()}`;
  private readonly shutdown = new AbortController();
  /**
   * Sets this process is working on. A second job of one (new work on it) is picked up by the run under way, and
   * `again` makes the run look once more after it ends, for work that arrived just as it was finishing.
   */
  private readonly running = new Map<string, { again: boolean }>();

  constructor(private readonly deps: ReferenceSetDeps) {}

  /** Generates whatever the set needs. Returns quietly when the set is finished or leased by another worker. */
  async run(characterId: string): Promise<void> {
    const current = this.running.get(characterId);
    if (current) {
      current.again = true;
      return;
    }
    const state = { again: true };
    this.running.set(characterId, state);
    try {
      while (state.again && !this.shutdown.signal.aborted) {
        state.again = false;
        await this.claimAndWork(characterId);
      }
    } finally {
      this.running.delete(characterId);
    }
  }

  private async claimAndWork(characterId: string): Promise<void> {
    const { characters, leaseMs } = this.deps;
    const claimed = await this.claim(characterId);
    if (!claimed) return;
    const logger = this.deps.logger.child({ characterId });
    const { progress, settings, metrics } = this.deps;
    const run = new SetRun({ characters, progress, logger, workerId: this.workerId, retryBaseDelayMs: settings.retryBaseDelayMs, ...(metrics ? { metrics } : {}) }, claimed, this.shutdown.signal);
    // Each slot listens to it (waiting in the pacer, then in flight, then its retries): up to 40 listeners is normal.
    setMaxListeners(4 * VARIATIONS.length, run.stop);
    const stopRenewing = keepLease((until) => characters.renewLease(characterId, this.workerId, until), leaseMs, () => run.lease.abort(new Error('lease lost')), logger);
    try {
      logger.info({ resumed: claimed.variations.some((v) => v.attempts > 0) }, 'reference set started');
      await this.work(run);
      if (this.shutdown.signal.aborted && !run.lease.signal.aborted) await characters.releaseLease(characterId, this.workerId);
    } finally {
      stopRenewing();
    }
  }

  /**
   * Claims the set. A job handed out again because its worker stopped answering (BullMQ's stall check) may come
   * a little before the set's lease has run out: the claim is then tried once more when it does, so a dead
   * worker's set resumes about one lease after it died rather than at the resumer's next scan. Only a lease past
   * half its time is waited for: a live holder renews every third of it, so it never looks like that.
   */
  private async claim(characterId: string): Promise<CharacterRecord | null> {
    const { characters, leaseMs } = this.deps;
    const attempt = () => characters.claimSet(characterId, this.workerId, new Date(Date.now() + leaseMs), new Date());
    const claimed = await attempt();
    if (claimed) return claimed;
    const expiresAt = (await characters.findById(characterId))?.lease?.expiresAt.getTime();
    const wait = expiresAt === undefined ? -1 : expiresAt - Date.now();
    if (wait < 0 || wait > leaseMs / 2) return null;
    const expired = await sleep(wait + 1, this.shutdown.signal).then(() => true, () => false);
    return expired ? attempt() : null;
  }

  /** Stops starting new attempts and hands unfinished sets back, so the next start resumes them at once. */
  stop(): void {
    this.shutdown.abort(new Error('shutting down'));
  }

  private async work(run: SetRun): Promise<void> {
    const references = await referencesFor(run, this.deps.store, this.deps.settings);
    if (!references) return;
    const { metrics, generator } = this.deps;
    const judged = metrics ? (similarity: number) => metrics.identityScore({ backend: generator.name, similarity }) : undefined;
    const identity = this.deps.identity ? new SetIdentityCheck(this.deps.identity, run, this.deps.store, references, judged) : null;
    const producer = new SlotProducer(this.deps, run, subjectOf(run.record), references, identity);
    const inProgress = new Map<number, Promise<void>>();
    const slotWork = (index: number, job: () => Promise<void>): Promise<void> | null => {
      if (inProgress.has(index) || run.stop.aborted) return null;
      const work = job().finally(() => inProgress.delete(index));
      inProgress.set(index, work);
      return work;
    };
    const startWork = () =>
      run.record.variations.forEach((slot, index) => {
        if (needsWork(slot)) slotWork(index, () => producer.produce(index));
      });
    const stopWatching = this.watchControl(run, async () => {
      if (await run.refresh()) startWork();
    });
    try {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        startWork();
        while (inProgress.size > 0) await Promise.all(inProgress.values());
        if (identity && !run.stop.aborted) await identity.review(producer, slotWork);
        while (inProgress.size > 0) await Promise.all(inProgress.values());
        if (run.stop.aborted || (await this.finish(run))) return;
      }
      run.log.error({ rounds: MAX_ROUNDS }, 'reference set kept finding new work; leaving it for the next run');
    } finally {
      stopWatching();
    }
  }

  /**
   * Ends the set when nothing is left to do: metadata.json first (retried through a storage outage, visible as a
   * pending write), then the final status and 'done'. False when there is work after all (a regenerate arrived).
   */
  private async finish(run: SetRun): Promise<boolean> {
    const record = await run.refresh();
    if (!record) return true;
    if (record.variations.some(needsWork)) return false;
    const { store, generator, settings } = this.deps;
    const status = finalSetStatus(record.variations);
    const at = new Date();
    const metadata = buildMetadata(record, status, at, { generator: generator.name, negativePrompt: settings.negativePrompt, urls: store });
    const since = new Date();
    const written = await untilDone(() => putMetadata(store, record, metadata), {
      signal: run.stop,
      baseDelayMs: settings.retryBaseDelayMs,
      onFailure: async (error, retries) => {
        run.log.warn({ err: error, retries }, 'writing metadata.json failed; trying again');
        this.deps.metrics?.retry('metadata_write');
        await run.pendingWrite({ what: 'metadata.json', error: describeStoreFailure(store.name, error), since, retries });
      },
    });
    if (!written) return true;
    if (written.failures > 0) await run.pendingWrite(null, 'metadata.json');
    const totalImages = metadata.totalImages;
    const done = await run.finish({ status, totalImages, workVersion: record.embeddings.imageEmbeddings.workVersion ?? 0, metadata: written.value });
    if (!done) return run.stop.aborted;
    await this.deps.spool.removeCharacter(run.id).catch(() => undefined);
    run.log.info({ status, completed: done.completed, failed: done.failed }, 'reference set finished');
    return true;
  }

  /** Follows the set's progress topic while the run lasts: others' cancel or delete stop it, a reopen adds work. */
  private watchControl(run: SetRun, onReopened: () => Promise<void>): () => void {
    const events = this.deps.progress.subscribe(run.id);
    void (async () => {
      for await (const event of events) {
        if (event.kind === 'deleted' || (event.kind === 'done' && event.status === 'cancelled')) run.lease.abort(new Error(`the set was ${event.kind === 'deleted' ? 'deleted' : 'cancelled'}`));
        else if (event.kind === 'reopened') await onReopened().catch((error: unknown) => run.log.warn({ err: error }, 'could not pick up new work'));
      }
    })().catch((error: unknown) => run.log.warn({ err: error }, 'progress topic of a running set failed'));
    return () => void events.return?.();
  }
}
