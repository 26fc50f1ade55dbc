// Use case: create a character. Generates the avatar (bounded by a deadline), stores it, saves the record
// with its 10 variations pending, hands the set to the queue and answers. It never waits for the set.
import { InvalidInputError } from '../domain/errors.js';
import { imageExtension } from '../domain/imageFiles.js';
import { avatarPrompt, variationPrompt } from '../domain/prompts.js';
import { characterObjectKey, slugify } from '../domain/slug.js';
import { VARIATIONS, variationSeed } from '../domain/variations.js';
import type { Logger } from '../logger.js';
import type { Character } from '../models/character.js';
import type { CharacterRepository, ImageGenerator, JobQueue, ObjectStore } from '../ports.js';
import { withDeadline } from '../support/abort.js';
import { type CharacterInput, type ValidCharacterInput, validateCharacterInput } from './characterInput.js';
import type { GenerationSettings } from './settings.js';
import { subjectOf } from './subject.js';
import type { UserLimits } from './userLimits.js';

export interface CreateCharacterDeps {
  characters: CharacterRepository;
  generator: ImageGenerator;
  store: ObjectStore;
  queue: JobQueue;
  settings: GenerationSettings;
  logger: Logger;
  limits: UserLimits;
}

/** The short id suffix keeps two characters of the same name in separate storage folders. */
function characterSlug(name: string, id: string): string {
  return `${slugify(name) || 'character'}-${id.slice(-8)}`;
}

export async function createCharacter(deps: CreateCharacterDeps, ownerUsername: string, input: CharacterInput): Promise<Character> {
  const valid = validateCharacterInput(input);
  const ownerSlug = slugify(ownerUsername);
  if (ownerSlug === '') throw new InvalidInputError('the username has no characters usable in a storage folder name', 'username');

  // After validation, so bad input is reported as such even to a user at a limit.
  const reservation = await deps.limits.reserve(ownerUsername);
  const character = await drawAndSave(deps, ownerUsername, ownerSlug, valid).finally(() => reservation.release());

  // The record is saved as pending, so a failed hand-off is not lost: the resumer picks the set up later.
  await deps.queue.enqueue(character._id.toHexString()).catch((error: unknown) => deps.logger.error({ err: error, characterId: character._id.toHexString() }, 'could not enqueue reference set; it will be resumed'));
  return character;
}

async function drawAndSave(deps: CreateCharacterDeps, ownerUsername: string, ownerSlug: string, valid: ValidCharacterInput): Promise<Character> {
  const id = deps.characters.newId();
  const slug = characterSlug(valid.name, id);
  const subject = subjectOf(valid);
  const { width, height, negativePrompt } = deps.settings;

  const avatar = await withDeadline(
    (signal) => deps.generator.generate({ variation: 'avatar', prompt: avatarPrompt(subject), negativePrompt, seed: valid.baseSeed, width, height, subject }, signal),
    deps.settings.avatarTimeoutMs,
    `${deps.generator.name}: avatar generation`,
  );
  const avatarKey = characterObjectKey({ ownerSlug, characterSlug: slug, folder: 'avatar', file: `avatar.${imageExtension(avatar.contentType)}` });
  const stored = await deps.store.put(avatarKey, avatar.bytes, avatar.contentType);

  return deps.characters.create({
    id,
    ownerUsername,
    ownerSlug,
    slug,
    ...valid,
    avatarUrl: stored.url,
    avatarKey,
    variations: VARIATIONS.map((spec) => ({ type: spec.type, seed: variationSeed(valid.baseSeed, spec), prompt: variationPrompt(subject, spec) })),
  });
}
