// Removing a record that is going away (deleted by its owner, or left uncommitted by an interrupted
// createCharacter) together with everything stored for it. Idempotent, so the sweep can finish what a crash
// interrupted, as many times as it takes.
import type { CharacterRecord } from '../domain/character.js';
import { characterFolderPrefix } from '../domain/storageKeys.js';
import type { SetControlDeps } from './setControl.js';

export async function removeCharacter(deps: Pick<SetControlDeps, 'characters' | 'store' | 'spool' | 'logger'>, record: CharacterRecord): Promise<void> {
  await deps.store.deletePrefix(characterFolderPrefix(record));
  await deps.spool.removeCharacter(record.id);
  await deps.characters.remove(record.id);
  deps.logger.info({ characterId: record.id, reason: record.removal?.reason }, 'character removed');
}

/** Finishes every removal that is due; returns how many. */
export async function removeDue(deps: Pick<SetControlDeps, 'characters' | 'store' | 'spool' | 'logger'>, now: Date): Promise<number> {
  let removed = 0;
  for (const id of await deps.characters.findRemovalsDue(now)) {
    const record = await deps.characters.findById(id);
    if (!record?.removal) continue;
    await removeCharacter(deps, record);
    removed += 1;
  }
  return removed;
}
