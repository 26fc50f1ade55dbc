// The ports the pipeline depends on. Adapters (generators/, storage/, queue/, db/) implement them; the
// pipeline never imports an adapter, so tests and operators can swap RunPod for ComfyUI or Cloudinary for
// local disk without touching the use cases.
import type { CharacterIdentity, CharacterRecord, IdentityScore, PendingWrite, SetConsistencyState, VariationIdentity } from './domain/character.js';
import type { CharacterImageState } from './domain/characterImages.js';
import type { EmbeddingStatus } from './domain/statuses.js';
import type { VariationType } from './domain/variations.js';

export type { CharacterImageState, CharacterRecord, PendingWrite };
export type { Metrics } from './metricsPort.js';

/** What the avatar or one variation of the reference set should show. */
export interface ImageRequest {
  /**
   * 'avatar' for the main character image, 'custom' for a new image the user described (generateCharacterImage),
   * otherwise one of the 10 reference-set variations. Only 'avatar' goes ahead of background work in the pacer.
   */
  variation: VariationType | 'avatar' | 'custom';
  prompt: string;
  /**
   * For 'custom': the user's own words (the setting, pose or action), which `prompt` holds after the character's
   * identity phrase. Generators that draw from structured input (the offline renderer) read them; GPU backends
   * use the prompt.
   */
  direction?: string;
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
   * Who the image is for (the character's owner): the pacer shares the backend fairly between owners. Requests
   * without one share a single anonymous owner.
   */
  owner?: string;
  /**
   * How long the backend may work on this request once it is sent; waiting in the pacer's line in front of the
   * backend does not count (with 10,000 variations queued, a deadline that ran while queued would fail
   * attempts that never started). Enforced by PacedGenerator, which every service generator is wrapped in.
   */
  timeoutMs?: number;
  /**
   * Images of the character the backend conditions on (IP-Adapter / InstantID / PuLID in ComfyUI, a
   * worker's reference input), so every variation shows the avatar's person rather than whoever the prompt
   * happens to produce. Absent or empty: plain text-to-image (the avatar itself is made that way). A
   * generator whose configuration has no reference slot (IDENTITY_CONDITIONING=none, no identity template,
   * the offline renderer, which is consistent by construction) ignores them. Today one slot: the first
   * reference with role 'avatar', else the first one.
   */
  references?: ReferenceImage[];
}

/** One reference image handed to a backend. */
export interface ReferenceImage {
  /**
   * A safe file name (ASCII letters, digits, '.', '_', '-'), e.g. `charsheet-<character id>-avatar.png`;
   * adapters add a content hash before uploading, so two different images never share a backend file.
   */
  name: string;
  /** 'avatar': the character's main image; 'approved': a set image the owner kept (later). */
  role: 'avatar' | 'approved';
  bytes: Uint8Array;
  contentType: ImageContentType;
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

/** What a caller of `generate` may be told about its request on the way (all optional). */
export interface GenerationHooks {
  /**
   * The request leaves the pacer's line and goes to the backend: the moment an attempt counts. Called at most
   * once per call of `generate`, by the PacedGenerator every service generator is wrapped in.
   */
  dispatched?(): void;
  /**
   * The backend itself is done with the request (what remains is decoding, or a download from storage
   * elsewhere), so the pacer hands its slot to the next request at once. Called by adapters that know it.
   */
  backendDone?(): void;
  /** The backend refused to take the request (HTTP 429 on submission) and the pacer sends it again now. */
  resubmitted?(): void;
}

export interface ImageGenerator {
  /** The backend's name as it appears in errors, logs and metadata ('offline', 'runpod', 'comfyui'). */
  readonly name: string;
  /** Rejects with a BackendError when the backend fails; honours `signal` by aborting the request. */
  generate(request: ImageRequest, signal?: AbortSignal, hooks?: GenerationHooks): Promise<GeneratedImage>;
  /** Frees long-lived resources (ComfyUI's WebSocket) at shutdown; generators holding none omit it. */
  close?(): void;
  /** Readiness: resolves when the backend answers a cheap probe (RunPod GET /health, ComfyUI GET /system_stats); omitted: always ready. */
  ready?(signal: AbortSignal): Promise<void>;
}

export interface StoredObject {
  key: string;
  /** Changes whenever the object under the key is replaced; URLs carry it, so no cache serves an old image. */
  version: string;
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
  /** Where a client fetches the object now (derived on every read, so a moved service or domain breaks no link). */
  url(key: string, version?: string): string;
  /** Removes the object; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every object whose key starts with `prefix` (a folder such as `characters/dev/mira-1a2b3c4d/`). */
  deletePrefix(prefix: string): Promise<void>;
  /** Readiness: resolves when the store can take writes now (cheap: a folder check, a cached last success); omitted: always ready. */
  ready?(signal: AbortSignal): Promise<void>;
}

/**
 * Keeps generated images whose store failed, so a storage outage or a restart costs a retry of the write, never a
 * second generation. Local to the process's machine (DATA_DIR/spool).
 */
export interface ImageSpool {
  save(entry: SpooledImageId, image: GeneratedImage & { generationMs: number }): Promise<void>;
  load(entry: SpooledImageId): Promise<(GeneratedImage & { generationMs: number }) | null>;
  remove(entry: SpooledImageId): Promise<void>;
  /** Drops everything spooled for a character (it was deleted). */
  removeCharacter(characterId: string): Promise<void>;
}

export interface SpooledImageId {
  characterId: string;
  variation: VariationType;
  seed: number;
}

/** A reference set handed to the queue. */
export interface SetJob {
  characterId: string;
  /** The character's owner: sets start fairly between owners. */
  owner: string;
  /**
   * How many of the owner's unfinished sets are older than this one (0: its oldest). Lower ranks start first,
   * so one owner's burst of sets does not queue in front of every other owner's.
   */
  rank: number;
  /** New work on a set that may still be running (a regenerate): a job of its own, see JobQueue. */
  round?: number;
}

/**
 * Hands a character's reference set to background workers. At-least-once: handlers must be idempotent. Jobs are
 * deduplicated by `characterId` + `round`: a job already waiting is not queued twice, and new work on a set
 * (a regenerate) comes with a new round so it is not swallowed by a job that is finishing. Waiting jobs start
 * lowest rank first, oldest first among equal ranks.
 */
export interface JobQueue {
  enqueue(job: SetJob): Promise<void>;
  /** Starts consuming; the handler runs for each enqueued character id. */
  start(handler: (characterId: string) => Promise<void>): void;
  /** Stops taking new jobs and waits for running handlers to settle. */
  close(): Promise<void>;
  /** Readiness: resolves when jobs can be enqueued now (BullMQ: Redis answers a PING); omitted: always ready. */
  ready?(signal: AbortSignal): Promise<void>;
}

/**
 * 'variation': a slot finished, failed or was cancelled; 'reopened': regenerate or retry gave the set new work;
 * 'done': the set ended (completed, failed or cancelled); 'deleted': the character is gone.
 */
export type ProgressEventKind = 'variation' | 'reopened' | 'done' | 'deleted';

/** One message on embeddingProgress(characterId). */
export interface ProgressEvent {
  characterId: string;
  /** The set's event number: consecutive per set, so a subscriber can tell a gap or a duplicate. */
  sequence: number;
  kind: ProgressEventKind;
  /** For kind 'variation' (and a regenerate's 'reopened'): which slot. */
  variation?: VariationType;
  /** For 'variation': the slot's status; for 'done': the set's final status; otherwise the set's status. */
  status: string;
  /** The stored image of a 'variation' event; clients get a URL derived from it. */
  key?: string;
  version?: string;
  error?: string;
  /** True when the image replaced an earlier one of the same slot. */
  replaced?: boolean;
  /** Delivered from the record to a subscriber that joined after it happened. */
  replayed?: boolean;
  /** For a completed 'variation': the image's identity score (IDENTITY=on). */
  identity?: IdentityScore;
  /** For 'done': the set's identity consistency (IDENTITY=on). */
  consistency?: SetConsistencyState;
  completed: number;
  failed: number;
  total: number;
}

/** One message on characterImageProgress: a generated image as it stands after a change. */
export interface CharacterImageEvent {
  characterId: string;
  image: CharacterImageState;
  /** Delivered from the record to a subscriber that joined after it happened. */
  replayed?: boolean;
}

export interface ProgressBus {
  publish(event: ProgressEvent): Promise<void>;
  subscribe(characterId: string): AsyncIterableIterator<ProgressEvent>;
  /** Generated images have a channel of their own: their events carry no set sequence and never end a set's stream. */
  publishImage(event: CharacterImageEvent): Promise<void>;
  subscribeImages(characterId: string): AsyncIterableIterator<CharacterImageEvent>;
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
  avatarKey: string;
  variations: { type: VariationType; seed: number; prompt: string }[];
  /** Not removed as uncommitted before this (createCharacter commits well before it). */
  commitBy: Date;
}

export interface StoredVariation {
  key: string;
  version: string;
  bytes: number;
  width: number;
  height: number;
  generationMs: number;
  /** Seed the image was generated with (a replacement's new seed). */
  seed: number;
  /** The slot's generation number of this image (1 for the first image of a slot). */
  generation: number;
  /** Its identity score; absent with IDENTITY=off (a score of the slot's earlier image is dropped). */
  identity?: VariationIdentity;
}

/** The identity check's findings at the end of a run: every scored slot, the set's consistency, the character's vector. */
export interface SetIdentityFindings {
  slots: { index: number; identity: VariationIdentity }[];
  consistency: SetConsistencyState;
  character: CharacterIdentity;
}

/** What an event-producing write answers: the set's new event number and counts, or null when it did not apply. */
export interface RecordedEvent extends SetProgressCounts {
  sequence: number;
  record: CharacterRecord;
}

/** A request sent to the backend for a slot (`replacing`: the slot shows an image that stays until the new one is stored). */
export interface Dispatch {
  index: number;
  replacing: boolean;
}

/**
 * Persistence of characters and their reference sets. Every method is one atomic document write (event writes
 * retry it when a concurrent write took the set's next event number first), so concurrent workers, user
 * requests and crashes leave the record, the source of truth, consistent. A worker writes only while it holds
 * the set's lease: cancel and delete take the lease away, which is how in-flight work learns to stop writing.
 */
export interface CharacterRepository {
  newId(): string;
  /** Saves the record uncommitted (invisible, removed after `commitBy` unless committed). */
  create(character: NewCharacter): Promise<CharacterRecord>;
  /** Makes a created record visible; null when it was removed meanwhile. */
  commit(id: string, avatarVersion: string): Promise<CharacterRecord | null>;
  findById(id: string): Promise<CharacterRecord | null>;
  /** Visible characters, newest first, after skipping the `offset` newest; `owner` null lists every owner's characters. */
  list(owner: string | null, limit: number, offset: number): Promise<CharacterRecord[]>;
  /** Visible sets still pending or generating, oldest first, with their owners: what a restarted service resumes. */
  findUnfinished(): Promise<{ id: string; owner: string }[]>;
  /** Ids of visible finished sets whose metadata.json is still to be written. */
  findMetadataPendingIds(): Promise<string[]>;
  /** Ids of records due for removal at `now` (deleted, or never committed). */
  findRemovalsDue(now: Date): Promise<string[]>;
  /** The owner's sets still pending or generating, counted up to `atMost` (enough to check a limit). */
  countUnfinishedOf(owner: string, atMost: number): Promise<number>;
  /** Creation times of the owner's characters created after `since`, oldest first, at most `atMost`. */
  creationTimesSince(owner: string, since: Date, atMost: number): Promise<Date[]>;
  /** Usernames owning a visible character stored under `characters/{ownerSlug}/{slug}/` (two usernames may share a slug). */
  ownersOfStorageFolder(ownerSlug: string, slug: string): Promise<string[]>;
  /** Visible reference sets per status (an indexed count each): what /metrics reports as sets by status. */
  countSetsByStatus(): Promise<Record<EmbeddingStatus, number>>;

  /**
   * Takes the set for `worker` until `leaseUntil` if it is visible, unfinished and not leased by a live worker;
   * marks it generating (first start time kept). Null when another worker holds it or it is finished.
   */
  claimSet(id: string, worker: string, leaseUntil: Date, now: Date): Promise<CharacterRecord | null>;
  /** False when the lease was lost (expired and taken, or taken away by cancel or delete): stop writing. */
  renewLease(id: string, worker: string, leaseUntil: Date): Promise<boolean>;
  /** Gives an unfinished set back (graceful shutdown), so the next worker resumes it without waiting for expiry. */
  releaseLease(id: string, worker: string): Promise<void>;
  /** Counts one attempt on each slot (generating, attempts + 1): one write for requests dispatched together. */
  recordDispatches(id: string, worker: string, dispatches: Dispatch[], at: Date): Promise<boolean>;
  /** Records a stored image (a first image, or a replacement taking over the slot): one 'variation' event. */
  completeVariation(id: string, worker: string, index: number, stored: StoredVariation, at: Date): Promise<RecordedEvent | null>;
  /**
   * A backend failure charged to the slot. `final`: no attempts left; the slot fails, or, when `replacing`, keeps
   * its image and drops the replacement with the error. Final failures are one 'variation' event; others are
   * recorded without an event (null answer).
   */
  failVariation(id: string, worker: string, index: number, failure: { error: string; final: boolean; replacing: boolean }, at: Date): Promise<RecordedEvent | null>;
  /**
   * Records or clears a write that is being retried (storage outage), so embeddingStatus can say what waits. Only
   * while `worker` holds the set: a cancelled or taken-over run's late reports must not outlive it.
   */
  setPendingWrite(id: string, worker: string, pending: PendingWrite): Promise<void>;
  clearPendingWrite(id: string, worker: string, what: string): Promise<void>;
  /**
   * Ends the set with `status` unless work was added since `workVersion` (then null: the worker goes on);
   * one 'done' event. `metadata` is the metadata.json the worker wrote first.
   */
  finishSet(id: string, worker: string, outcome: { status: 'completed' | 'failed'; totalImages: number; workVersion: number; metadata: StoredObject; at: Date }): Promise<RecordedEvent | null>;
  /**
   * The identity check asks a completed slot for a new image with `seed` (it drifted from the character): the slot
   * keeps its image, with a fresh attempt budget for the new one. Null when the slot cannot take one now.
   */
  startIdentityRegeneration(id: string, worker: string, index: number, seed: number, at: Date): Promise<CharacterRecord | null>;
  /** The identity check kept the slot's image over its regeneration (`identity` lists the rejected one): the replacement is dropped. */
  rejectIdentityCandidate(id: string, worker: string, index: number, identity: VariationIdentity, at: Date): Promise<CharacterRecord | null>;
  /** Stores the scores of the set's images, its consistency and the character's identity vector. */
  recordSetIdentity(id: string, worker: string, findings: SetIdentityFindings, at: Date): Promise<CharacterRecord | null>;
  /** metadata.json was written for the set's current state (after a cancel, or a crash after the set ended). */
  metadataWritten(id: string, metadata: StoredObject): Promise<void>;

  /** Asks for a new image in one slot (user regenerate); reopens a finished set. Null when the slot cannot take one now. */
  requestRegeneration(id: string, index: number, seed: number, at: Date): Promise<RecordedEvent | null>;
  /** Sends every failed or cancelled slot back to pending with a fresh budget; reopens the set. Null when none. */
  requestRetry(id: string, at: Date): Promise<RecordedEvent | null>;
  /** Ends an unfinished set as cancelled (stored images kept, the rest cancelled, the lease taken away). */
  cancelSet(id: string, at: Date): Promise<RecordedEvent | null>;
  /** Marks a visible character deleted (invisible at once, the lease taken away); null when it was not visible. */
  markDeleted(id: string, at: Date): Promise<RecordedEvent | null>;
  /** Removes the record itself (its objects are already gone). */
  remove(id: string): Promise<void>;
}

/** One generated image of a character, by its place in the record (images are only ever appended). */
export interface CharacterImageRef {
  characterId: string;
  index: number;
  imageId: string;
}

/**
 * Persistence of generated images (the `generatedImages` of a character record). Each method is one atomic
 * write; a worker writes an image only while it holds the image's lease, and no write applies to a character
 * that is deleted, so a deleted character's generation stops recording and its file is removed.
 */
export interface CharacterImageRepository {
  /** Appends a pending image to a visible character with fewer than `maxPerCharacter`; null when it cannot take one. */
  add(characterId: string, image: CharacterImageState, maxPerCharacter: number): Promise<CharacterRecord | null>;
  /** The owner's images pending or generating, counted up to `atMost` (enough to check a limit). */
  countUnfinishedOf(owner: string, atMost: number): Promise<number>;
  /** Unfinished images of visible characters with no live lease at `now`: what the resumer takes over. */
  findResumable(now: Date): Promise<{ characterId: string; imageId: string }[]>;
  /** Takes the image for `worker` until `leaseUntil` if it is unfinished and not leased by a live worker. */
  claim(characterId: string, imageId: string, worker: string, leaseUntil: Date, now: Date): Promise<{ ref: CharacterImageRef; character: CharacterRecord; image: CharacterImageState } | null>;
  /** False when the lease was lost (expired and taken, or the character was deleted): stop writing. */
  renewLease(ref: CharacterImageRef, worker: string, leaseUntil: Date): Promise<boolean>;
  releaseLease(ref: CharacterImageRef, worker: string): Promise<void>;
  /** The request reached the backend: generating, attempts + 1. */
  recordAttempt(ref: CharacterImageRef, worker: string, at: Date): Promise<CharacterImageState | null>;
  /** A backend failure; `final` fails the image for good and ends the lease. */
  recordFailure(ref: CharacterImageRef, worker: string, failure: { error: string; final: boolean }, at: Date): Promise<CharacterImageState | null>;
  /** The stored image; ends the lease. Null when the image is no longer this worker's (then nobody points at the file). */
  complete(ref: CharacterImageRef, worker: string, stored: { key: string; version: string; bytes: number; width: number; height: number; generationMs: number }, at: Date): Promise<CharacterImageState | null>;
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
