// metadata.json for a set that ended outside a worker's run (a cancel), or whose worker died after the end was
// recorded: the record says it is pending, and this writes it (from the cancel itself, or the resumer's scan).
import type { CharacterRecord } from '../domain/character.js';
import { isFinishedSet } from '../domain/statuses.js';
import { buildMetadata, putMetadata } from './metadata.js';
import type { SetControlDeps } from './setControl.js';

/** Writes metadata.json of the set's current state; the record read back, or null when nothing was pending. */
export async function writePendingMetadata(deps: Pick<SetControlDeps, 'characters' | 'store' | 'metadata'>, record: CharacterRecord): Promise<CharacterRecord | null> {
  const set = record.embeddings.imageEmbeddings;
  if (!set.metadataPending || !isFinishedSet(set.status) || record.removal) return null;
  const metadata = buildMetadata(record, set.status, set.generationCompletedAt ?? null, { ...deps.metadata, urls: deps.store });
  const stored = await putMetadata(deps.store, record, metadata);
  await deps.characters.metadataWritten(record.id, stored);
  return deps.characters.findById(record.id);
}
