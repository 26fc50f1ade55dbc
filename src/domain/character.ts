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
  createdAt: Date;
  updatedAt: Date;
}

/** Whether a reader may see the record at all: one being removed, or not yet committed, does not exist for clients. */
export function isVisible(record: Pick<CharacterRecord, 'removal'>): boolean {
  return !record.removal;
}
