// The stored character document as the driver sees it, and its conversion to the plain record the ports
// speak. The repository writes through the driver's own collection for the per-image writes: their values are
// already typed (no casting to do) and they set `updatedAt` themselves, so mongoose's query layer would only add
// CPU to the hottest path.
import { Binary } from 'mongodb';
import type { Types } from 'mongoose';
import type { CharacterIdentity, CharacterRecord, VariationIdentity, VariationState } from '../domain/character.js';
import { isCharacterId } from '../domain/characterId.js';
import type { NewCharacter, SetProgressCounts } from '../ports.js';
import { CharacterModel } from './character.js';

export const SET = 'embeddings.imageEmbeddings';
export const STATUS = `${SET}.status`;
export const SEQUENCE = `${SET}.sequence`;

/**
 * The stored document: the record with a real ObjectId instead of the id string. Optional top-level fields may
 * be queried as null (MongoDB's "missing or null"); the writes never store a null there.
 */
export type CharacterDocument = Omit<CharacterRecord, 'id' | 'removal' | 'lease'> & {
  _id: Types.ObjectId;
  removal?: CharacterRecord['removal'] | null;
  lease?: CharacterRecord['lease'] | null;
};

export function characterCollection() {
  const db = CharacterModel.db.db;
  if (!db) throw new Error('database is not connected');
  return db.collection<CharacterDocument>(CharacterModel.collection.collectionName);
}

/**
 * The document a new character is inserted as, uncommitted (removal.reason 'uncommitted' until commit), with
 * every default the model's schema would fill in. Built here and inserted through the driver: mongoose's
 * document layer (casting, defaults, validation of values this code typed itself) cost createCharacter about
 * 1.5 ms of its event loop per call. test/models/newCharacterDocument.test.ts holds it to the schema.
 */
export function newCharacterDocument(character: NewCharacter, now: Date): CharacterDocument {
  const { id, variations, commitBy, ...fields } = character;
  return {
    _id: knownId(id),
    ...fields,
    embeddings: { imageEmbeddings: { totalImages: 0, version: '1.0', status: 'pending', sequence: 0, workVersion: 0, pendingWrites: [] } },
    variations: variations.map((variation) => ({ ...variation, status: 'pending', attempts: 0, failures: 0 })),
    removal: { reason: 'uncommitted', requestedAt: now, notBefore: commitBy },
    generatedImages: [],
    createdAt: now,
    updatedAt: now,
  };
}

export function toRecord(doc: CharacterDocument): CharacterRecord {
  const { _id, removal, lease, ...fields } = doc;
  const embeddings = fields.embeddings?.imageEmbeddings;
  return {
    ...fields,
    ...(removal ? { removal } : {}),
    ...(lease ? { lease } : {}),
    id: _id.toHexString(),
    variations: (fields.variations ?? []).map((variation): VariationState => ({ ...variation, failures: variation.failures ?? 0, ...(variation.identity ? { identity: variationIdentity(variation.identity) } : {}) })),
    ...(fields.identity ? { identity: characterIdentity(fields.identity) } : {}),
    // Records written before these fields existed read as if they had them at their defaults.
    embeddings: { imageEmbeddings: { ...embeddings, sequence: embeddings?.sequence ?? 0, workVersion: embeddings?.workVersion ?? 0, pendingWrites: embeddings?.pendingWrites ?? [] } },
  };
}

/** Stored vectors come back from the driver as BSON Binary; the record speaks plain bytes. */
function bytes(value: Uint8Array | Binary | undefined): Uint8Array | undefined {
  return value instanceof Binary ? value.value() : value;
}

function variationIdentity(identity: VariationIdentity): VariationIdentity {
  const embedding = bytes(identity.embedding);
  const { embedding: _stored, ...rest } = identity;
  return { ...rest, rejected: identity.rejected ?? [], ...(embedding ? { embedding } : {}) };
}

function characterIdentity(identity: CharacterIdentity): CharacterIdentity {
  const avatarEmbedding = bytes(identity.avatar?.embedding);
  const vector = bytes(identity.vector);
  return { model: identity.model, avatar: { ...identity.avatar, ...(avatarEmbedding ? { embedding: avatarEmbedding } : {}) }, ...(vector ? { vector } : {}) };
}

export function countsOf(variations: readonly { status: string }[]): SetProgressCounts {
  return {
    completed: variations.filter((v) => v.status === 'completed').length,
    failed: variations.filter((v) => v.status === 'failed').length,
    total: variations.length,
  };
}

export function objectIdOrNull(id: string): Types.ObjectId | null {
  return isCharacterId(id) ? new CharacterModel.base.Types.ObjectId(id) : null;
}

/** Ids the pipeline passes come from documents it read; a malformed one is a bug, not a missing character. */
export function knownId(id: string): Types.ObjectId {
  const _id = objectIdOrNull(id);
  if (!_id) throw new Error(`malformed character id ${JSON.stringify(id)}`);
  return _id;
}

/** A counter stored by this version, or missing (0) on records written before it: `{ $in: [0, null] }` matches both. */
export function counterIs(value: number): number | { $in: (number | null)[] } {
  return value === 0 ? { $in: [0, null] } : value;
}

/** Matches records clients may see: neither deleted nor left uncommitted by an interrupted createCharacter. */
export const VISIBLE = { removal: null } as const;
