// Use case: delete a character and everything stored for it. The record is marked deleted first (invisible at
// once, the set's lease taken away, 'deleted' announced so a worker in any process stops), then its objects
// and spooled images go, then the record. A crash in between leaves the mark; the removal sweep finishes it.
import { findVisibleCharacter, type Viewer } from './characterAccess.js';
import { removeCharacter } from './removals.js';
import { announce, type SetControlDeps } from './setControl.js';

/** True when this call deleted the character; a second delete of the same id finds nothing (NOT_FOUND). */
export async function deleteCharacter(deps: SetControlDeps, viewer: Viewer, characterId: string): Promise<boolean> {
  const character = await findVisibleCharacter(deps.characters, viewer, characterId);
  const recorded = await deps.characters.markDeleted(character.id, new Date());
  // Marked by a concurrent delete a moment ago: that call finishes it; this one had nothing left to do.
  if (!recorded) return true;
  await announce(deps, character.id, recorded, { kind: 'deleted', status: 'deleted' });
  await removeCharacter(deps, recorded.record);
  return true;
}
