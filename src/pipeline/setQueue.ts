// Handing a set to the queue with its place among its owner's sets (SetJob.rank), read from the records, the
// source of truth, so a crashed process leaves no count behind: the queue starts every owner's oldest set
// before anyone's second.
import type { CharacterRepository, JobQueue } from '../ports.js';

/**
 * Ranks beyond this are all "far behind" (after every other owner's first RANK_CAP sets, in age order among
 * themselves); counting stops there, so even a flooding owner's createCharacter reads at most this many records.
 */
const RANK_CAP = 50;

export async function queueSet(deps: { characters: CharacterRepository; queue: JobQueue }, record: { id: string; ownerUsername: string }, round?: number): Promise<void> {
  const unfinished = await deps.characters.countUnfinishedOf(record.ownerUsername, RANK_CAP);
  await deps.queue.enqueue({ characterId: record.id, owner: record.ownerUsername, rank: Math.max(0, unfinished - 1), ...(round === undefined ? {} : { round }) });
}

/** Jobs for unfinished sets listed oldest first: each ranked by how many of its owner's are older. */
export function rankedJobs(unfinished: { id: string; owner: string }[]): { characterId: string; owner: string; rank: number }[] {
  const seen = new Map<string, number>();
  return unfinished.map(({ id, owner }) => {
    const rank = seen.get(owner) ?? 0;
    seen.set(owner, rank + 1);
    return { characterId: id, owner, rank };
  });
}
