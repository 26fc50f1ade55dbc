// The stream behind embeddingProgress: first what has already happened (one event per finished or failed slot,
// in the order it happened, then 'done' if the set has ended), replayed from the record; then live events
// until 'done' (or 'deleted'). Every event carries the set's sequence number, and the record keeps the number
// of each slot's last event and of the set's last: the live subscription is opened before the record is read,
// live events the record already reflects are dropped, and a jump in the numbers (an event lost on the way)
// is filled from the record. So a subscriber joining at any moment gets everything once, with no gap, and needs
// no embeddingStatus call to catch up.
import type { CharacterRecord } from '../domain/character.js';
import { isFinishedSet } from '../domain/statuses.js';
import type { CharacterRepository, ProgressBus, ProgressEvent } from '../ports.js';
import { findVisibleCharacter, type Viewer } from './characterAccess.js';

const REPLAYED_SLOT = new Set(['completed', 'failed']);

/** Events reconstructed from the record for everything after event number `after`, in sequence order. */
export function replayEvents(record: CharacterRecord, after: number): ProgressEvent[] {
  const total = record.variations.length;
  const replayed = record.variations
    .map((slot, index) => ({ slot, index, sequence: slot.sequence ?? 0 }))
    .filter(({ slot, sequence }) => REPLAYED_SLOT.has(slot.status) && (sequence > after || (after === 0 && sequence === 0)))
    .sort((a, b) => a.sequence - b.sequence || a.index - b.index);
  const already = new Set(replayed.map(({ index }) => index));
  let completed = record.variations.filter((slot, index) => !already.has(index) && slot.status === 'completed').length;
  let failed = record.variations.filter((slot, index) => !already.has(index) && slot.status === 'failed').length;
  const events: ProgressEvent[] = replayed.map(({ slot, sequence }) => {
    if (slot.status === 'completed') completed += 1;
    else failed += 1;
    return {
      characterId: record.id,
      sequence,
      kind: 'variation',
      variation: slot.type,
      status: slot.status,
      ...(slot.key ? { key: slot.key, version: slot.version } : {}),
      ...(slot.error ? { error: slot.error } : {}),
      ...((slot.generation ?? 1) > 1 ? { replaced: true } : {}),
      replayed: true,
      completed,
      failed,
      total,
    };
  });
  const set = record.embeddings.imageEmbeddings;
  const doneSequence = set.doneSequence ?? set.sequence ?? 0;
  if (isFinishedSet(set.status) && (doneSequence > after || (after === 0 && doneSequence === 0))) {
    events.push({ characterId: record.id, sequence: doneSequence, kind: 'done', status: set.status, replayed: true, completed, failed, total });
  }
  return events;
}

function ends(event: ProgressEvent): boolean {
  return event.kind === 'done' || event.kind === 'deleted';
}

async function* history(characters: CharacterRepository, live: AsyncIterableIterator<ProgressEvent>, first: CharacterRecord, after: number): AsyncGenerator<ProgressEvent> {
  try {
    let delivered = after;
    for (const event of replayEvents(first, after)) {
      yield event;
      delivered = Math.max(delivered, event.sequence);
      if (ends(event)) return;
    }
    delivered = Math.max(delivered, first.embeddings.imageEmbeddings.sequence ?? 0);
    for await (const event of live) {
      if (event.sequence <= delivered) continue;
      if (event.sequence > delivered + 1) {
        // Events between were lost on the way (a publish failed): what they said is in the record.
        const now = await characters.findById(first.id);
        if (!now || now.removal) {
          yield { characterId: first.id, sequence: event.sequence, kind: 'deleted', status: 'deleted', completed: event.completed, failed: event.failed, total: event.total };
          return;
        }
        for (const missed of replayEvents(now, delivered)) {
          if (missed.sequence >= event.sequence) break;
          yield missed;
          delivered = missed.sequence;
        }
      }
      yield event;
      delivered = event.sequence;
      if (ends(event)) return;
    }
  } finally {
    await live.return?.();
  }
}

/** `after`: the last sequence number the subscriber already has (a reconnecting client), 0 for everything. */
export async function openProgressStream(deps: { characters: CharacterRepository; progress: ProgressBus }, viewer: Viewer, characterId: string, after = 0): Promise<AsyncGenerator<ProgressEvent>> {
  const live = deps.progress.subscribe(characterId);
  const character = await findVisibleCharacter(deps.characters, viewer, characterId).catch(async (error: unknown) => {
    await live.return?.();
    throw error;
  });
  return history(deps.characters, live, character, Math.max(0, after));
}
