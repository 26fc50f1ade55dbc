// A set's place in the queue among its owner's sets: what makes every owner's oldest set start before anyone's
// second, after a restart as when it is created.
import { describe, expect, it } from 'vitest';
import { queueSet, rankedJobs, unfinishedSetsOf } from '../../src/pipeline/setQueue.js';
import type { CharacterRepository, JobQueue, SetJob } from '../../src/ports.js';

const countingRepository = (count: number) => {
  const asked: [string, number][] = [];
  const characters = { countUnfinishedOf: async (owner: string, atMost: number) => (asked.push([owner, atMost]), Math.min(count, atMost)) } as unknown as CharacterRepository;
  return { characters, asked };
};

describe('queue ranks', () => {
  it('rank resumed sets, oldest first, by how many of the same owner are older', () => {
    expect(rankedJobs([{ id: 'a1', owner: 'ada' }, { id: 'b1', owner: 'bo' }, { id: 'a2', owner: 'ada' }, { id: 'a3', owner: 'ada' }, { id: 'b2', owner: 'bo' }])).toEqual([
      { characterId: 'a1', owner: 'ada', rank: 0 },
      { characterId: 'b1', owner: 'bo', rank: 0 },
      { characterId: 'a2', owner: 'ada', rank: 1 },
      { characterId: 'a3', owner: 'ada', rank: 2 },
      { characterId: 'b2', owner: 'bo', rank: 1 },
    ]);
  });

  it('count an owner’s unfinished sets up to 50, reusing a count already made', async () => {
    const { characters, asked } = countingRepository(80);
    expect(await unfinishedSetsOf(characters, 'ada')).toBe(50);
    expect(asked).toEqual([['ada', 50]]);
    expect(await unfinishedSetsOf(characters, 'ada', 7)).toBe(7);
    expect(await unfinishedSetsOf(characters, 'ada', 70)).toBe(50);
    expect(asked).toHaveLength(1);
  });

  it('queue a committed set behind the owner’s others (the count includes it), with its round when given', async () => {
    const jobs: SetJob[] = [];
    const queue = { enqueue: async (job: SetJob) => void jobs.push(job) } as unknown as JobQueue;
    await queueSet({ characters: countingRepository(3).characters, queue }, { id: 'c3', ownerUsername: 'ada' });
    await queueSet({ characters: countingRepository(1).characters, queue }, { id: 'c1', ownerUsername: 'bo' }, 2);
    await queueSet({ characters: countingRepository(0).characters, queue }, { id: 'c0', ownerUsername: 'cy' }, 0);
    expect(jobs).toEqual([
      { characterId: 'c3', owner: 'ada', rank: 2 },
      { characterId: 'c1', owner: 'bo', rank: 0, round: 2 },
      { characterId: 'c0', owner: 'cy', rank: 0, round: 0 },
    ]);
  });
});
