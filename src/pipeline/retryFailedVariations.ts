// Use case: try the failed (and cancelled) slots of a set again, each with a fresh attempt budget; the set
// reopens and ends with 'done' again.
import type { CharacterRecord } from '../domain/character.js';
import { InvalidInputError } from '../domain/errors.js';
import { findChangeableCharacter, type Viewer } from './characterAccess.js';
import { announce, queueWork, type SetControlDeps } from './setControl.js';

export async function retryFailedVariations(deps: SetControlDeps, viewer: Viewer, characterId: string): Promise<CharacterRecord> {
  const character = await findChangeableCharacter(deps.characters, viewer, characterId);
  const recorded = await deps.characters.requestRetry(character.id, new Date());
  if (!recorded) {
    // Read again, so a character deleted meanwhile is answered as such.
    await findChangeableCharacter(deps.characters, viewer, characterId);
    throw new InvalidInputError('the set has no failed or cancelled variations to retry', 'characterId');
  }
  await announce(deps, character.id, recorded, { kind: 'reopened', status: recorded.record.embeddings.imageEmbeddings.status });
  await queueWork(deps, recorded);
  return recorded.record;
}
