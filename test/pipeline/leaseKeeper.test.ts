// A running set's lease is renewed every third of its length for as long as the work runs, and the work is told
// at once when a renewal finds the lease gone; a renewal that fails (the database away) is only logged.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepLease } from '../../src/pipeline/leaseKeeper.js';
import { recordingLogger } from '../support/logs.js';

afterEach(() => vi.useRealTimers());

describe('keeping a lease', () => {
  it('renews every third of the lease, each time until a full lease from then, and stops when told', async () => {
    vi.useFakeTimers({ now: 0 });
    const renewals: number[] = [];
    const stop = keepLease(async (until) => (renewals.push(until.getTime()), true), 30_000, () => undefined, recordingLogger().logger);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(renewals).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(renewals).toEqual([40_000]);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(renewals).toEqual([40_000, 50_000, 60_000]);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(renewals).toHaveLength(3);
  });

  it('tells the work when the lease is gone, and only logs a renewal that failed', async () => {
    vi.useFakeTimers({ now: 0 });
    const answers: (boolean | Error)[] = [new Error('database away'), true, false];
    let lost = 0;
    const { logger, entries } = recordingLogger('warn');
    const stop = keepLease(async () => {
      const answer = answers.shift()!;
      if (answer instanceof Error) throw answer;
      return answer;
    }, 3_000, () => (lost += 1), logger);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(lost).toBe(0);
    expect(entries.map((entry) => entry.msg)).toEqual(['lease renewal failed']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(lost).toBe(1);
    stop();
  });

  it('renews at least every millisecond for a lease too short to divide', async () => {
    vi.useFakeTimers({ now: 0 });
    let renewals = 0;
    const stop = keepLease(async () => (renewals += 1) > 0, 2, () => undefined, recordingLogger().logger);
    await vi.advanceTimersByTimeAsync(3);
    expect(renewals).toBe(3);
    stop();
  });
});
