// Follows one reference set over the embeddingProgress subscription: first what already happened (the
// service replays it), then live events, until the set is done or the character deleted.
import { EmbeddingProgressDocument } from '../generated/graphql/graphql.js';
import type { ServiceClient } from './client.js';
import { CliError, EXIT } from './exitCodes.js';

export interface SetCounts {
  completed: number;
  failed: number;
  total: number;
}

export interface SetEnd extends SetCounts {
  /** The set's final status (completed, failed, cancelled), or 'deleted'. */
  status: string;
}

export async function followSet(client: ServiceClient, characterId: string, onProgress: (counts: SetCounts) => void): Promise<SetEnd> {
  for await (const { embeddingProgress: event } of client.subscribe(EmbeddingProgressDocument, { characterId })) {
    const counts = { completed: event.completed, failed: event.failed, total: event.total };
    if (event.kind === 'done') return { ...counts, status: event.status };
    if (event.kind === 'deleted') return { ...counts, status: 'deleted' };
    onProgress(counts);
  }
  throw new CliError(`the progress of ${characterId} ended before its set did`, EXIT.failed);
}

/** A set that ended with every image made; anything else makes the command fail. */
export function setSucceeded(end: SetEnd): boolean {
  return end.status === 'completed' && end.failed === 0;
}
