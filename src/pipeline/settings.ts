import type { Config } from '../config.js';

/** The generation knobs the use cases need, taken from Config so tests can build them directly. */
export interface GenerationSettings {
  width: number;
  height: number;
  negativePrompt: string;
  avatarTimeoutMs: number;
  variationTimeoutMs: number;
  /** Attempts per variation, the first included. */
  maxAttempts: number;
  retryBaseDelayMs: number;
  /** A created record not committed within this is an interrupted createCharacter's leftover, removed by the sweep. */
  uncommittedCleanupMs: number;
  /** Whether variation requests carry the avatar as a reference image (IDENTITY_CONDITIONING, resolved). */
  conditioning: 'avatar' | 'none';
}

export function generationSettings(config: Config): GenerationSettings {
  return {
    width: config.IMAGE_WIDTH,
    height: config.IMAGE_HEIGHT,
    negativePrompt: config.NEGATIVE_PROMPT,
    avatarTimeoutMs: config.AVATAR_TIMEOUT_MS,
    variationTimeoutMs: config.VARIATION_TIMEOUT_MS,
    maxAttempts: config.VARIATION_MAX_ATTEMPTS,
    retryBaseDelayMs: config.RETRY_BASE_DELAY_MS,
    uncommittedCleanupMs: config.UNCOMMITTED_CLEANUP_MS,
    conditioning: config.identityConditioning,
  };
}
