// The stream behind embeddingProgress: live events until the set's 'done' event, then the stream completes.
// The subscription is opened before the status is read, so no event can fall between the two; a set that is
// already finished answers with one 'done' event at once instead of a stream that never ends.
import type { CharacterRepository, ProgressBus, ProgressEvent } from '../ports.js';
import { findVisibleCharacter, type Viewer } from './characterAccess.js';

async function* untilDone(events: AsyncIterableIterator<ProgressEvent>): AsyncGenerator<ProgressEvent> {
  try {
    for await (const event of events) {
      yield event;
      if (event.kind === 'done') return;
    }
  } finally {
    await events.return?.();
  }
}

export async function openProgressStream(deps: { characters: CharacterRepository; progress: ProgressBus }, viewer: Viewer, characterId: string): Promise<AsyncGenerator<ProgressEvent>> {
  const events = deps.progress.subscribe(characterId);
  const character = await findVisibleCharacter(deps.characters, viewer, characterId).catch(async (error: unknown) => {
    await events.return?.();
    throw error;
  });
  const { status } = character.embeddings.imageEmbeddings;
  if (status === 'completed' || status === 'failed') {
    await events.return?.();
    const completed = character.variations.filter((v) => v.status === 'completed').length;
    const total = character.variations.length;
    return (async function* () {
      yield { characterId, kind: 'done', status, completed, failed: total - completed, total } satisfies ProgressEvent;
    })();
  }
  return untilDone(events);
}
