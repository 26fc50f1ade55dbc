// Use case: a new image for one slot of a set (the user does not like it, or it failed). The slot's current
// image stays until the new one is stored; a finished set reopens and ends with 'done' again.
import type { CharacterRecord } from '../domain/character.js';
import { InvalidInputError } from '../domain/errors.js';
import { isUnfinished } from '../domain/statuses.js';
import { MAX_SEED, VARIATION_TYPES, type VariationType } from '../domain/variations.js';
import { findChangeableCharacter, type Viewer } from './characterAccess.js';
import { seedOrRandom } from './characterInput.js';
import { announce, queueWork, type SetControlDeps } from './setControl.js';

export async function regenerateVariation(deps: SetControlDeps, viewer: Viewer, characterId: string, variation: VariationType, seed?: number | null): Promise<CharacterRecord> {
  const character = await findChangeableCharacter(deps.characters, viewer, characterId);
  const index = VARIATION_TYPES.indexOf(variation);
  if (index < 0) throw new InvalidInputError(`unknown variation ${JSON.stringify(variation)}`, 'variation');
  const chosenSeed = seedOrRandom(seed, MAX_SEED);
  const recorded = await deps.characters.requestRegeneration(character.id, index, chosenSeed, new Date());
  if (!recorded) {
    const now = await findChangeableCharacter(deps.characters, viewer, characterId);
    const slot = now.variations[index]!;
    if (slot.replacement) throw new InvalidInputError(`${variation} is already being regenerated; wait for its new image`, 'variation');
    if (isUnfinished(slot)) throw new InvalidInputError(`${variation} is still being generated; regenerate it once it has an image or has failed`, 'variation');
    throw new InvalidInputError(`${variation} cannot be regenerated now (status ${slot.status})`, 'variation');
  }
  await announce(deps, character.id, recorded, { kind: 'reopened', status: recorded.record.embeddings.imageEmbeddings.status, variation });
  await queueWork(deps, recorded);
  return recorded.record;
}
