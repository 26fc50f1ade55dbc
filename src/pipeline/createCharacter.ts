// Use case: create a character. Generates the avatar (bounded by a deadline), saves the record uncommitted,
// stores the avatar, commits the record, hands the set to the queue and answers. It never waits for the set.
// The set's queue rank comes from the per-user limit's count when there is one, else it is counted meanwhile,
// beside the avatar and the writes, not after them: it is the one read on the way that nothing else waits for.
// Saving before storing means a crash at any point leaves nothing behind: an uncommitted record is invisible,
// and the removal sweep deletes it and whatever was stored for it once its commit deadline has passed.
import { avatarPrompt, variationPrompt } from '../domain/prompts.js';
import { MAX_SLUG_LENGTH, slugify } from '../domain/slug.js';
import { avatarKey } from '../domain/storageKeys.js';
import { VARIATIONS, variationSeed } from '../domain/variations.js';
import type { Logger } from '../logger.js';
import type { CharacterRecord, CharacterRepository, ImageGenerator, JobQueue, ObjectStore } from '../ports.js';
import { withDeadline } from '../support/abort.js';
import { type CharacterInput, type ValidCharacterInput, validateCharacterInput } from './characterInput.js';
import { InvalidInputError } from '../domain/errors.js';
import type { GenerationSettings } from './settings.js';
import { queueRanked, unfinishedSetsOf } from './setQueue.js';
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

/**
 * The short id suffix keeps two characters of the same name in separate storage folders; the name's part is
 * cut short enough that name and suffix together still fit a folder name (any valid name has a slug).
 */
function characterSlug(name: string, id: string): string {
  const suffix = `-${id.slice(-8)}`;
  return `${slugify(name, MAX_SLUG_LENGTH - suffix.length) || 'character'}${suffix}`;
}

export async function createCharacter(deps: CreateCharacterDeps, ownerUsername: string, input: CharacterInput): Promise<CharacterRecord> {
  const valid = validateCharacterInput(input);
  const ownerSlug = slugify(ownerUsername);
  if (ownerSlug === '') throw new InvalidInputError('the username has no characters usable in a storage folder name', 'username');

  // After validation, so bad input is reported as such even to a user at a limit.
  const reservation = await deps.limits.reserve(ownerUsername);
  // Counted before this set is committed, so the count is of the owner's other sets: this one's rank.
  const rank = unfinishedSetsOf(deps.characters, ownerUsername, reservation.unfinishedSets);
  rank.catch(() => undefined); // read (and reported) below, unless creating the character fails first
  const character = await drawAndSave(deps, ownerUsername, ownerSlug, valid).finally(() => reservation.release());

  // The record is committed as pending, so a failed hand-off is not lost: the resumer picks the set up later.
  await rank
    .then((others) => queueRanked(deps.queue, character, others))
    .catch((error: unknown) => deps.logger.error({ err: error, characterId: character.id }, 'could not enqueue reference set; it will be resumed'));
  return character;
}

async function drawAndSave(deps: CreateCharacterDeps, ownerUsername: string, ownerSlug: string, valid: ValidCharacterInput): Promise<CharacterRecord> {
  const id = deps.characters.newId();
  const slug = characterSlug(valid.name, id);
  const subject = subjectOf(valid);
  const { width, height, negativePrompt } = deps.settings;

  const avatar = await withDeadline(
    (signal) => deps.generator.generate({ variation: 'avatar', prompt: avatarPrompt(subject), negativePrompt, seed: valid.baseSeed, width, height, subject, owner: ownerUsername }, signal),
    deps.settings.avatarTimeoutMs,
    `${deps.generator.name}: avatar generation`,
  );
  const key = avatarKey({ ownerSlug, slug }, avatar.contentType);
  const created = await deps.characters.create({
    id,
    ownerUsername,
    ownerSlug,
    slug,
    ...valid,
    avatarKey: key,
    variations: VARIATIONS.map((spec) => ({ type: spec.type, seed: variationSeed(valid.baseSeed, spec), prompt: variationPrompt(subject, spec) })),
    commitBy: new Date(Date.now() + deps.settings.uncommittedCleanupMs),
  });
  const stored = await deps.store.put(key, avatar.bytes, avatar.contentType);
  const committed = await deps.characters.commit(created.id, stored.version);
  if (!committed) throw new Error('the character was removed before it could be committed');
  return committed;
}
