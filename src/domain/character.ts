// A character as the pipeline and the ports see it: plain data, no database or GraphQL types. The typegoose
// class in models/ implements it; adapters and use cases exchange only this shape.
import type { CharacterImageState } from './characterImages.js';
import type { EmbeddingStatus, VariationStatus } from './statuses.js';
import type { VariationType } from './variations.js';

/** A new image asked for a slot that already shows one: the old image stays until the new one is stored. */
export interface Replacement {
  seed: number;
  requestedAt: Date;
}

/** How one generated image stands, a set's slot or a new image of the character: its attempts and what was stored. */
export interface ImageGenerationState {
  /** Requests sent to the backend for the current generation (an attempt counts when it reaches the backend). */
  attempts: number;
  /** Of those, the ones the backend answered with a failure: what VARIATION_MAX_ATTEMPTS limits. */
  failures: number;
  /** Object-store key and version of the image shown; URLs are derived from them when read. */
  key?: string;
  version?: string;
  bytes?: number;
  width?: number;
  height?: number;
  generationMs?: number;
  error?: string;
  startedAt?: Date;
  completedAt?: Date;
}

export interface VariationState extends ImageGenerationState {
  type: VariationType;
  /** Seed of the image shown, or of the generation under way when there is none yet. */
  seed: number;
  prompt: string;
  status: VariationStatus;
  /** How many images this slot has stored so far; a replacement gets a key of its own. */
  generation?: number;
  replacement?: Replacement;
  /** The set's event number of this slot's last progress event (embeddingProgress replays in this order). */
  sequence?: number;
  /** Absolute URL stored by versions before keys were the source of URLs; read only when `key` is missing. */
  url?: string;
  /** The identity score of the image shown (IDENTITY=on), and the regenerations it took. */
  identity?: VariationIdentity;
}

/** What clients see of an image's identity score (events, the API, metadata.json). */
export interface IdentityScore {
  /** False for an image with no face the encoder can describe (a profile), or when the encoder could not run. */
  judged: boolean;
  faceFound: boolean;
  /** The mean of the similarity to the avatar and to the centroid of the set's other images; absent when not judged. */
  similarity?: number;
  toAvatar?: number;
  toSet?: number;
  /** Judged and at or above IDENTITY_MIN_SIMILARITY. */
  consistent?: boolean;
  /** Why it was not judged. */
  reason?: string;
  /** New seeds tried because the slot's image drifted from the character. */
  regenerations: number;
  /** Images of the slot the identity check did not keep (drifted ones, or a regeneration that scored lower). */
  rejected: { seed: number; similarity: number | null }[];
}

/** An image's score as stored: with the face vector (Float32 bytes) and the stored image it belongs to. */
export interface VariationIdentity extends IdentityScore {
  /** The object-store key of the image scored: a score is valid only while the slot shows that image. */
  key: string;
  embedding?: Uint8Array;
}

/** A face as stored: its vector as Float32 bytes, or why there is none. */
export interface StoredFace {
  faceFound: boolean;
  embedding?: Uint8Array;
  reason?: string;
}

/** The character's identity: the encoder's model, the avatar's face and the centroid of the avatar and the set. */
export interface CharacterIdentity {
  model: string;
  avatar: StoredFace;
  /** Unit vector (Float32 bytes) of the avatar's and the set's faces together; absent without any face. */
  vector?: Uint8Array;
}

/** The set's identity consistency over its judged images. */
export interface SetConsistencyState {
  judged: number;
  median: number | null;
  min: number | null;
  outliers: VariationType[];
  threshold: number;
  /** Why nothing could be judged (the encoder is unavailable), when that is the case. */
  reason?: string;
}

/** A write that failed and is being retried: an image that is generated but not yet stored, or metadata.json. */
export interface PendingWrite {
  /** A variation type, or 'metadata.json'. */
  what: string;
  error: string;
  since: Date;
  retries: number;
}

export interface ImageEmbeddingsState {
  status: EmbeddingStatus;
  totalImages: number;
  version: string;
  generationStartedAt?: Date;
  generationCompletedAt?: Date;
  metadataKey?: string;
  metadataVersion?: string;
  /** The metadata of the set's current state is still to be written (the set ended, or ended again). */
  metadataPending?: boolean;
  /** Progress events published so far for this set; each event carries the value after it. */
  sequence?: number;
  /** Sequence of the set's last 'done' event, while the set stays finished. */
  doneSequence?: number;
  /** Sequence of the last 'reopened' event (regenerate, retry). */
  reopenedSequence?: number;
  /** Bumped by every request that adds work (regenerate, retry), so a worker finishing the set notices it. */
  workVersion?: number;
  pendingWrites?: PendingWrite[];
  /** Identity consistency of the set's images as of the end of its last run (IDENTITY=on). */
  consistency?: SetConsistencyState;
  /** Stored by versions before keys were the source of URLs. */
  metadataUrl?: string;
  cloudinaryUrls?: string[];
}

/** Why a record is going away: a user deleted it, or createCharacter never finished storing it. */
export interface Removal {
  reason: 'deleted' | 'uncommitted';
  requestedAt: Date;
  /** Not removed before this: an uncommitted record may still be in the middle of its createCharacter. */
  notBefore: Date;
}

export interface CharacterRecord {
  id: string;
  ownerUsername: string;
  /** Storage folder of the owner: `characters/{ownerSlug}/…`. */
  ownerSlug: string;
  name: string;
  slug: string;
  description: string;
  traits: { key: string; value: string }[];
  style: string;
  baseSeed: number;
  avatarKey: string;
  avatarVersion?: string;
  embeddings: { imageEmbeddings: ImageEmbeddingsState };
  variations: VariationState[];
  /** Images made by generateCharacterImage, oldest first (absent on records from before it). */
  generatedImages?: CharacterImageState[];
  lease?: { owner: string; expiresAt: Date };
  removal?: Removal;
  /** Set by the identity check at the end of a set's run (IDENTITY=on). */
  identity?: CharacterIdentity;
  createdAt: Date;
  updatedAt: Date;
}

/** Whether a reader may see the record at all: one being removed, or not yet committed, does not exist for clients. */
export function isVisible(record: Pick<CharacterRecord, 'removal'>): boolean {
  return !record.removal;
}
