// CharacterRepository on mongoose and the driver. Variation updates address the array by index
// (`variations.3.status`): the catalog order is fixed, and a positional path needs no arrayFilters support from
// the server. Reads and writes go through the driver's collection (characterDocuments.ts); the mongoose model
// (character.ts) defines the schema and its indexes. Event writes take the set's next event number (eventWrites.ts).
import type { Filter, UpdateFilter } from 'mongodb';
import { Types } from 'mongoose';
import type { CharacterRecord } from '../domain/character.js';
import { EMBEDDING_STATUSES, type EmbeddingStatus, UNFINISHED_STATUSES } from '../domain/statuses.js';
import type { VariationIdentity } from '../domain/character.js';
import type { CharacterRepository, Dispatch, NewCharacter, PendingWrite, RecordedEvent, SetIdentityFindings, StoredObject, StoredVariation } from '../ports.js';
import { type CharacterDocument, characterCollection, counterIs, knownId, newCharacterDocument, objectIdOrNull, SET, STATUS, toRecord, VISIBLE } from './characterDocuments.js';
import { EventWrites } from './eventWrites.js';
import { SetRequests } from './setRequests.js';

const slot = (index: number) => `variations.${index}`;

export class MongooseCharacterRepository extends SetRequests implements CharacterRepository {
  private readonly events: EventWrites;

  constructor(events = new EventWrites()) {
    super(events);
    this.events = events;
  }

  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async create(character: NewCharacter): Promise<CharacterRecord> {
    const doc = newCharacterDocument(character, new Date());
    await characterCollection().insertOne(doc);
    return toRecord(doc);
  }

  async commit(id: string, avatarVersion: string): Promise<CharacterRecord | null> {
    const doc = await characterCollection().findOneAndUpdate(
      { _id: knownId(id), 'removal.reason': 'uncommitted' },
      { $set: { avatarVersion, updatedAt: new Date() }, $unset: { removal: 1 } },
      { returnDocument: 'after' },
    );
    return doc ? toRecord(doc) : null;
  }

  async findById(id: string): Promise<CharacterRecord | null> {
    const _id = objectIdOrNull(id);
    const doc = _id ? await characterCollection().findOne({ _id }) : null;
    return doc ? toRecord(doc) : null;
  }

  async list(owner: string | null, limit: number, offset: number): Promise<CharacterRecord[]> {
    const filter = owner === null ? { ...VISIBLE } : { ownerUsername: owner, ...VISIBLE };
    const docs = await characterCollection().find(filter).sort({ createdAt: -1, _id: -1 }).skip(offset).limit(limit).toArray();
    return docs.map(toRecord);
  }

  async findUnfinished(): Promise<{ id: string; owner: string }[]> {
    const docs = await characterCollection().find({ [STATUS]: { $in: [...UNFINISHED_STATUSES] }, ...VISIBLE }, { projection: { _id: 1, ownerUsername: 1 } }).sort({ createdAt: 1 }).toArray();
    return docs.map((doc) => ({ id: doc._id.toHexString(), owner: doc.ownerUsername }));
  }

  async findMetadataPendingIds(): Promise<string[]> {
    return this.ids({ [`${SET}.metadataPending`]: true, ...VISIBLE });
  }

  async findRemovalsDue(now: Date): Promise<string[]> {
    return this.ids({ 'removal.reason': { $in: ['deleted', 'uncommitted'] }, 'removal.notBefore': { $lte: now } });
  }

  // Bounded by `atMost`, and counted by the database: not even the ids of a long backlog cross the wire.
  async countUnfinishedOf(owner: string, atMost: number): Promise<number> {
    return characterCollection().countDocuments({ ownerUsername: owner, [STATUS]: { $in: [...UNFINISHED_STATUSES] }, ...VISIBLE }, { limit: atMost });
  }

  async creationTimesSince(owner: string, since: Date, atMost: number): Promise<Date[]> {
    const docs = await characterCollection().find({ ownerUsername: owner, createdAt: { $gt: since } }, { projection: { createdAt: 1 } }).sort({ createdAt: 1 }).limit(atMost).toArray();
    return docs.map((doc) => doc.createdAt);
  }

  async ownersOfStorageFolder(ownerSlug: string, slug: string): Promise<string[]> {
    const docs = await characterCollection().find({ ownerSlug, slug, ...VISIBLE }, { projection: { ownerUsername: 1 } }).limit(10).toArray();
    return docs.map((doc) => doc.ownerUsername);
  }

  async countSetsByStatus(): Promise<Record<EmbeddingStatus, number>> {
    const counts = await Promise.all(EMBEDDING_STATUSES.map((status) => characterCollection().countDocuments({ [STATUS]: status, ...VISIBLE })));
    return Object.fromEntries(EMBEDDING_STATUSES.map((status, index) => [status, counts[index]!])) as Record<EmbeddingStatus, number>;
  }

  async claimSet(id: string, worker: string, leaseUntil: Date, now: Date): Promise<CharacterRecord | null> {
    const _id = objectIdOrNull(id);
    if (!_id) return null;
    // One atomic findOneAndUpdate: of two workers racing for the same set, exactly one matches. $min keeps the
    // first start time of a set resumed or reopened. Pending writes are a run's own: those of a run that died
    // (kill -9 during a storage outage) are moot, and this run shows again whichever still fail.
    const doc = await characterCollection().findOneAndUpdate(
      { _id, [STATUS]: { $in: [...UNFINISHED_STATUSES] }, ...VISIBLE, $or: [{ lease: null }, { 'lease.expiresAt': { $lte: now } }, { 'lease.owner': worker }] },
      { $set: { lease: { owner: worker, expiresAt: leaseUntil }, [STATUS]: 'generating', [`${SET}.pendingWrites`]: [], updatedAt: now }, $min: { [`${SET}.generationStartedAt`]: now } },
      { returnDocument: 'after' },
    );
    return doc ? toRecord(doc) : null;
  }

  async renewLease(id: string, worker: string, leaseUntil: Date): Promise<boolean> {
    const result = await characterCollection().updateOne({ _id: knownId(id), 'lease.owner': worker }, { $set: { 'lease.expiresAt': leaseUntil } });
    return result.matchedCount === 1;
  }

  async releaseLease(id: string, worker: string): Promise<void> {
    await characterCollection().updateOne({ _id: knownId(id), 'lease.owner': worker }, { $unset: { lease: 1 } });
  }

  async recordDispatches(id: string, worker: string, dispatches: Dispatch[], at: Date): Promise<boolean> {
    if (dispatches.length === 0) return true;
    const $set: Record<string, unknown> = { updatedAt: at };
    const $inc: Record<string, number> = {};
    for (const { index, replacing } of dispatches) {
      // A slot that shows an image keeps showing it (and its status) while its replacement is generated.
      if (!replacing) $set[`${slot(index)}.status`] = 'generating';
      $set[`${slot(index)}.startedAt`] = at;
      $inc[`${slot(index)}.attempts`] = 1;
    }
    const result = await characterCollection().updateOne({ _id: knownId(id), 'lease.owner': worker }, { $set, $inc });
    return result.matchedCount === 1;
  }

  async completeVariation(id: string, worker: string, index: number, stored: StoredVariation, at: Date): Promise<RecordedEvent | null> {
    const prefix = slot(index);
    // Only a slot still waiting for this image: a re-delivered image must not be recorded twice.
    const waiting = { $or: [{ [`${prefix}.status`]: { $in: [...UNFINISHED_STATUSES] } }, { [`${prefix}.replacement`]: { $ne: null } }] };
    return this.events.write({ _id: knownId(id), 'lease.owner': worker, ...waiting }, (next) => ({
      $set: {
        [`${prefix}.status`]: 'completed',
        [`${prefix}.key`]: stored.key,
        [`${prefix}.version`]: stored.version,
        [`${prefix}.bytes`]: stored.bytes,
        [`${prefix}.width`]: stored.width,
        [`${prefix}.height`]: stored.height,
        [`${prefix}.generationMs`]: stored.generationMs,
        [`${prefix}.seed`]: stored.seed,
        [`${prefix}.generation`]: stored.generation,
        [`${prefix}.completedAt`]: at,
        [`${prefix}.sequence`]: next,
        ...(stored.identity ? { [`${prefix}.identity`]: stored.identity } : {}),
        updatedAt: at,
      },
      $unset: { [`${prefix}.error`]: 1, [`${prefix}.replacement`]: 1, [`${prefix}.url`]: 1, ...(stored.identity ? {} : { [`${prefix}.identity`]: 1 }) },
    }));
  }

  async failVariation(id: string, worker: string, index: number, failure: { error: string; final: boolean; replacing: boolean }, at: Date): Promise<RecordedEvent | null> {
    const prefix = slot(index);
    const filter = { _id: knownId(id), 'lease.owner': worker };
    const error = failure.replacing ? `regeneration failed: ${failure.error}` : failure.error;
    if (!failure.final) {
      await characterCollection().updateOne(filter, { $set: { [`${prefix}.error`]: error, updatedAt: at }, $inc: { [`${prefix}.failures`]: 1 } });
      return null;
    }
    return this.events.write(filter, (next) => ({
      $set: { [`${prefix}.error`]: error, [`${prefix}.sequence`]: next, updatedAt: at, ...(failure.replacing ? {} : { [`${prefix}.status`]: 'failed', [`${prefix}.completedAt`]: at }) },
      $inc: { [`${prefix}.failures`]: 1 },
      ...(failure.replacing ? { $unset: { [`${prefix}.replacement`]: 1 } } : {}),
    }));
  }

  async setPendingWrite(id: string, worker: string, pending: PendingWrite): Promise<void> {
    // Two plain writes rather than a positional $set: it is informational, and a moment with no entry is harmless.
    await this.clearPendingWrite(id, worker, pending.what);
    await characterCollection().updateOne({ _id: knownId(id), 'lease.owner': worker, [`${SET}.pendingWrites.what`]: { $ne: pending.what } }, { $push: { [`${SET}.pendingWrites`]: pending } });
  }

  async clearPendingWrite(id: string, worker: string, what: string): Promise<void> {
    await characterCollection().updateOne({ _id: knownId(id), 'lease.owner': worker, [`${SET}.pendingWrites.what`]: what }, { $pull: { [`${SET}.pendingWrites`]: { what } } });
  }

  async finishSet(id: string, worker: string, outcome: { status: 'completed' | 'failed'; totalImages: number; workVersion: number; metadata: StoredObject; at: Date }): Promise<RecordedEvent | null> {
    return this.events.write({ _id: knownId(id), 'lease.owner': worker, [`${SET}.workVersion`]: counterIs(outcome.workVersion) }, (next) => ({
      $set: {
        [STATUS]: outcome.status,
        [`${SET}.metadataKey`]: outcome.metadata.key,
        [`${SET}.metadataVersion`]: outcome.metadata.version,
        [`${SET}.metadataPending`]: false,
        [`${SET}.totalImages`]: outcome.totalImages,
        [`${SET}.generationCompletedAt`]: outcome.at,
        [`${SET}.doneSequence`]: next,
        updatedAt: outcome.at,
      },
      $unset: { lease: 1, [`${SET}.metadataUrl`]: 1, [`${SET}.cloudinaryUrls`]: 1 },
    }));
  }

  async startIdentityRegeneration(id: string, worker: string, index: number, seed: number, at: Date): Promise<CharacterRecord | null> {
    const prefix = slot(index);
    return this.updated(
      { _id: knownId(id), 'lease.owner': worker, [`${prefix}.status`]: 'completed', [`${prefix}.replacement`]: null },
      { $set: { [`${prefix}.replacement`]: { seed, requestedAt: at }, [`${prefix}.attempts`]: 0, [`${prefix}.failures`]: 0, updatedAt: at }, $unset: { [`${prefix}.error`]: 1 } },
    );
  }

  async rejectIdentityCandidate(id: string, worker: string, index: number, identity: VariationIdentity, at: Date): Promise<CharacterRecord | null> {
    const prefix = slot(index);
    return this.updated({ _id: knownId(id), 'lease.owner': worker, [`${prefix}.key`]: identity.key }, { $set: { [`${prefix}.identity`]: identity, updatedAt: at }, $unset: { [`${prefix}.replacement`]: 1 } });
  }

  async recordSetIdentity(id: string, worker: string, findings: SetIdentityFindings, at: Date): Promise<CharacterRecord | null> {
    const $set: Record<string, unknown> = { [`${SET}.consistency`]: findings.consistency, identity: findings.character, updatedAt: at };
    for (const { index, identity } of findings.slots) $set[`${slot(index)}.identity`] = identity;
    return this.updated({ _id: knownId(id), 'lease.owner': worker }, { $set });
  }

  async metadataWritten(id: string, metadata: StoredObject): Promise<void> {
    await characterCollection().updateOne(
      { _id: knownId(id), [`${SET}.metadataPending`]: true },
      { $set: { [`${SET}.metadataKey`]: metadata.key, [`${SET}.metadataVersion`]: metadata.version, [`${SET}.metadataPending`]: false }, $unset: { [`${SET}.metadataUrl`]: 1, [`${SET}.cloudinaryUrls`]: 1 } },
    );
  }

  async remove(id: string): Promise<void> {
    await characterCollection().deleteOne({ _id: knownId(id), removal: { $ne: null } });
  }

  /** One lease-guarded write; the record after it, or null when it did not apply. */
  private async updated(filter: Filter<CharacterDocument>, update: UpdateFilter<CharacterDocument>): Promise<CharacterRecord | null> {
    const doc = await characterCollection().findOneAndUpdate(filter, update, { returnDocument: 'after' });
    return doc ? toRecord(doc) : null;
  }

  private async ids(filter: Record<string, unknown>): Promise<string[]> {
    const docs = await characterCollection().find(filter, { projection: { _id: 1 } }).toArray();
    return docs.map((doc) => doc._id.toHexString());
  }
}
