// The identity encoder as the use cases use it: an image becomes a face (or the reason there is none), and an
// encoder that cannot run (model files missing, WebAssembly failed) makes images "not judged" with the cause
// instead of failing anything. That it cannot run is logged once per process, not once per image.
import { EncoderUnavailableError, InvalidImageError } from '../domain/errors.js';
import type { ImageFace } from '../domain/identity.js';
import { ENCODER_UNAVAILABLE } from '../domain/identityScores.js';
import type { Logger } from '../logger.js';
import type { IdentityEncoder } from '../ports.js';

export interface IdentitySettings {
  /** IDENTITY_MIN_SIMILARITY, resolved: below it an image shows another character. */
  minSimilarity: number;
  /** IDENTITY_MAX_REGENERATIONS: new seeds tried per drifted slot. */
  maxRegenerations: number;
}

export type ScoredFace = ImageFace & { unavailable?: true };

export class IdentityScorer {
  private reportedUnavailable = false;

  constructor(
    readonly encoder: IdentityEncoder,
    readonly settings: IdentitySettings,
    private readonly logger: Logger,
  ) {}

  get model(): string {
    return this.encoder.model;
  }

  /** The image's face; rejects only when `signal` aborts. */
  async face(image: Uint8Array, signal?: AbortSignal): Promise<ScoredFace> {
    try {
      return await this.faceOrThrow(image, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      if (error instanceof InvalidImageError) return { vector: null, reason: `the image could not be read: ${error.message}` };
      if (!(error instanceof EncoderUnavailableError)) this.logger.warn({ err: error }, 'the identity encoder failed on an image');
      return { vector: null, reason: `${ENCODER_UNAVAILABLE}: ${error instanceof Error ? error.message : String(error)}`, unavailable: true };
    }
  }

  /** Throws EncoderUnavailableError when the encoder cannot run, for callers that need an answer (compareToCharacter). */
  async faceOrThrow(image: Uint8Array, signal?: AbortSignal): Promise<ImageFace> {
    try {
      const embedding = await this.encoder.embed(image, signal);
      return embedding.faceFound ? { vector: embedding.vector } : { vector: null, reason: embedding.reason };
    } catch (error) {
      if (error instanceof EncoderUnavailableError) this.reportUnavailable(error.message);
      throw error;
    }
  }

  private reportUnavailable(message: string): void {
    if (this.reportedUnavailable) return;
    this.reportedUnavailable = true;
    this.logger.error({ model: this.model, error: message }, 'the identity encoder cannot run: reference images are stored "not judged" (IDENTITY=off silences this)');
  }
}
