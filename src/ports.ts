// The ports the pipeline depends on. Adapters (generators/, storage/, queue/, db/) implement them; the
// pipeline never imports an adapter, so tests and operators can swap RunPod for ComfyUI or Cloudinary for
// local disk without touching the use cases.
import type { VariationType } from './domain/variations.js';

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
}
