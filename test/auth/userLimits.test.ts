// Per-user limits as a user meets them: the error names the limit and says when to retry, other users are
// unaffected, and a burst of parallel requests cannot slip past the limit.
import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../src/domain/errors.js';
import { UserLimits } from '../../src/pipeline/userLimits.js';

const HOUR = 60 * 60 * 1000;

/** The two queries UserLimits asks, over an in-memory list of characters. */
class CharacterLedger {
  readonly characters: { owner: string; createdAt: Date; unfinished: boolean }[] = [];

  async countUnfinishedOf(owner: string, atMost: number): Promise<number> {
    return Math.min(atMost, this.characters.filter((c) => c.owner === owner && c.unfinished).length);
  }

  async creationTimesSince(owner: string, since: Date, atMost: number): Promise<Date[]> {
    return this.characters
      .filter((c) => c.owner === owner && c.createdAt > since)
      .map((c) => c.createdAt)
      .sort((a, b) => a.getTime() - b.getTime())
      .slice(0, atMost);
  }
}

/** What createCharacter does: reserve, save (slowly, as an avatar takes time), release. */
async function create(limits: UserLimits, ledger: CharacterLedger, owner: string, now: Date): Promise<void> {
  const reservation = await limits.reserve(owner);
  await new Promise((resolve) => setTimeout(resolve, 5));
  ledger.characters.push({ owner, createdAt: now, unfinished: true });
  reservation.release();
}

async function rejection(attempt: Promise<unknown>): Promise<RateLimitedError> {
  const error = await attempt.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(RateLimitedError);
  return error as RateLimitedError;
}

describe('per-user limits', () => {
  it('refuse a set beyond the number in generation at once, for that user only', async () => {
    const ledger = new CharacterLedger();
    const now = new Date('2026-11-24T12:00:00Z');
    const limits = new UserLimits(ledger, { maxGenerating: 2, maxCharactersPerDay: 0 }, () => now);
    await create(limits, ledger, 'alice', now);
    await create(limits, ledger, 'alice', now);
    const error = await rejection(limits.reserve('alice'));
    expect(error).toMatchObject({ limit: 'charactersInGeneration', max: 2 });
    expect(error.retryAfterMs).toBeGreaterThan(0);
    await expect(limits.reserve('bob')).resolves.toMatchObject({ unfinishedSets: 0 });

    ledger.characters[0]!.unfinished = false;
    // What the check counted goes with the reservation: createCharacter ranks the set by it without a second read.
    await expect(limits.reserve('alice')).resolves.toMatchObject({ unfinishedSets: 1 });
  });

  it('let exactly the limit through when a burst arrives at once', async () => {
    const ledger = new CharacterLedger();
    const now = new Date();
    const limits = new UserLimits(ledger, { maxGenerating: 3, maxCharactersPerDay: 0 }, () => now);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => create(limits, ledger, 'alice', now)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
    expect(ledger.characters).toHaveLength(3);
  });

  it('count characters per rolling 24 hours and say when the oldest leaves the window', async () => {
    const ledger = new CharacterLedger();
    let now = new Date('2026-11-24T12:00:00Z');
    const limits = new UserLimits(ledger, { maxGenerating: 0, maxCharactersPerDay: 2 }, () => now);
    ledger.characters.push({ owner: 'alice', createdAt: new Date(now.getTime() - 30 * HOUR), unfinished: false });
    await create(limits, ledger, 'alice', new Date(now.getTime() - 20 * HOUR));
    await create(limits, ledger, 'alice', new Date(now.getTime() - 1 * HOUR));
    const error = await rejection(limits.reserve('alice'));
    expect(error).toMatchObject({ limit: 'charactersPerDay', max: 2, retryAfterMs: 4 * HOUR });

    now = new Date(now.getTime() + 4 * HOUR);
    await expect(limits.reserve('alice')).resolves.toBeDefined();
  });

  it('free the place of a creation that failed', async () => {
    const ledger = new CharacterLedger();
    const limits = new UserLimits(ledger, { maxGenerating: 1, maxCharactersPerDay: 1 });
    const reservation = await limits.reserve('alice');
    await rejection(limits.reserve('alice'));
    reservation.release();
    reservation.release();
    await expect(limits.reserve('alice')).resolves.toBeDefined();
  });
});
