// Use case: delete a character and everything stored for it. The record is marked deleted first (invisible at
// once, the set's lease taken away, 'deleted' announced so a worker in any process stops), then its objects
// and spooled images go, then the record. A crash or a storage failure in between leaves the mark; the removal
// sweep finishes it.
import { findDeletableCharacter, isBeingDeleted, type Viewer } from './characterAccess.js';
import { removeCharacter } from './removals.js';
import { announce, type SetControlDeps } from './setControl.js';

/**
 * True once the character is deleted. A second delete while the first is still removing files is a no-op (true);
 * once everything is gone the id is unknown like any other (NOT_FOUND).
 */
export async function deleteCharacter(deps: SetControlDeps, viewer: Viewer, characterId: string): Promise<boolean> {
  const character = await findDeletableCharacter(deps.characters, viewer, characterId);
  if (isBeingDeleted(character)) return true;
  const recorded = await deps.characters.markDeleted(character.id, new Date());
  // Marked by a concurrent delete a moment ago: that call finishes it; this one had nothing left to do.
  if (!recorded) return true;
  await announce(deps, character.id, recorded, { kind: 'deleted', status: 'deleted' });
  // Deleted from here on for every reader, so the answer is true; what the store did not remove now, the sweep will.
  await removeCharacter(deps, recorded.record).catch((error: unknown) => deps.logger.warn({ err: error, characterId }, 'could not remove a deleted character yet; the removal sweep will finish it'));
  return true;
}
