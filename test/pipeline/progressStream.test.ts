// embeddingProgress's promise, on the stream itself: a subscriber joining at any moment gets every event once,
// in order, with the counts as they were — history replayed from the record, then live events, duplicates
// dropped and a lost event filled in from the record. The record and the live topic are in the test's hands.
import { describe, expect, it } from 'vitest';
import type { CharacterRecord, VariationState } from '../../src/domain/character.js';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { openProgressStream } from '../../src/pipeline/progressStream.js';
import type { CharacterRepository, ProgressBus, ProgressEvent } from '../../src/ports.js';

const ID = 'a'.repeat(24);
const ADA = { username: 'ada', isAdmin: false };

type SlotState = Partial<VariationState> & Pick<VariationState, 'status'>;

function recordOf(slots: Record<number, SlotState>, set: Partial<CharacterRecord['embeddings']['imageEmbeddings']>, removal?: CharacterRecord['removal']): CharacterRecord {
  return {
    id: ID,
    ownerUsername: 'ada',
    variations: VARIATION_TYPES.map((type, index) => ({ type, seed: index, prompt: type, attempts: 0, failures: 0, status: 'pending', ...slots[index] })),
    embeddings: { imageEmbeddings: { status: 'generating', totalImages: 0, version: '1.0', sequence: 0, workVersion: 0, pendingWrites: [], ...set } },
    ...(removal ? { removal } : {}),
  } as unknown as CharacterRecord;
}

/** A live topic the test publishes into; return() ends it like an unsubscribe. */
class LiveTopic implements AsyncIterableIterator<ProgressEvent> {
  private readonly queued: ProgressEvent[] = [];
  private waiting: ((result: IteratorResult<ProgressEvent>) => void) | null = null;
  ended = false;
  publish(event: Omit<ProgressEvent, 'characterId' | 'total'>): void {
    const full = { characterId: ID, total: 10, ...event };
    if (this.waiting) this.waiting({ value: full, done: false });
    else this.queued.push(full);
    this.waiting = null;
  }
  next(): Promise<IteratorResult<ProgressEvent>> {
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    const queued = this.queued.shift();
    if (queued) return Promise.resolve({ value: queued, done: false });
    return new Promise((resolve) => (this.waiting = resolve));
  }
  async return(): Promise<IteratorResult<ProgressEvent>> {
    this.ended = true;
    this.waiting?.({ value: undefined, done: true });
    return { value: undefined, done: true };
  }
  [Symbol.asyncIterator]() {
    return this;
  }
}

function streamOf(first: CharacterRecord, after = 0) {
  const live = new LiveTopic();
  let current = first;
  const characters = { findById: async () => current } as unknown as CharacterRepository;
  const progress = { subscribe: () => live } as unknown as ProgressBus;
  return {
    live,
    changeRecord: (record: CharacterRecord) => (current = record),
    open: () => openProgressStream({ characters, progress }, ADA, ID, after),
  };
}

const summary = (event: ProgressEvent) => [event.sequence, event.kind, event.variation ?? null, event.status, event.completed, event.failed, Boolean(event.replayed)];

async function take(stream: AsyncGenerator<ProgressEvent>, count: number): Promise<ProgressEvent[]> {
  const events: ProgressEvent[] = [];
  while (events.length < count) {
    const { value, done } = await stream.next();
    if (done) break;
    events.push(value);
  }
  return events;
}

describe('the progress stream', () => {
  // Slot 1 finished first (event 1), slot 0 second (2), slot 2 failed (3).
  const midSet = recordOf({ 0: { status: 'completed', sequence: 2, key: 'k0' }, 1: { status: 'completed', sequence: 1, key: 'k1' }, 2: { status: 'failed', sequence: 3, error: 'gone' } }, { sequence: 3 });

  it('replays what happened in the order it happened with the counts of the time, then goes on live without repeating it', async () => {
    const { live, open } = streamOf(midSet);
    const stream = await open();
    live.publish({ sequence: 3, kind: 'variation', variation: 'full_body_standing', status: 'failed', completed: 2, failed: 1 });
    live.publish({ sequence: 4, kind: 'variation', variation: 'action_pose', status: 'completed', completed: 3, failed: 1 });
    live.publish({ sequence: 5, kind: 'done', status: 'completed', completed: 3, failed: 1 });
    live.publish({ sequence: 6, kind: 'variation', variation: 'sitting_casual', status: 'completed', completed: 4, failed: 1 });
    expect((await take(stream, 10)).map(summary)).toEqual([
      [1, 'variation', 'portrait_side', 'completed', 1, 0, true],
      [2, 'variation', 'portrait_front', 'completed', 2, 0, true],
      [3, 'variation', 'full_body_standing', 'failed', 2, 1, true],
      [4, 'variation', 'action_pose', 'completed', 3, 1, false],
      [5, 'done', null, 'completed', 3, 1, false],
    ]);
    expect(live.ended).toBe(true);
  });

  it('gives a reconnecting subscriber only what came after the number it has, counting what it had', async () => {
    const { open } = streamOf(midSet, 2);
    const stream = await open();
    const [event] = await take(stream, 1);
    expect(summary(event!)).toEqual([3, 'variation', 'full_body_standing', 'failed', 2, 1, true]);
    expect(event!.error).toBe('gone');
    await stream.return(undefined);
  });

  it('fills events lost on the way from the record, in order, before the live one that showed the gap (and only before it)', async () => {
    const { live, open, changeRecord } = streamOf(midSet, 3);
    const stream = await open();
    changeRecord(recordOf({ ...{ 0: { status: 'completed', sequence: 2 }, 1: { status: 'completed', sequence: 1 }, 2: { status: 'failed', sequence: 3 } }, 3: { status: 'completed', sequence: 4, key: 'k3' }, 4: { status: 'failed', sequence: 5, error: 'busy' }, 5: { status: 'completed', sequence: 6, key: 'k5' } }, { sequence: 6 }));
    live.publish({ sequence: 6, kind: 'variation', variation: 'close_up_expression', status: 'completed', completed: 4, failed: 2 });
    expect((await take(stream, 3)).map(summary)).toEqual([
      [4, 'variation', 'action_pose', 'completed', 3, 1, true],
      [5, 'variation', 'sitting_casual', 'failed', 3, 2, true],
      [6, 'variation', 'close_up_expression', 'completed', 4, 2, false],
    ]);
    await stream.return(undefined);
  });

  it('ends with deleted when the gap was a deletion', async () => {
    const { live, open, changeRecord } = streamOf(midSet, 3);
    const stream = await open();
    changeRecord(recordOf({}, { sequence: 5 }, { reason: 'deleted', requestedAt: new Date(0), notBefore: new Date(0) }));
    live.publish({ sequence: 5, kind: 'variation', variation: 'action_pose', status: 'completed', completed: 3, failed: 1 });
    expect((await take(stream, 5)).map(summary)).toEqual([[5, 'deleted', null, 'deleted', 3, 1, false]]);
    expect(live.ended).toBe(true);
  });

  it('replays a finished set to its end and stops there, with replacements and current scores marked', async () => {
    const identity = { key: 'k0-2', judged: true, faceFound: true, similarity: 0.9, consistent: true, regenerations: 1, rejected: [] };
    const finished = recordOf(
      { 0: { status: 'completed', sequence: 4, key: 'k0-2', generation: 2, identity }, 1: { status: 'completed', sequence: 1, key: 'k1', identity: { ...identity, key: 'k1-old' } } },
      { status: 'completed', sequence: 5, doneSequence: 5, reopenedSequence: 3 },
    );
    const { live, open } = streamOf(finished);
    const events = await take(await open(), 10);
    expect(events.map(summary)).toEqual([
      [1, 'variation', 'portrait_side', 'completed', 1, 0, true],
      [3, 'reopened', null, 'generating', 1, 0, true],
      [4, 'variation', 'portrait_front', 'completed', 2, 0, true],
      [5, 'done', null, 'completed', 2, 0, true],
    ]);
    expect(events[2]).toMatchObject({ replaced: true, identity: { similarity: 0.9 } });
    expect(events[0]!.replaced).toBeUndefined();
    expect(events[0]!.identity).toBeUndefined(); // its score was of an earlier image
    expect(live.ended).toBe(true);
  });

  it('ends at once when the subscriber leaves while waiting for a live event', async () => {
    const { live, open } = streamOf(recordOf({}, { sequence: 0 }), 0);
    const stream = await open();
    const pending = stream.next();
    await stream.return(undefined);
    expect(await pending).toMatchObject({ done: true });
    expect(live.ended).toBe(true);
  });
});
