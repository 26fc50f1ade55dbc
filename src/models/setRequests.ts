// The writes users ask for on a set (regenerate a slot, retry failed slots, cancel, delete). Each is one event
// write (eventWrites.ts) whose filter pins the state it was decided on, so a set that moved on meanwhile (a
// worker finished a slot) never gets a change decided on older state: the request is decided again on the new
// state, and answers null only when it no longer applies.
import type { Filter, UpdateFilter } from 'mongodb';
import type { CharacterRecord } from '../domain/character.js';
import { isFinishedSet, UNFINISHED_STATUSES } from '../domain/statuses.js';
import type { RecordedEvent } from '../ports.js';
import { type CharacterDocument, characterCollection, counterIs, knownId, SET, STATUS, toRecord, VISIBLE } from './characterDocuments.js';
import type { EventWrites } from './eventWrites.js';

const slot = (index: number) => `variations.${index}`;
const REOPENABLE_SLOT = ['completed', 'failed', 'cancelled'];

/** A fresh generation of a slot: new budget, no error. */
const freshSlot = (prefix: string) => ({ [`${prefix}.attempts`]: 0, [`${prefix}.failures`]: 0 });

/** A write decided on the record as read; null when the request does not apply to it. */
type Decision = { filter: Filter<CharacterDocument> & { _id: CharacterDocument['_id'] }; update: (next: number) => UpdateFilter<CharacterDocument> } | null;

/** Each retry follows a write that moved the set on; a handful in a row means a very busy set, not a bug. */
const MAX_DECISIONS = 10;

export abstract class SetRequests {
  constructor(private readonly eventWrites: EventWrites) {}

  requestRegeneration(id: string, index: number, seed: number, at: Date): Promise<RecordedEvent | null> {
    return this.decide(id, (current) => this.regeneration(current, index, seed, at));
  }

  requestRetry(id: string, at: Date): Promise<RecordedEvent | null> {
    return this.decide(id, (current) => this.retry(current, at));
  }

  cancelSet(id: string, at: Date): Promise<RecordedEvent | null> {
    return this.decide(id, (current) => this.cancel(current, at));
  }

  async markDeleted(id: string, at: Date): Promise<RecordedEvent | null> {
    return this.eventWrites.write({ _id: knownId(id), ...VISIBLE }, () => ({
      $set: { removal: { reason: 'deleted', requestedAt: at, notBefore: at }, updatedAt: at },
      $unset: { lease: 1 },
    }));
  }

  private async decide(id: string, decision: (current: CharacterRecord) => Decision): Promise<RecordedEvent | null> {
    for (let tries = 0; tries < MAX_DECISIONS; tries++) {
      const doc = await characterCollection().findOne({ _id: knownId(id), ...VISIBLE });
      const decided = doc ? decision(toRecord(doc)) : null;
      if (!decided) return null;
      const written = await this.eventWrites.write(decided.filter, decided.update);
      if (written) return written;
    }
    throw new Error(`set ${id} kept changing while a request on it was decided`);
  }

  private regeneration(current: CharacterRecord, index: number, seed: number, at: Date): Decision {
    const variation = current.variations[index];
    if (!variation || !REOPENABLE_SLOT.includes(variation.status) || variation.replacement) return null;
    const prefix = slot(index);
    const pinned = { ...this.pinSet(current), [`${prefix}.status`]: variation.status, [`${prefix}.replacement`]: null };
    // A slot showing an image keeps it until the new one is stored; a failed or cancelled one starts over.
    const slotChanges =
      variation.status === 'completed'
        ? { [`${prefix}.replacement`]: { seed, requestedAt: at } }
        : { [`${prefix}.status`]: 'pending', [`${prefix}.seed`]: seed };
    return {
      filter: pinned,
      update: (next) => ({
        $set: { ...slotChanges, ...freshSlot(prefix), ...this.reopened(current, at), [`${SET}.reopenedSequence`]: next },
        $unset: { [`${prefix}.error`]: 1, ...this.reopenedUnset(current) },
        $inc: { [`${SET}.workVersion`]: 1 },
      }),
    };
  }

  private retry(current: CharacterRecord, at: Date): Decision {
    const retried = current.variations.flatMap((variation, index) => (variation.status === 'failed' || variation.status === 'cancelled' ? [index] : []));
    if (retried.length === 0) return null;
    const pinned = { ...this.pinSet(current), ...Object.fromEntries(retried.map((index) => [`${slot(index)}.status`, current.variations[index]!.status])) };
    const $set: Record<string, unknown> = { ...this.reopened(current, at) };
    const $unset: Record<string, 1> = { ...this.reopenedUnset(current) };
    for (const index of retried) {
      Object.assign($set, { [`${slot(index)}.status`]: 'pending' }, freshSlot(slot(index)));
      Object.assign($unset, { [`${slot(index)}.error`]: 1, [`${slot(index)}.completedAt`]: 1 });
    }
    return { filter: pinned, update: (next) => ({ $set: { ...$set, [`${SET}.reopenedSequence`]: next }, $unset, $inc: { [`${SET}.workVersion`]: 1 } }) };
  }

  private cancel(current: CharacterRecord, at: Date): Decision {
    if (isFinishedSet(current.embeddings.imageEmbeddings.status)) return null;
    const totalImages = current.variations.filter((variation) => variation.status === 'completed').length;
    // The run it stops leaves its image writes unfinished for good: none is pending any more.
    const $set: Record<string, unknown> = { [STATUS]: 'cancelled', [`${SET}.totalImages`]: totalImages, [`${SET}.generationCompletedAt`]: at, [`${SET}.metadataPending`]: true, [`${SET}.pendingWrites`]: [], updatedAt: at };
    const $unset: Record<string, 1> = { lease: 1 };
    current.variations.forEach((variation, index) => {
      if ((UNFINISHED_STATUSES as readonly string[]).includes(variation.status)) Object.assign($set, { [`${slot(index)}.status`]: 'cancelled', [`${slot(index)}.completedAt`]: at });
      if (variation.replacement) $unset[`${slot(index)}.replacement`] = 1;
    });
    const pinned = { ...this.pinSet(current), ...Object.fromEntries(current.variations.map((variation, index) => [`${slot(index)}.status`, variation.status])) };
    return {
      filter: pinned,
      update: (next) => ({
        $set: { ...$set, [`${SET}.doneSequence`]: next },
        $unset,
        $inc: { [`${SET}.workVersion`]: 1 },
      }),
    };
  }

  /** The set's status and work version as read: a request decided on them must not apply to a set that moved on. */
  private pinSet(current: CharacterRecord) {
    const set = current.embeddings.imageEmbeddings;
    return { _id: knownId(current.id), ...VISIBLE, [STATUS]: set.status, [`${SET}.workVersion`]: counterIs(set.workVersion ?? 0) };
  }

  /** A finished set given new work goes back to generating (and will end with 'done' again). */
  private reopened(current: CharacterRecord, at: Date): Record<string, unknown> {
    return isFinishedSet(current.embeddings.imageEmbeddings.status) ? { [STATUS]: 'generating', updatedAt: at } : { updatedAt: at };
  }

  private reopenedUnset(current: CharacterRecord): Record<string, 1> {
    return isFinishedSet(current.embeddings.imageEmbeddings.status) ? { [`${SET}.generationCompletedAt`]: 1, [`${SET}.doneSequence`]: 1 } : {};
  }
}
