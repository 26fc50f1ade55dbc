// How long the pipeline waits before trying again (what a backend in trouble and the user's wait both depend
// on), and how a write that must not be lost is retried until it lands or the work stops.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../../src/domain/errors.js';
import { retryDelayMs, untilDone } from '../../src/pipeline/retries.js';

afterEach(() => vi.restoreAllMocks());

describe('retry delays', () => {
  it('double with each attempt, each drawn between half and all of its step', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 100, new Error('x')))).toEqual([50, 100, 200, 400]);
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    expect(retryDelayMs(3, 100, new Error('x'))).toBeCloseTo(400, 3);
  });

  it('stop growing at a minute, and never come before what the backend advised', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    expect(retryDelayMs(30, 1_000, new Error('x'))).toBeCloseTo(60_000, 0);
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(retryDelayMs(1, 100, new BackendError('runpod', 'slow down', true, 5_000))).toBe(5_000);
    expect(retryDelayMs(1, 100, new BackendError('runpod', 'busy', true))).toBe(50);
  });
});

describe('a write tried until it lands', () => {
  it('returns the value and how many failures it took, telling each failure first', async () => {
    const told: [string, number][] = [];
    let calls = 0;
    const result = await untilDone(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error(`outage ${calls}`);
        return 'stored';
      },
      { signal: new AbortController().signal, baseDelayMs: 1, onFailure: async (error, failures) => void told.push([(error as Error).message, failures]) },
    );
    expect(result).toEqual({ value: 'stored', failures: 2 });
    expect(told).toEqual([['outage 1', 1], ['outage 2', 2]]);
  });

  it('gives up with null once the work stops, during a wait or before the first try', async () => {
    const stop = new AbortController();
    const waiting = untilDone(async () => Promise.reject(new Error('down')), { signal: stop.signal, baseDelayMs: 60_000, onFailure: async () => stop.abort() });
    expect(await waiting).toBeNull();
    let tried = false;
    expect(await untilDone(async () => (tried = true), { signal: stop.signal, baseDelayMs: 1, onFailure: async () => undefined })).toBeNull();
    expect(tried).toBe(false);
  });

  it('keeps trying when telling of a failure fails', async () => {
    let calls = 0;
    const result = await untilDone(async () => (++calls < 2 ? Promise.reject(new Error('down')) : 'ok'), { signal: new AbortController().signal, baseDelayMs: 1, onFailure: async () => Promise.reject(new Error('database down too')) });
    expect(result).toEqual({ value: 'ok', failures: 1 });
  });
});
