// The ports the pipeline depends on. Adapters (generators/, storage/, queue/, db/) implement them; the
// pipeline never imports an adapter, so tests and operators can swap RunPod for ComfyUI or Cloudinary for
// local disk without touching the use cases.
import type { VariationType } from './domain/variations.js';
import type { Character } from './models/character.js';

/** What the avatar or one variation of the reference set should show. */
export interface ImageRequest {
  /** 'avatar' for the main character image, otherwise one of the 10 reference-set variations. */
  variation: VariationType | 'avatar';
  prompt: string;
  negativePrompt: string;
  /** Non-negative 32-bit integer; base seed + the variation's offset. */
  seed: number;
  width: number;
  height: number;
  /**
   * The character as entered, for generators that draw from structured traits rather than from the prompt
   * (the offline renderer). GPU backends use the prompt alone.
   */
  subject: ImageSubject;
  /**
   * How long the backend may work on this request once it is sent; waiting in the pacer's line in front of the
   * backend does not count (with 10,000 variations queued, a deadline that ran while queued would fail
   * attempts that never started). Enforced by PacedGenerator, which every service generator is wrapped in.
   */
  timeoutMs?: number;
}

export interface ImageSubject {
  name: string;
  description: string;
  /** Free-form trait map, e.g. { hair: 'red', eyes: 'green', outfit: 'leather jacket' }. */
  traits: Record<string, string>;
  style: string;
}

export type ImageContentType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface GeneratedImage {
  bytes: Uint8Array;
  contentType: ImageContentType;
  width: number;
  height: number;
}

export interface ImageGenerator {
  /** The backend's name as it appears in errors, logs and metadata ('offline', 'runpod', 'comfyui'). */
  readonly name: string;
  /** Rejects with a BackendError when the backend fails; honours `signal` by aborting the request. */
  generate(request: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage>;
  /** Frees long-lived resources (ComfyUI's WebSocket) at shutdown; generators holding none omit it. */
  close?(): void;
}

export interface StoredObject {
  key: string;
  /** Where a client fetches the object (absolute for cloud stores, server-relative for local disk). */
  url: string;
  bytes: number;
}

/**
 * Keys are '/'-separated paths such as `characters/{username}/{character}/embeddings/portrait_front.png`,
 * built only from slugs (domain/slug.ts). Writing the same key twice overwrites: that is what makes a
 * retried or resumed variation idempotent.
 */
export interface ObjectStore {
  readonly name: string;
  put(key: string, body: Uint8Array, contentType: string): Promise<StoredObject>;
  /** The object's bytes, or null when there is none under that key. */
  get(key: string): Promise<Uint8Array | null>;
  url(key: string): string;
}

/** Hands a character's reference set to background workers. At-least-once: handlers must be idempotent. */
export interface JobQueue {
  enqueue(characterId: string): Promise<void>;
  /** Starts consuming; the handler runs for each enqueued character id. */
  start(handler: (characterId: string) => Promise<void>): void;
  /** Stops taking new jobs and waits for running handlers to settle. */
  close(): Promise<void>;
}

export type ProgressEventKind = 'variation' | 'done';

/** One message on embeddingProgress(characterId). */
export interface ProgressEvent {
  characterId: string;
  kind: ProgressEventKind;
  /** For kind 'variation': which one finished or failed. */
  variation?: VariationType;
  /** For 'variation': 'completed' | 'failed'; for 'done': the set's final status. */
  status: string;
  url?: string;
  error?: string;
  completed: number;
  failed: number;
  total: number;
}

export interface ProgressBus {
  publish(event: ProgressEvent): Promise<void>;
  subscribe(characterId: string): AsyncIterableIterator<ProgressEvent>;
  close(): Promise<void>;
}

export interface SetProgressCounts {
  completed: number;
  failed: number;
  total: number;
}

export interface NewCharacter {
  id: string;
  ownerUsername: string;
  ownerSlug: string;
  name: string;
  slug: string;
  description: string;
  traits: { key: string; value: string }[];
  style: string;
  baseSeed: number;
  avatarUrl: string;
  avatarKey: string;
  variations: { type: VariationType; seed: number; prompt: string }[];
}

export interface StoredVariation {
  url: string;
  key: string;
  bytes: number;
  width: number;
  height: number;
  generationMs: number;
}

/**
 * Persistence of characters and their reference sets. Every method is one atomic document write, so
 * concurrent workers and crashes leave the record (the source of truth) consistent.
 */
export interface CharacterRepository {
  newId(): string;
  create(character: NewCharacter): Promise<Character>;
  findById(id: string): Promise<Character | null>;
  /** Newest first; `owner` null lists every owner's characters. */
  list(owner: string | null, limit: number): Promise<Character[]>;
  /** Ids of sets still pending or generating, oldest first: what a restarted service resumes. */
  findUnfinishedIds(): Promise<string[]>;
  /** The owner's sets still pending or generating, counted up to `atMost` (enough to check a limit). */
  countUnfinishedOf(owner: string, atMost: number): Promise<number>;
  /** Creation times of the owner's characters created after `since`, oldest first, at most `atMost`. */
  creationTimesSince(owner: string, since: Date, atMost: number): Promise<Date[]>;
  /** Usernames owning a character stored under `characters/{ownerSlug}/{slug}/` (two usernames may share a slug). */
  ownersOfStorageFolder(ownerSlug: string, slug: string): Promise<string[]>;
  /**
   * Takes the set for `worker` until `leaseUntil` if it is unfinished and not leased by a live worker;
   * marks it generating (first start time kept). Null when another worker holds it or it is finished.
   */
  claimSet(id: string, worker: string, leaseUntil: Date, now: Date): Promise<Character | null>;
  /** False when the lease was lost (expired and taken over): the worker must stop writing. */
  renewLease(id: string, worker: string, leaseUntil: Date): Promise<boolean>;
  /** Gives an unfinished set back (graceful shutdown), so the next worker resumes it without waiting for expiry. */
  releaseLease(id: string, worker: string): Promise<void>;
  /** Marks attempts begun on the given variations (generating, attempts + 1): one write for all of them. */
  startVariations(id: string, indexes: number[], at: Date): Promise<void>;
  completeVariation(id: string, index: number, stored: StoredVariation, at: Date): Promise<SetProgressCounts>;
  /** Records the error; `final` marks the variation failed (no attempts left), otherwise it stays generating. */
  failVariation(id: string, index: number, error: string, final: boolean, at: Date): Promise<SetProgressCounts>;
  finishSet(id: string, worker: string, outcome: { status: 'completed' | 'failed'; metadataUrl: string; urls: string[]; at: Date }): Promise<void>;
}

/** Where a face is in an image, in the image's pixels. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * What the identity encoder made of one image. `faceFound` is true only for a face it can describe: a side
 * profile, a face cut off by the frame or one the encoder is unsure of is `faceFound: false` with the reason,
 * and an image without one is "not judged", never a failure.
 */
export type FaceEmbedding =
  | {
      faceFound: true;
      /** The face's identity vector; compare two with cosine similarity (domain/identity.ts). */
      vector: number[];
      /** How sure the encoder is that this is a well-seen face, 0..1. */
      faceScore: number;
      box: FaceBox;
    }
  | { faceFound: false; reason: string };

/**
 * Turns an image into an identity vector of the face in it. Runs off the event loop (the default adapter on a
 * worker thread started on first use) and queues requests; vectors from two different `model`s are not
 * comparable, so callers store the model beside every vector they keep.
 *
 * `embed` rejects with InvalidImageError (domain/errors.ts) for bytes that are not a readable PNG, JPEG or
 * WebP within the size limits, with EncoderUnavailableError when the encoder cannot run at all (model files
 * missing, WebAssembly failure), and with the signal's reason when `signal` aborts while the request waits.
 */
export interface IdentityEncoder {
  /** The model and its version, e.g. 'faceres (@vladmandic/human 3.3.6)'. */
  readonly model: string;
  embed(image: Uint8Array, signal?: AbortSignal): Promise<FaceEmbedding>;
  /** Stops the encoder and frees its memory; pending requests reject with EncoderUnavailableError. */
  close(): Promise<void>;
}
