// The stream behind characterImageProgress(characterId, imageId): first the image as the record has it now
// (so a subscriber that joins late, even after the image is done, gets the result), then its live changes
// until it is completed or failed. The live channel is opened before the record is read, so nothing between
// the read and the first live event is lost. A deleted character ends the stream with a failed image.
import type { CharacterImageState } from '../domain/characterImages.js';
import { isUnfinishedImage } from '../domain/characterImages.js';
import { NotFoundError } from '../domain/errors.js';
import type { CharacterImageEvent, CharacterRepository, ProgressBus } from '../ports.js';
import { findVisibleCharacter, type Viewer } from './characterAccess.js';

type Arrival = { image: CharacterImageState } | { deleted: true };

/** Both channels into one line of arrivals, in the order they come. */
function merged(images: AsyncIterableIterator<CharacterImageEvent>, sets: AsyncIterableIterator<{ kind: string }>, imageId: string): { next(): Promise<Arrival>; close(): Promise<void> } {
  const arrivals: Arrival[] = [];
  let wake: (() => void) | null = null;
  const push = (arrival: Arrival) => {
    arrivals.push(arrival);
    wake?.();
  };
  void (async () => {
    for await (const event of images) if (event.image.id === imageId) push({ image: event.image });
  })().catch(() => undefined);
  void (async () => {
    for await (const event of sets) if (event.kind === 'deleted') push({ deleted: true });
  })().catch(() => undefined);
  return {
    async next() {
      while (arrivals.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      return arrivals.shift()!;
    },
    async close() {
      await Promise.allSettled([images.return?.(), sets.return?.()]);
    },
  };
}

async function* follow(characterId: string, first: CharacterImageState, live: ReturnType<typeof merged>): AsyncGenerator<CharacterImageEvent> {
  try {
    yield { characterId, image: first, replayed: true };
    let last = first;
    while (isUnfinishedImage(last)) {
      const arrival = await live.next();
      last = 'deleted' in arrival ? { ...last, status: 'failed', error: 'the character was deleted' } : arrival.image;
      yield { characterId, image: last };
    }
  } finally {
    await live.close();
  }
}

export async function openCharacterImageStream(deps: { characters: CharacterRepository; progress: ProgressBus }, viewer: Viewer, characterId: string, imageId: string): Promise<AsyncGenerator<CharacterImageEvent>> {
  const live = merged(deps.progress.subscribeImages(characterId), deps.progress.subscribe(characterId), imageId);
  try {
    const character = await findVisibleCharacter(deps.characters, viewer, characterId);
    const image = character.generatedImages?.find((candidate) => candidate.id === imageId);
    if (!image) throw new NotFoundError(`character ${characterId} has no generated image ${JSON.stringify(imageId.slice(0, 40))}`);
    return follow(character.id, image, live);
  } catch (error) {
    await live.close();
    throw error;
  }
}
