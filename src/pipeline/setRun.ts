// One reference set while this worker holds its lease: the only place that changes the set's record during a
// run. Writes that produce progress events go one after another (so events leave in their sequence order),
// each retried through a database outage until it lands; a write that no longer applies (the lease was taken
// away by a cancel or a delete, or expired and was taken over) stops the run, and the record is re-read so the
// run never works from a stale copy. Attempts are counted when requests reach the backend: the dispatches of
// one moment are coalesced into one write.
import type { CharacterRecord, VariationIdentity } from '../domain/character.js';
import { scoreOf } from '../domain/identityScores.js';
import type { Logger } from '../logger.js';
import type { CharacterRepository, Dispatch, Metrics, PendingWrite, ProgressBus, ProgressEvent, RecordedEvent, SetIdentityFindings, StoredObject, StoredVariation } from '../ports.js';
import { untilDone } from './retries.js';

export interface SetRunDeps {
  characters: CharacterRepository;
  progress: ProgressBus;
  logger: Logger;
  workerId: string;
  retryBaseDelayMs: number;
  metrics?: Pick<Metrics, 'retry'>;
}

export class SetRun {
  /** Aborted when the set is no longer this worker's: lease lost, cancelled, deleted. */
  readonly lease = new AbortController();
  /** Aborted when work on the set must stop: the lease is gone or the process is shutting down. */
  readonly stop: AbortSignal;
  readonly id: string;
  private chain: Promise<unknown> = Promise.resolve();
  private queuedDispatches: Dispatch[] = [];
  private dispatchFlush: Promise<void> | null = null;
  private readonly dispatchWrites = new Map<number, Promise<void>>();

  constructor(
    private readonly deps: SetRunDeps,
    public record: CharacterRecord,
    shutdown: AbortSignal,
  ) {
    this.id = record.id;
    this.stop = AbortSignal.any([this.lease.signal, shutdown]);
  }

  get log(): Logger {
    return this.deps.logger;
  }

  /** The pacer sent slot `index`'s request to the backend: one attempt, recorded with the others of this moment. */
  dispatched(index: number, replacing: boolean): void {
    this.queuedDispatches.push({ index, replacing });
    this.dispatchFlush ??= Promise.resolve().then(() => this.flushDispatches());
    this.dispatchWrites.set(index, this.dispatchFlush);
  }

  async completed(index: number, stored: StoredVariation, replaced: boolean): Promise<RecordedEvent | null> {
    await this.dispatchWrites.get(index);
    const spec = this.record.variations[index]!;
    return this.recordEvent(
      () => this.deps.characters.completeVariation(this.id, this.deps.workerId, index, stored, new Date()),
      (recorded) => ({
        kind: 'variation',
        variation: spec.type,
        status: 'completed',
        key: stored.key,
        version: stored.version,
        ...(replaced ? { replaced } : {}),
        ...(stored.identity ? { identity: scoreOf(stored.identity) } : {}),
        ...counts(recorded),
      }),
    );
  }

  /** A charged failure; `final` ends the slot (or its replacement) and is published. */
  async failed(index: number, failure: { error: string; final: boolean; replacing: boolean }): Promise<void> {
    await this.dispatchWrites.get(index);
    const spec = this.record.variations[index]!;
    const write = () => this.deps.characters.failVariation(this.id, this.deps.workerId, index, failure, new Date());
    if (!failure.final) {
      await this.serially(() => this.untilWritten(write));
      return;
    }
    await this.recordEvent(write, (recorded) => ({ kind: 'variation', variation: spec.type, status: recorded.record.variations[index]!.status, error: failure.error, ...counts(recorded) }));
  }

  async finish(outcome: { status: 'completed' | 'failed'; totalImages: number; workVersion: number; metadata: StoredObject }): Promise<RecordedEvent | null> {
    return this.recordEvent(
      () => this.deps.characters.finishSet(this.id, this.deps.workerId, { ...outcome, at: new Date() }),
      (recorded) => {
        const { consistency } = recorded.record.embeddings.imageEmbeddings;
        return { kind: 'done', status: outcome.status, ...(consistency ? { consistency } : {}), ...counts(recorded) };
      },
    );
  }

  /** The identity check asks slot `index` for a new image with `seed`; false when the slot cannot take one. */
  async startIdentityRegeneration(index: number, seed: number): Promise<boolean> {
    return this.recordWrite(() => this.deps.characters.startIdentityRegeneration(this.id, this.deps.workerId, index, seed, new Date()));
  }

  /** The slot keeps its image; `identity` records the regeneration that lost. */
  async rejectIdentityCandidate(index: number, identity: VariationIdentity): Promise<boolean> {
    await this.dispatchWrites.get(index);
    return this.recordWrite(() => this.deps.characters.rejectIdentityCandidate(this.id, this.deps.workerId, index, identity, new Date()));
  }

  async recordSetIdentity(findings: SetIdentityFindings): Promise<boolean> {
    return this.recordWrite(() => this.deps.characters.recordSetIdentity(this.id, this.deps.workerId, findings, new Date()));
  }

  /** Shows (or with null, clears) a write being retried; best effort, it only informs. */
  async pendingWrite(pending: PendingWrite | null, what = pending?.what ?? ''): Promise<void> {
    const { characters } = this.deps;
    const { workerId } = this.deps;
    await (pending ? characters.setPendingWrite(this.id, workerId, pending) : characters.clearPendingWrite(this.id, workerId, what)).catch((error: unknown) => this.log.warn({ err: error, what }, 'could not record a pending write'));
  }

  /** The record as stored now (null when gone), without changing the run. */
  async read(): Promise<CharacterRecord | null> {
    return this.deps.characters.findById(this.id).catch(() => null);
  }

  /** Reads the record again; stops the run when the set is no longer this worker's. */
  async refresh(): Promise<CharacterRecord | null> {
    const record = await this.untilWritten(() => this.deps.characters.findById(this.id));
    if (!record || record.removal || record.lease?.owner !== this.deps.workerId) {
      this.lease.abort(new Error('the set is no longer this worker\'s (cancelled, deleted or taken over)'));
      return null;
    }
    this.record = record;
    return record;
  }

  async publish(event: Omit<ProgressEvent, 'characterId'>): Promise<void> {
    // Best effort: a subscriber that misses an event sees the gap in the sequence and catches up from the record.
    await this.deps.progress.publish({ characterId: this.id, ...event }).catch((error: unknown) => this.log.warn({ err: error }, 'progress publish failed'));
  }

  private async recordEvent(write: () => Promise<RecordedEvent | null>, event: (recorded: RecordedEvent) => Omit<ProgressEvent, 'characterId' | 'sequence'>): Promise<RecordedEvent | null> {
    return this.serially(async () => {
      const recorded = await this.untilWritten(write);
      if (!recorded) {
        // It no longer applies: taken away, or it landed on an earlier try whose answer was lost.
        if (!this.stop.aborted) await this.refresh();
        return null;
      }
      this.record = recorded.record;
      await this.publish({ sequence: recorded.sequence, ...event(recorded) });
      return recorded;
    });
  }

  /** A write without an event, in line with the others; the run continues from the record it answers. */
  private async recordWrite(write: () => Promise<CharacterRecord | null>): Promise<boolean> {
    return this.serially(async () => {
      const record = await this.untilWritten(write);
      if (record) this.record = record;
      else if (!this.stop.aborted) await this.refresh();
      return record !== null;
    });
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * A database write retried through an outage: the work it records is done and must not be redone. A shutdown
   * stops the retries (null), so it never hangs on a database that is down; what was generated is spooled.
   */
  private async untilWritten<T>(write: () => Promise<T>): Promise<T | null> {
    const done = await untilDone(write, {
      signal: this.stop,
      baseDelayMs: this.deps.retryBaseDelayMs,
      onFailure: async (error, failures) => {
        this.log.warn({ err: error, failures }, 'database write failed; trying again');
        this.deps.metrics?.retry('database_write');
      },
    });
    return done ? done.value : null;
  }

  private async flushDispatches(): Promise<void> {
    const dispatches = this.queuedDispatches;
    this.queuedDispatches = [];
    this.dispatchFlush = null;
    const held = await this.untilWritten(() => this.deps.characters.recordDispatches(this.id, this.deps.workerId, dispatches, new Date()));
    if (held === false) this.lease.abort(new Error('lease lost'));
  }
}

function counts(recorded: RecordedEvent) {
  return { completed: recorded.completed, failed: recorded.failed, total: recorded.total };
}
