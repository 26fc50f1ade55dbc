// CharacterRepository on mongoose. Variation updates address the array by index (`variations.3.status`):
// the catalog order is fixed, and a positional path needs no arrayFilters support from the server.
import { Types } from 'mongoose';
import { isCharacterId } from '../domain/characterId.js';
import { UNFINISHED_STATUSES } from '../domain/statuses.js';
import type { CharacterRepository, NewCharacter, SetProgressCounts, StoredVariation } from '../ports.js';
import { type Character, CharacterModel } from './character.js';

const STATUS = 'embeddings.imageEmbeddings.status';
const COUNTS_PROJECTION = { 'variations.status': 1 } as const;

type VariationStatuses = { variations: { status: string }[] };

function countsOf(doc: VariationStatuses | null): SetProgressCounts {
  const variations = doc?.variations ?? [];
  return {
    completed: variations.filter((v) => v.status === 'completed').length,
    failed: variations.filter((v) => v.status === 'failed').length,
    total: variations.length,
  };
}

function objectId(id: string): Types.ObjectId | null {
  return isCharacterId(id) ? new Types.ObjectId(id) : null;
}

/** Ids the pipeline passes come from documents it read; a malformed one is a bug, not a missing character. */
function knownId(id: string): Types.ObjectId {
  const _id = objectId(id);
  if (!_id) throw new Error(`malformed character id ${JSON.stringify(id)}`);
  return _id;
}

/** The fields the raw writes touch, so the driver can check its update operators against them. */
interface RawCharacter {
  _id: Types.ObjectId;
  updatedAt: Date;
  variations: { status: string }[];
  embeddings: { imageEmbeddings: { cloudinaryUrls: string[]; totalImages: number } };
}

/**
 * The driver's own collection, for the writes made once per image: their values are already typed (no casting to
 * do) and they set `updatedAt` themselves, so mongoose's query layer would only add CPU to the hottest path.
 */
function rawCharacters() {
  const db = CharacterModel.db.db;
  if (!db) throw new Error('database is not connected');
  return db.collection<RawCharacter>(CharacterModel.collection.collectionName);
}

export class MongooseCharacterRepository implements CharacterRepository {
  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async create(character: NewCharacter): Promise<Character> {
    const { id, variations, ...fields } = character;
    const doc = await CharacterModel.create({
      _id: new Types.ObjectId(id),
      ...fields,
      variations: variations.map((variation) => ({ ...variation, status: 'pending', attempts: 0 })),
      embeddings: { imageEmbeddings: { status: 'pending', totalImages: 0, cloudinaryUrls: [], version: '1.0' } },
    });
    return doc.toObject();
  }

  async findById(id: string): Promise<Character | null> {
    const _id = objectId(id);
    return _id ? CharacterModel.findById(_id).lean<Character>().exec() : null;
  }

  async list(owner: string | null, limit: number): Promise<Character[]> {
    const filter = owner === null ? {} : { ownerUsername: owner };
    return CharacterModel.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<Character[]>().exec();
  }

  async findUnfinishedIds(): Promise<string[]> {
    const docs = await CharacterModel.find({ [STATUS]: { $in: UNFINISHED_STATUSES } }, { _id: 1 })
      .sort({ createdAt: 1 })
      .lean()
      .exec();
    return docs.map((doc) => doc._id.toHexString());
  }

  // Counting by fetching at most `atMost` ids keeps the query bounded and needs no aggregation support.
  async countUnfinishedOf(owner: string, atMost: number): Promise<number> {
    const docs = await CharacterModel.find({ ownerUsername: owner, [STATUS]: { $in: UNFINISHED_STATUSES } }, { _id: 1 }).limit(atMost).lean().exec();
    return docs.length;
  }

  async creationTimesSince(owner: string, since: Date, atMost: number): Promise<Date[]> {
    const docs = await CharacterModel.find({ ownerUsername: owner, createdAt: { $gt: since } }, { createdAt: 1 })
      .sort({ createdAt: 1 })
      .limit(atMost)
      .lean<{ createdAt: Date }[]>()
      .exec();
    return docs.map((doc) => doc.createdAt);
  }

  async ownersOfStorageFolder(ownerSlug: string, slug: string): Promise<string[]> {
    const docs = await CharacterModel.find({ ownerSlug, slug }, { ownerUsername: 1 }).limit(10).lean<{ ownerUsername: string }[]>().exec();
    return docs.map((doc) => doc.ownerUsername);
  }

  async claimSet(id: string, worker: string, leaseUntil: Date, now: Date): Promise<Character | null> {
    const _id = objectId(id);
    if (!_id) return null;
    // One atomic findOneAndUpdate: of two workers racing for the same set, exactly one matches.
    const claimed = await CharacterModel.findOneAndUpdate(
      {
        _id,
        [STATUS]: { $in: UNFINISHED_STATUSES },
        $or: [{ lease: null }, { 'lease.expiresAt': { $lte: now } }, { 'lease.owner': worker }],
      },
      { $set: { lease: { owner: worker, expiresAt: leaseUntil }, [STATUS]: 'generating' } },
      { returnDocument: 'after' },
    )
      .lean<Character>()
      .exec();
    if (claimed && !claimed.embeddings.imageEmbeddings.generationStartedAt) {
      await CharacterModel.updateOne(
        { _id, 'embeddings.imageEmbeddings.generationStartedAt': null },
        { $set: { 'embeddings.imageEmbeddings.generationStartedAt': now } },
      ).exec();
      claimed.embeddings.imageEmbeddings.generationStartedAt = now;
    }
    return claimed;
  }

  async renewLease(id: string, worker: string, leaseUntil: Date): Promise<boolean> {
    const result = await CharacterModel.updateOne({ _id: objectId(id), 'lease.owner': worker }, { $set: { 'lease.expiresAt': leaseUntil } }).exec();
    return result.matchedCount === 1;
  }

  async releaseLease(id: string, worker: string): Promise<void> {
    await CharacterModel.updateOne({ _id: objectId(id), 'lease.owner': worker }, { $unset: { lease: 1 } }).exec();
  }

  async startVariations(id: string, indexes: number[], at: Date): Promise<void> {
    if (indexes.length === 0) return;
    const $set: Record<string, unknown> = {};
    const $inc: Record<string, number> = {};
    for (const index of indexes) {
      $set[`variations.${index}.status`] = 'generating';
      $set[`variations.${index}.startedAt`] = at;
      $inc[`variations.${index}.attempts`] = 1;
    }
    $set.updatedAt = at;
    await rawCharacters().updateOne({ _id: knownId(id) }, { $set, $inc });
  }

  async completeVariation(id: string, index: number, stored: StoredVariation, at: Date): Promise<SetProgressCounts> {
    const prefix = `variations.${index}`;
    const doc = await rawCharacters().findOneAndUpdate(
      { _id: knownId(id), [`${prefix}.status`]: { $ne: 'completed' } },
      {
        $set: {
          [`${prefix}.status`]: 'completed',
          [`${prefix}.url`]: stored.url,
          [`${prefix}.key`]: stored.key,
          [`${prefix}.bytes`]: stored.bytes,
          [`${prefix}.width`]: stored.width,
          [`${prefix}.height`]: stored.height,
          [`${prefix}.generationMs`]: stored.generationMs,
          [`${prefix}.completedAt`]: at,
          updatedAt: at,
        },
        $unset: { [`${prefix}.error`]: 1 },
        $push: { 'embeddings.imageEmbeddings.cloudinaryUrls': stored.url },
        $inc: { 'embeddings.imageEmbeddings.totalImages': 1 },
      },
      { returnDocument: 'after', projection: COUNTS_PROJECTION },
    );
    return doc ? countsOf(doc) : this.counts(id);
  }

  async failVariation(id: string, index: number, error: string, final: boolean, at: Date): Promise<SetProgressCounts> {
    const prefix = `variations.${index}`;
    const doc = await rawCharacters().findOneAndUpdate(
      { _id: knownId(id) },
      { $set: { [`${prefix}.error`]: error, updatedAt: at, ...(final ? { [`${prefix}.status`]: 'failed', [`${prefix}.completedAt`]: at } : {}) } },
      { returnDocument: 'after', projection: COUNTS_PROJECTION },
    );
    return countsOf(doc);
  }

  async finishSet(id: string, worker: string, outcome: { status: 'completed' | 'failed'; metadataUrl: string; urls: string[]; at: Date }): Promise<void> {
    await CharacterModel.updateOne(
      { _id: objectId(id), 'lease.owner': worker },
      {
        $set: {
          [STATUS]: outcome.status,
          'embeddings.imageEmbeddings.metadataUrl': outcome.metadataUrl,
          'embeddings.imageEmbeddings.cloudinaryUrls': outcome.urls,
          'embeddings.imageEmbeddings.totalImages': outcome.urls.length,
          'embeddings.imageEmbeddings.generationCompletedAt': outcome.at,
        },
        $unset: { lease: 1 },
      },
    ).exec();
  }

  private async counts(id: string): Promise<SetProgressCounts> {
    return countsOf(await CharacterModel.findById(objectId(id), COUNTS_PROJECTION).lean<{ variations: { status: string }[] }>().exec());
  }
}
