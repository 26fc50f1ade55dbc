// New images of a character beyond its reference set (generateCharacterImage): what one is, as plain data, and
// the rules for asking for one. Identity scoring will add an `identity` field here once it exists.
import type { ImageGenerationState } from './character.js';
import type { VariationStatus } from './statuses.js';

/** The same words as a variation's, without 'cancelled' (nothing cancels a single image). */
export const CHARACTER_IMAGE_STATUSES = ['pending', 'generating', 'completed', 'failed'] as const satisfies readonly VariationStatus[];
export type CharacterImageStatus = (typeof CHARACTER_IMAGE_STATUSES)[number];

export const CHARACTER_IMAGE_LIMITS = {
  promptLength: 500,
  /** A character keeps this many generated images at most (the record holds them all). */
  perCharacter: 100,
} as const;

export interface CharacterImageState extends ImageGenerationState {
  /** 16 hex digits, unique within the character; also the file name under `generations/`. */
  id: string;
  /** The user's words: the setting, pose or action wanted. The character's identity is added to them. */
  prompt: string;
  style: string;
  seed: number;
  status: CharacterImageStatus;
  requestedAt: Date;
  /** The worker generating it, until when: a crashed worker's image is taken over once this has passed. */
  lease?: { owner: string; expiresAt: Date };
}

export function isUnfinishedImage(image: Pick<CharacterImageState, 'status'>): boolean {
  return image.status === 'pending' || image.status === 'generating';
}
