// Handing a set to the queue with its place among its owner's sets (SetJob.rank), read from the records, the
// source of truth, so a crashed process leaves no count behind: the queue starts every owner's oldest set
// before anyone's second.
import type { CharacterRepository, JobQueue } from '../ports.js';

/**
 * Ranks beyond this are all "far behind" (after every other owner's first RANK_CAP sets, in age order among
 * themselves); counting stops there, so even a flooding owner's createCharacter reads at most this many records.
 */
const RANK_CAP = 50;

type QueueDeps = { characters: CharacterRepository; queue: JobQueue };

/**
 * How many of `owner`'s visible sets are unfinished, up to RANK_CAP: a set's rank when counted before it is
 * committed. A count already made for the same records (the per-user limit's) is used instead of a second read.
 */
export function unfinishedSetsOf(characters: CharacterRepository, owner: string, counted?: number): Promise<number> {
  return counted === undefined ? characters.countUnfinishedOf(owner, RANK_CAP) : Promise.resolve(Math.min(counted, RANK_CAP));
}

/** Queues a committed set, which the count includes, so its rank is the count less one. */
export async function queueSet(deps: QueueDeps, record: { id: string; ownerUsername: string }, round?: number): Promise<void> {
  const unfinished = await unfinishedSetsOf(deps.characters, record.ownerUsername);
  await queueRanked(deps.queue, record, Math.max(0, unfinished - 1), round);
}

export function queueRanked(queue: JobQueue, record: { id: string; ownerUsername: string }, rank: number, round?: number): Promise<void> {
  return queue.enqueue({ characterId: record.id, owner: record.ownerUsername, rank, ...(round === undefined ? {} : { round }) });
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
