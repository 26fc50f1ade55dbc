// Use case: a new image of a character from the user's words ("on a beach at night, waving"). Answers at once
// with the pending image; the image itself is generated in the background (characterImageRun.ts) and arrives
// on characterImageProgress. Bad input is refused before anything is written; a user at the limit of images
// pending at once is told when to try again.
import { randomBytes } from 'node:crypto';
import { CHARACTER_IMAGE_LIMITS, type CharacterImageState } from '../domain/characterImages.js';
import { InvalidInputError, RateLimitedError } from '../domain/errors.js';
import type { CharacterImageRepository, CharacterRepository } from '../ports.js';
import { findVisibleCharacter, type Viewer } from './characterAccess.js';
import { MAX_SEED } from '../domain/variations.js';
import { LIMITS, seedOrRandom, text } from './characterInput.js';

export interface CharacterImageRequest {
  characterId: string;
  prompt: string;
  /** Absent: the character's own style. */
  style?: string | null;
  /** Absent: a random one. */
  seed?: number | null;
}

export interface GenerateImageDeps {
  characters: Pick<CharacterRepository, 'findById'>;
  images: CharacterImageRepository;
  /** Starts the background work (it also resumes after a restart, so a failed start loses nothing). */
  start(characterId: string, imageId: string): void;
  /** USER_MAX_PENDING_IMAGES; 0 = no limit. */
  maxPendingPerUser: number;
}

/** Pending images end within a few attempts; a client should rather retry after one of its images arrives. */
const RETRY_HINT_MS = 15_000;

export async function generateCharacterImage(deps: GenerateImageDeps, viewer: Viewer, request: CharacterImageRequest): Promise<CharacterImageState> {
  const prompt = text('prompt', request.prompt, CHARACTER_IMAGE_LIMITS.promptLength, { required: true });
  const style = request.style === undefined || request.style === null ? null : text('style', request.style, LIMITS.styleLength, { required: false }) || null;
  const seed = seedOrRandom(request.seed, MAX_SEED);
  const character = await findVisibleCharacter(deps.characters, viewer, request.characterId);
  const limit = deps.maxPendingPerUser;
  if (limit > 0 && (await deps.images.countUnfinishedOf(character.ownerUsername, limit)) >= limit) {
    throw new RateLimitedError(`${limit} new images are already being generated for you; try again when one arrives`, 'pendingImages', limit, RETRY_HINT_MS);
  }
  const image: CharacterImageState = { id: randomBytes(8).toString('hex'), prompt, style: style ?? character.style, seed, status: 'pending', attempts: 0, failures: 0, requestedAt: new Date() };
  const added = await deps.images.add(character.id, image, CHARACTER_IMAGE_LIMITS.perCharacter);
  if (!added) {
    await findVisibleCharacter(deps.characters, viewer, request.characterId);
    throw new InvalidInputError(`a character keeps at most ${CHARACTER_IMAGE_LIMITS.perCharacter} generated images`, 'characterId');
  }
  deps.start(character.id, image.id);
  return image;
}
