// Use case: stop a set. No new backend requests; the worker holding it (in any process) hears the 'done'
// event, stops, and cancels its in-flight backend jobs; stored images are kept; the set ends 'cancelled'.
import type { CharacterRecord } from '../domain/character.js';
import { InvalidInputError } from '../domain/errors.js';
import { findChangeableCharacter, type Viewer } from './characterAccess.js';
import { writePendingMetadata } from './pendingMetadata.js';
import { announce, type SetControlDeps } from './setControl.js';

export async function cancelReferenceSet(deps: SetControlDeps, viewer: Viewer, characterId: string): Promise<CharacterRecord> {
  const character = await findChangeableCharacter(deps.characters, viewer, characterId);
  const recorded = await deps.characters.cancelSet(character.id, new Date());
  if (!recorded) {
    const now = await findChangeableCharacter(deps.characters, viewer, characterId);
    throw new InvalidInputError(`the set has already ended (${now.embeddings.imageEmbeddings.status}); there is nothing to cancel`, 'characterId');
  }
  await announce(deps, character.id, recorded, { kind: 'done', status: 'cancelled' });
  // The record says metadata is pending, so if this write fails (or the process dies here) the resumer writes it.
  const written = await writePendingMetadata(deps, recorded.record).catch((error: unknown) => {
    deps.logger.warn({ err: error, characterId }, 'metadata.json of a cancelled set not written yet; it will be retried');
    return null;
  });
  return written ?? recorded.record;
}
