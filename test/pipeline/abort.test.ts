import { describe, expect, it } from 'vitest';
import { TimeoutError, withDeadline } from '../../src/support/abort.js';

const never = () => new Promise<never>(() => undefined);

describe('withDeadline', () => {
  it('rejects with a TimeoutError naming the work when a task ignores its signal past the deadline', async () => {
    await expect(withDeadline(never, 20, 'runpod: portrait_front')).rejects.toThrow(new TimeoutError('runpod: portrait_front did not finish within 20 ms'));
  });

  it('rejects with the parent reason on abort, even when the task ignores its signal', async () => {
    const parent = new AbortController();
    const running = withDeadline(never, 60_000, 'x', parent.signal);
    parent.abort(new Error('shutting down'));
    await expect(running).rejects.toThrow('shutting down');
  });

  it('passes the task its result and aborts the signal it was given on timeout', async () => {
    expect(await withDeadline(async () => 42, 1000, 'x')).toBe(42);
    let seen: AbortSignal | undefined;
    await withDeadline((signal) => ((seen = signal), never()), 10, 'x').catch(() => undefined);
    expect(seen?.aborted).toBe(true);
  });
});
