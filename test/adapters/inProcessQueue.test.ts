// The in-process job queue's order: lowest rank first, and the last free slot kept for an owner running no set.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { loadConfig } from '../../src/config.js';
import { InProcessQueue } from '../../src/queue/inProcess.js';

const logger = createLogger(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }));

/** A handler whose sets run until the test finishes them. */
function heldSets() {
  const running = new Map<string, () => void>();
  const started: string[] = [];
  const handler = (characterId: string) =>
    new Promise<void>((resolve) => {
      started.push(characterId);
      running.set(characterId, resolve);
    });
  const finish = async (characterId: string) => {
    running.get(characterId)?.();
    running.delete(characterId);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { handler, started, finish };
}

describe('InProcessQueue', () => {
  it('starts another owner\'s set at once beside one owner\'s burst, and ranks before arrival', async () => {
    const queue = new InProcessQueue(3, logger);
    const sets = heldSets();
    queue.start(sets.handler);
    for (let rank = 0; rank < 6; rank++) await queue.enqueue({ characterId: `a${rank}`, owner: 'a', rank });
    // Owner a runs two sets: the third slot is kept for an owner running none.
    expect(sets.started).toEqual(['a0', 'a1']);
    await queue.enqueue({ characterId: 'b0', owner: 'b', rank: 0 });
    expect(sets.started).toEqual(['a0', 'a1', 'b0']);
    // c's first set (rank 0) arrived after a's third but starts before it, when a slot frees.
    await queue.enqueue({ characterId: 'c0', owner: 'c', rank: 0 });
    await sets.finish('a0');
    expect(sets.started.at(-1)).toBe('c0');
    await sets.finish('b0');
    await sets.finish('c0');
    // Alone again, owner a still leaves the last slot free: two of its sets run.
    expect(sets.started).toEqual(['a0', 'a1', 'b0', 'c0', 'a2']);
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await sets.finish(id);
    await queue.close();
  });
});
