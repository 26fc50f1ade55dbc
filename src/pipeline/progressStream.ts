// The stream behind embeddingProgress: first what has already happened (one event per finished or failed slot,
// in the order it happened, then 'done' if the set has ended), replayed from the record; then live events
// until 'done' (or 'deleted'). Every event carries the set's sequence number, and the record keeps the number
// of each slot's last event and of the set's last: the live subscription is opened before the record is read,
// live events the record already reflects are dropped, and a jump in the numbers (an event lost on the way)
// is filled from the record. So a subscriber joining at any moment gets everything once, with no gap, and needs
// no embeddingStatus call to catch up.
import type { CharacterRecord } from '../domain/character.js';
import { scoreOf } from '../domain/identityScores.js';
import { isFinishedSet } from '../domain/statuses.js';
import type { CharacterRepository, ProgressBus, ProgressEvent } from '../ports.js';
import { findVisibleCharacter, type Viewer } from './characterAccess.js';

const REPLAYED_SLOT = new Set(['completed', 'failed']);

type Moment = Omit<ProgressEvent, 'completed' | 'failed' | 'total' | 'characterId'>;

/** The slots' last events, the set's last reopen and its end, as far as the record keeps them. */
function momentsOf(record: CharacterRecord): Moment[] {
  const moments: Moment[] = record.variations.flatMap((slot): Moment[] =>
    REPLAYED_SLOT.has(slot.status)
      ? [
          {
            sequence: slot.sequence ?? 0,
            kind: 'variation',
            variation: slot.type,
            status: slot.status,
            ...(slot.key ? { key: slot.key, version: slot.version } : {}),
            ...(slot.error ? { error: slot.error } : {}),
            ...((slot.generation ?? 1) > 1 ? { replaced: true } : {}),
            ...(slot.identity && slot.identity.key === slot.key ? { identity: scoreOf(slot.identity) } : {}),
          },
        ]
      : [],
  );
  const set = record.embeddings.imageEmbeddings;
  if (set.reopenedSequence !== undefined) moments.push({ sequence: set.reopenedSequence, kind: 'reopened', status: 'generating' });
  // Records from before event numbers have none (0): their end is replayed all the same.
  if (isFinishedSet(set.status)) moments.push({ sequence: set.doneSequence ?? set.sequence ?? 0, kind: 'done', status: set.status, ...(set.consistency ? { consistency: set.consistency } : {}) });
  // Stable: slots in catalog order among equal (legacy, unnumbered) events, the end last.
  return moments.sort((a, b) => a.sequence - b.sequence);
}

/** Events reconstructed from the record for everything after event number `after`, in sequence order. */
export function replayEvents(record: CharacterRecord, after: number): ProgressEvent[] {
  const total = record.variations.length;
  const replayed = momentsOf(record).filter((moment) => moment.sequence > after || (after === 0 && moment.sequence === 0));
  const replayedSlots = new Set(replayed.flatMap((moment) => (moment.kind === 'variation' ? [moment.variation] : [])));
  const earlier = record.variations.filter((slot) => !replayedSlots.has(slot.type));
  let completed = earlier.filter((slot) => slot.status === 'completed').length;
  let failed = earlier.filter((slot) => slot.status === 'failed').length;
  return replayed.map((moment) => {
    if (moment.kind === 'variation') {
      if (moment.status === 'completed') completed += 1;
      else failed += 1;
    }
    return { characterId: record.id, ...moment, replayed: true, completed, failed, total };
  });
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
  const stream = history(deps.characters, live, character, Math.max(0, after));
  // A generator's return() waits for the pending next() (here: for the set's next event, which a held or
  // stalled set may never send), so a client's unsubscribe would keep the topic subscribed until then. Ending
  // the live topic first settles that next(), and the generator returns at once.
  const returnAfterPending = stream.return.bind(stream);
  stream.return = async (value) => {
    await live.return?.();
    return returnAfterPending(value);
  };
  return stream;
}
