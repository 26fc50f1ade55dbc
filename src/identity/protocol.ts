// Messages between the service and the encoder thread. Plain data only: they are structured-cloned.
import type { FaceEmbedding } from '../ports.js';

export interface ThreadSettings {
  modelsDir: string | undefined;
}

/** The thread has no state worth a goodbye: closing the encoder terminates it. */
export interface ToThread {
  kind: 'embed';
  id: number;
  image: Uint8Array;
}

export type FromThread =
  | { kind: 'ready' }
  /** The model could not load: nothing this thread can do will work. */
  | { kind: 'unavailable'; message: string }
  | { kind: 'embedded'; id: number; embedding: FaceEmbedding }
  /** `invalidImage`: the bytes were the problem (InvalidImageError); otherwise the encoder failed on them. */
  | { kind: 'failed'; id: number; message: string; invalidImage: boolean };
