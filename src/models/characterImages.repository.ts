// CharacterImageRepository on the driver's collection. Generated images live in the character document's
// `generatedImages` array, which only ever grows, so an image is addressed by its index (as variations are),
// guarded by its id: no positional operator or arrayFilters is needed from the server.
import type { CharacterRecord } from '../domain/character.js';
import type { CharacterImageState } from '../domain/characterImages.js';
import type { CharacterImageRef, CharacterImageRepository } from '../ports.js';
import { characterCollection, knownId, objectIdOrNull, toRecord, VISIBLE } from './characterDocuments.js';

const IMAGES = 'generatedImages';
const UNFINISHED = ['pending', 'generating'];
const at = (index: number) => `${IMAGES}.${index}`;

function imageOf(record: CharacterRecord, ref: CharacterImageRef): CharacterImageState | null {
  const image = record.generatedImages?.[ref.index];
  return image?.id === ref.imageId ? image : null;
}

export class MongooseCharacterImageRepository implements CharacterImageRepository {
  async add(characterId: string, image: CharacterImageState, maxPerCharacter: number): Promise<CharacterRecord | null> {
    const _id = objectIdOrNull(characterId);
    if (!_id) return null;
    const doc = await characterCollection().findOneAndUpdate(
      { _id, ...VISIBLE, [at(maxPerCharacter - 1)]: { $exists: false } },
      { $push: { [IMAGES]: image }, $set: { updatedAt: image.requestedAt } },
      { returnDocument: 'after' },
    );
    return doc ? toRecord(doc) : null;
  }

  async countUnfinishedOf(owner: string, atMost: number): Promise<number> {
    const docs = await characterCollection()
      .find({ ownerUsername: owner, [`${IMAGES}.status`]: { $in: UNFINISHED }, ...VISIBLE }, { projection: { [`${IMAGES}.status`]: 1 } })
      .limit(atMost)
      .toArray();
    const count = docs.reduce((sum, doc) => sum + (doc.generatedImages ?? []).filter((image) => UNFINISHED.includes(image.status)).length, 0);
    return Math.min(count, atMost);
  }

  async findResumable(now: Date): Promise<{ characterId: string; imageId: string }[]> {
    const docs = await characterCollection()
      .find({ [`${IMAGES}.status`]: { $in: UNFINISHED }, ...VISIBLE }, { projection: { [`${IMAGES}.id`]: 1, [`${IMAGES}.status`]: 1, [`${IMAGES}.lease`]: 1 } })
      .toArray();
    return docs.flatMap((doc) =>
      (doc.generatedImages ?? [])
        .filter((image) => UNFINISHED.includes(image.status) && (!image.lease || image.lease.expiresAt <= now))
        .map((image) => ({ characterId: doc._id.toHexString(), imageId: image.id })),
    );
  }

  async claim(characterId: string, imageId: string, worker: string, leaseUntil: Date, now: Date) {
    const _id = objectIdOrNull(characterId);
    const current = _id ? await characterCollection().findOne({ _id, ...VISIBLE }) : null;
    const index = current?.generatedImages?.findIndex((image) => image.id === imageId) ?? -1;
    if (!_id || index < 0) return null;
    const place = at(index);
    // One atomic findOneAndUpdate: of two workers racing for the same image, exactly one matches.
    const doc = await characterCollection().findOneAndUpdate(
      { _id, ...VISIBLE, [`${place}.id`]: imageId, [`${place}.status`]: { $in: UNFINISHED }, $or: [{ [`${place}.lease`]: null }, { [`${place}.lease.expiresAt`]: { $lte: now } }, { [`${place}.lease.owner`]: worker }] },
      { $set: { [`${place}.lease`]: { owner: worker, expiresAt: leaseUntil } } },
      { returnDocument: 'after' },
    );
    if (!doc) return null;
    const character = toRecord(doc);
    const ref = { characterId, index, imageId };
    const image = imageOf(character, ref);
    return image ? { ref, character, image } : null;
  }

  async renewLease(ref: CharacterImageRef, worker: string, leaseUntil: Date): Promise<boolean> {
    const result = await characterCollection().updateOne(this.held(ref, worker), { $set: { [`${at(ref.index)}.lease.expiresAt`]: leaseUntil } });
    return result.matchedCount === 1;
  }

  async releaseLease(ref: CharacterImageRef, worker: string): Promise<void> {
    await characterCollection().updateOne(this.held(ref, worker), { $unset: { [`${at(ref.index)}.lease`]: 1 } });
  }

  async recordAttempt(ref: CharacterImageRef, worker: string, when: Date): Promise<CharacterImageState | null> {
    const place = at(ref.index);
    return this.write(ref, worker, { $set: { [`${place}.status`]: 'generating', [`${place}.startedAt`]: when }, $inc: { [`${place}.attempts`]: 1 } }, { [`${place}.status`]: { $in: UNFINISHED } });
  }

  async recordFailure(ref: CharacterImageRef, worker: string, failure: { error: string; final: boolean }, when: Date): Promise<CharacterImageState | null> {
    const place = at(ref.index);
    const ending = failure.final ? { [`${place}.status`]: 'failed', [`${place}.completedAt`]: when } : {};
    return this.write(ref, worker, { $set: { [`${place}.error`]: failure.error, ...ending }, $inc: { [`${place}.failures`]: 1 }, ...(failure.final ? { $unset: { [`${place}.lease`]: 1 } } : {}) });
  }

  async complete(ref: CharacterImageRef, worker: string, stored: { key: string; version: string; bytes: number; width: number; height: number; generationMs: number }, when: Date): Promise<CharacterImageState | null> {
    const place = at(ref.index);
    const fields = Object.fromEntries(Object.entries(stored).map(([name, value]) => [`${place}.${name}`, value]));
    return this.write(ref, worker, { $set: { ...fields, [`${place}.status`]: 'completed', [`${place}.completedAt`]: when }, $unset: { [`${place}.lease`]: 1, [`${place}.error`]: 1 } });
  }

  private held(ref: CharacterImageRef, worker: string) {
    return { _id: knownId(ref.characterId), ...VISIBLE, [`${at(ref.index)}.id`]: ref.imageId, [`${at(ref.index)}.lease.owner`]: worker };
  }

  /** One write to an image this worker holds (`also`: further conditions); the image after it, or null when it did not apply. */
  private async write(ref: CharacterImageRef, worker: string, update: { $set: Record<string, unknown>; $inc?: Record<string, number>; $unset?: Record<string, 1> }, also: Record<string, unknown> = {}): Promise<CharacterImageState | null> {
    const doc = await characterCollection().findOneAndUpdate({ ...this.held(ref, worker), ...also }, { ...update, $set: { ...update.$set, updatedAt: new Date() } }, { returnDocument: 'after' });
    return doc ? imageOf(toRecord(doc), ref) : null;
  }
}
