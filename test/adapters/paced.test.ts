// PacedGenerator against a backend the test answers by hand, on fake timers so spacing and pauses are exact.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../../src/domain/errors.js';
import { type CapacityHint, PacedGenerator, SubmissionRefusedError } from '../../src/generators/paced.js';
import type { GeneratedImage, GenerationHooks, ImageGenerator, ImageRequest } from '../../src/ports.js';
import { TimeoutError } from '../../src/support/abort.js';

const IMAGE: GeneratedImage = { bytes: new Uint8Array([1]), contentType: 'image/png', width: 1, height: 1 };

function request(seed: number, variation: ImageRequest['variation'] = 'portrait_front', owner?: string): ImageRequest {
  return {
    variation,
    ...(owner === undefined ? {} : { owner }),
    prompt: `p${seed}`,
    negativePrompt: '',
    seed,
    width: 64,
    height: 64,
    subject: { name: 'n', description: 'd', traits: {}, style: 's' },
  };
}

interface Call {
  seed: number;
  owner: string | undefined;
  variation: ImageRequest['variation'];
  startedAt: number;
  succeed(): void;
  fail(error: unknown): void;
}

/** A backend whose every call waits until the test answers it. */
class ManualBackend implements ImageGenerator {
  readonly name = 'manual';
  readonly calls: Call[] = [];
  inFlight = 0;
  peak = 0;

  generate(req: ImageRequest): Promise<GeneratedImage> {
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
    return new Promise((resolve, reject) => {
      const done = () => (this.inFlight -= 1);
      this.calls.push({
        seed: req.seed,
        owner: req.owner,
        variation: req.variation,
        startedAt: Date.now(),
        succeed: () => (done(), resolve(IMAGE)),
        fail: (error) => (done(), reject(error)),
      });
    });
  }

  answered = 0;
  /** Answers the oldest unanswered call. */
  next(outcome: 'ok' | unknown = 'ok'): Call {
    const call = this.calls[this.answered++];
    if (!call) throw new Error('no call to answer');
    if (outcome === 'ok') call.succeed();
    else call.fail(outcome);
    return call;
  }
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('PacedGenerator', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps at most maxConcurrency requests in flight and serves waiters first come, first served', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 3, minSpacingMs: 0, avatarReserve: 0 });
    const results = Array.from({ length: 10 }, (_, seed) => paced.generate(request(seed)));
    await flush();
    expect(backend.calls.map((c) => c.seed)).toEqual([0, 1, 2]);
    while (backend.answered < 10) {
      backend.next();
      await flush();
    }
    await expect(Promise.all(results)).resolves.toHaveLength(10);
    expect(backend.calls.map((c) => c.seed)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(backend.peak).toBe(3);
    expect(paced.stats().peakInFlight).toBe(3);
    expect(paced.name).toBe('manual');
  });

  it('serves avatars, which a user waits for, before queued background variations', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 1, minSpacingMs: 0 });
    const results = [1, 2, 3].map((seed) => paced.generate(request(seed)));
    results.push(paced.generate(request(100, 'avatar')), paced.generate(request(4)), paced.generate(request(101, 'avatar')));
    await flush();
    while (backend.answered < 6) {
      backend.next();
      await flush();
    }
    await Promise.all(results);
    expect(backend.calls.map((c) => c.seed)).toEqual([1, 100, 101, 2, 3, 4]);
  });

  it('shares the backend between owners: a newcomer\'s set goes ahead of a flooding owner\'s queue, then they alternate', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 2, minSpacingMs: 0, avatarReserve: 0, ownerCredit: 4 });
    // Owner A floods: 30 requests, 2 in flight at once; 10 of them are served before B shows up.
    const results = Array.from({ length: 30 }, (_, seed) => paced.generate(request(seed, 'portrait_front', 'A')));
    await flush();
    for (let i = 0; i < 10; i++) {
      backend.next();
      await flush();
    }
    results.push(...Array.from({ length: 8 }, (_, seed) => paced.generate(request(100 + seed, 'portrait_front', 'B'))));
    await flush();
    while (backend.answered < 38) {
      backend.next();
      await flush();
    }
    await Promise.all(results);
    const owners = backend.calls.slice(12).map((call) => call.owner).join('');
    // B, 4 requests of credit below A, is served alone until level with A (5 grants), then the two alternate
    // until B's line is empty; A's first 12 (10 answered, 2 in flight when B came) are left as they were.
    expect(backend.calls.slice(0, 12).every((call) => call.owner === 'A')).toBe(true);
    expect(owners.slice(0, 11)).toBe('BBBBBABABAB');
    expect(owners.slice(11)).toBe('A'.repeat(15));
    // Within an owner: first come, first served.
    expect(backend.calls.filter((call) => call.owner === 'B').map((call) => call.seed)).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
    expect(backend.calls.filter((call) => call.owner === 'A').map((call) => call.seed)).toEqual(Array.from({ length: 30 }, (_, seed) => seed));
  });

  it('gives owners who all keep work queued equal turns, however much each queued', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 1, minSpacingMs: 0, ownerCredit: 0 });
    const results = [
      ...Array.from({ length: 20 }, (_, seed) => paced.generate(request(seed, 'portrait_front', 'A'))),
      ...Array.from({ length: 5 }, (_, seed) => paced.generate(request(100 + seed, 'portrait_front', 'B'))),
      ...Array.from({ length: 5 }, (_, seed) => paced.generate(request(200 + seed, 'portrait_front', 'C'))),
    ];
    await flush();
    while (backend.answered < 30) {
      backend.next();
      await flush();
    }
    await Promise.all(results);
    expect(backend.calls.map((call) => call.owner).join('').slice(0, 16)).toBe('ABCABCABCABCABCA');
  });

  it('an owner that leaves and comes back earns no extra turns', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 1, minSpacingMs: 0, ownerCredit: 2 });
    const results = Array.from({ length: 10 }, (_, seed) => paced.generate(request(seed, 'portrait_front', 'A')));
    results.push(paced.generate(request(100, 'portrait_front', 'B')));
    await flush();
    // A then B are served; B's line is empty; B comes back at once with more.
    backend.next();
    await flush();
    backend.next();
    await flush();
    results.push(...Array.from({ length: 3 }, (_, seed) => paced.generate(request(101 + seed, 'portrait_front', 'B'))));
    while (backend.answered < 14) {
      backend.next();
      await flush();
    }
    await Promise.all(results);
    // Rejoining as a newcomer would have put B's three ahead of A (BB...); it keeps its count instead.
    expect(backend.calls.map((call) => call.owner).join('')).toBe('ABABABABAAAAAA');
  });

  it('keeps a slot for avatars: background work never takes the last one, so an avatar does not wait for a background image', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 3, minSpacingMs: 0 });
    const background = Array.from({ length: 20 }, (_, seed) => paced.generate(request(seed, 'portrait_front', 'A')));
    await flush();
    expect(backend.calls).toHaveLength(2);
    expect(paced.stats().inFlight).toBe(2);
    // Every background slot is busy; the avatar goes to the backend at once.
    const avatar = paced.generate(request(1_000, 'avatar', 'B'));
    await flush();
    expect(backend.calls).toHaveLength(3);
    expect(backend.calls[2]).toMatchObject({ seed: 1_000, variation: 'avatar' });
    // A second avatar meanwhile may take a background slot as it frees, ahead of the background line.
    const second = paced.generate(request(1_001, 'avatar', 'C'));
    await flush();
    expect(backend.calls).toHaveLength(3);
    backend.next();
    await flush();
    expect(backend.calls[3]).toMatchObject({ seed: 1_001, variation: 'avatar' });
    while (backend.answered < 22) {
      backend.next();
      await flush();
      expect(paced.stats().inFlight).toBeLessThanOrEqual(3);
    }
    await Promise.all([...background, avatar, second]);
    expect(backend.calls.filter((call) => call.variation !== 'avatar')).toHaveLength(20);
  });

  it('keeps no avatar reserve when only one request may be in flight (background work still moves)', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 1, minSpacingMs: 0, avatarReserve: 3 });
    const result = paced.generate(request(1, 'portrait_front', 'A'));
    await flush();
    expect(backend.calls).toHaveLength(1);
    backend.next();
    await expect(result).resolves.toBe(IMAGE);
  });

  it('tells a caller its request was dispatched when it reaches the backend, not while it waits in line', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 1, minSpacingMs: 0 });
    const dispatched: number[] = [];
    const results = [1, 2].map((seed) => paced.generate(request(seed), undefined, { dispatched: () => dispatched.push(seed) }));
    await flush();
    expect(dispatched).toEqual([1]);
    backend.next();
    await flush();
    expect(dispatched).toEqual([1, 2]);
    backend.next();
    await Promise.all(results);
    expect(dispatched).toEqual([1, 2]);
  });

  it('never tells a request withdrawn while it waited that it was dispatched', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 1, minSpacingMs: 0 });
    const first = paced.generate(request(1));
    const abort = new AbortController();
    let dispatched = false;
    const second = paced.generate(request(2), abort.signal, { dispatched: () => (dispatched = true) });
    abort.abort(new Error('stopping'));
    await expect(second).rejects.toThrow('stopping');
    backend.next();
    await first;
    expect(dispatched).toBe(false);
    expect(backend.calls).toHaveLength(1);
  });

  it('hands the slot on as soon as the backend says it is done, before the image is ready', async () => {
    const downloads: (() => void)[] = [];
    const backend: ImageGenerator = {
      name: 'early',
      generate: (_req: ImageRequest, _signal?: AbortSignal, hooks?: GenerationHooks) =>
        new Promise<GeneratedImage>((resolve) => {
          hooks?.backendDone?.();
          downloads.push(() => resolve(IMAGE));
        }),
    } as ImageGenerator;
    const paced = new PacedGenerator(backend, { maxConcurrency: 1, minSpacingMs: 0 });
    const results = [1, 2, 3].map((seed) => paced.generate(request(seed)));
    await flush();
    // All three reached the backend one after another while every download is still pending.
    expect(downloads).toHaveLength(3);
    expect(paced.stats().inFlight).toBe(0);
    downloads.forEach((finish) => finish());
    await expect(Promise.all(results)).resolves.toHaveLength(3);
    expect(paced.stats().inFlight).toBe(0);
  });

  it('spaces submissions at least minSpacingMs apart even when slots are free', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 10, minSpacingMs: 2_000, avatarReserve: 0 });
    const results = Array.from({ length: 4 }, (_, seed) => paced.generate(request(seed)));
    await flush();
    expect(backend.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(backend.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(backend.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(backend.calls).toHaveLength(4);
    const starts = backend.calls.map((c) => c.startedAt);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(2_000);
    for (let i = 0; i < 4; i++) backend.next();
    await expect(Promise.all(results)).resolves.toHaveLength(4);
  });

  it('drops a waiting request when its signal aborts, without ever sending it', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 1, minSpacingMs: 0 });
    const first = paced.generate(request(1));
    const controller = new AbortController();
    const second = paced.generate(request(2), controller.signal);
    const third = paced.generate(request(3));
    await flush();
    controller.abort(new Error('caller gave up'));
    await expect(second).rejects.toThrow('caller gave up');
    backend.next();
    await flush();
    backend.next();
    await expect(Promise.all([first, third])).resolves.toHaveLength(2);
    expect(backend.calls.map((c) => c.seed)).toEqual([1, 3]);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 1, minSpacingMs: 0 });
    await expect(paced.generate(request(1), AbortSignal.abort(new Error('too late')))).rejects.toThrow('too late');
    expect(backend.calls).toHaveLength(0);
  });

  it('passes a backend failure through unchanged and frees the slot', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 1, minSpacingMs: 0 });
    const failing = paced.generate(request(1));
    const next = paced.generate(request(2));
    await flush();
    const error = new BackendError('manual', 'out of memory', false);
    backend.next(error);
    await expect(failing).rejects.toBe(error);
    await flush();
    backend.next();
    await expect(next).resolves.toBe(IMAGE);
    expect(paced.stats().backoffs).toBe(0);
  });

  it('halves concurrency and pauses on a slow-down answer, then recovers to the maximum', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 4, minSpacingMs: 0, avatarReserve: 0 });
    const results = Array.from({ length: 12 }, (_, seed) => paced.generate(request(seed)).catch((e: unknown) => e));
    await flush();
    expect(backend.calls).toHaveLength(4);
    backend.next(new BackendError('manual', 'HTTP 429', true, 1_000));
    // A second 429 from the same round trip does not halve again.
    backend.next(new BackendError('manual', 'HTTP 429', true, 1_000));
    await flush();
    expect(paced.stats().allowedConcurrency).toBe(2);
    expect(paced.stats().backoffs).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(backend.calls).toHaveLength(4);
    backend.next();
    backend.next();
    await vi.advanceTimersByTimeAsync(1);
    // Two slots after the pause, even though the earlier calls have all been answered.
    expect(backend.calls).toHaveLength(6);
    while (backend.answered < backend.calls.length) {
      backend.next();
      await flush();
    }
    await Promise.all(results);
    expect(backend.calls).toHaveLength(12);
    expect(paced.stats().allowedConcurrency).toBe(4);
    expect(backend.peak).toBe(4);
  });

  it('sends nothing during a Retry-After pause even with every slot free, and not a moment before it ends (429 pause)', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 4, minSpacingMs: 0, avatarReserve: 0 });
    const results = Array.from({ length: 8 }, (_, seed) => paced.generate(request(seed)).catch((e: unknown) => e));
    await flush();
    expect(backend.calls).toHaveLength(4);
    backend.next(new BackendError('manual', 'HTTP 429', true, 1_000));
    await vi.advanceTimersByTimeAsync(100);
    // The other three answer during the pause: all slots of the halved window are free, yet nothing is sent.
    for (let i = 0; i < 3; i++) backend.next();
    await vi.advanceTimersByTimeAsync(899);
    expect(backend.calls).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(backend.calls).toHaveLength(6);
    expect(backend.calls[4]!.startedAt - backend.calls[0]!.startedAt).toBe(1_000);
    while (backend.answered < backend.calls.length) {
      backend.next();
      await flush();
    }
    await Promise.all(results);
  });

  it('sends a refused submission again after the pause, and gives up after maxResubmits', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 2, minSpacingMs: 0, maxResubmits: 2, avatarReserve: 0 });
    const refused = () => new SubmissionRefusedError('manual', 'HTTP 429 on submit', true, 500);
    const eventually = paced.generate(request(1));
    await flush();
    backend.next(refused());
    await vi.advanceTimersByTimeAsync(500);
    expect(backend.calls.map((c) => c.seed)).toEqual([1, 1]);
    backend.next();
    await expect(eventually).resolves.toBe(IMAGE);

    const never = paced.generate(request(2)).catch((e: unknown) => e);
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(500);
      backend.next(refused());
    }
    expect(await never).toBeInstanceOf(SubmissionRefusedError);
    expect(backend.calls.filter((c) => c.seed === 2)).toHaveLength(3);
  });

  it('never adapts when adaptive is off', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 4, minSpacingMs: 0, adaptive: false, avatarReserve: 0 });
    const result = paced.generate(request(1)).catch((e: unknown) => e);
    await flush();
    backend.next(new BackendError('manual', 'HTTP 429', true, 1_000));
    await result;
    expect(paced.stats()).toMatchObject({ allowedConcurrency: 4, backoffs: 0 });
  });

  it('backs off when a capacity-aware backend reports its queue growing past its workers', async () => {
    const hints: CapacityHint[] = [
      { workers: 2, queued: 1 },
      { workers: 2, queued: 6 },
    ];
    const backend = Object.assign(new ManualBackend(), { capacityHint: async () => hints.shift() ?? null });
    const paced = new PacedGenerator(backend, { maxConcurrency: 8, minSpacingMs: 0, capacityProbeMs: 1_000, avatarReserve: 0 });
    const results = Array.from({ length: 3 }, (_, seed) => paced.generate(request(seed)));
    await flush();
    expect(paced.stats().allowedConcurrency).toBe(8);
    await vi.advanceTimersByTimeAsync(1_000);
    backend.next();
    await flush();
    expect(paced.stats()).toMatchObject({ allowedConcurrency: 4, backoffs: 1 });
    backend.next();
    backend.next();
    await Promise.all(results);
  });

  it('does not back off for a queue that holds only its own requests (workers scaling up from zero)', async () => {
    const backend = Object.assign(new ManualBackend(), { capacityHint: async () => ({ workers: 0, queued: 4 }) });
    const paced = new PacedGenerator(backend, { maxConcurrency: 4, minSpacingMs: 0, capacityProbeMs: 1_000, avatarReserve: 0 });
    const results = Array.from({ length: 4 }, (_, seed) => paced.generate(request(seed)));
    await flush();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(paced.stats()).toMatchObject({ allowedConcurrency: 4, backoffs: 0 });
    for (let i = 0; i < 4; i++) backend.next();
    await Promise.all(results);
  });

  it('follows the max workers of the backend when told to, up at once and down without dropping work', async () => {
    const limits = [4, 2];
    const backend = Object.assign(new ManualBackend(), { capacityHint: async () => ({ workers: 0, queued: 0, maxWorkers: limits.shift() }) });
    const paced = new PacedGenerator(backend, { maxConcurrency: 2, minSpacingMs: 0, capacityProbeMs: 1_000, followBackendLimit: true, avatarReserve: 0 });
    const results = Array.from({ length: 8 }, (_, seed) => paced.generate(request(seed)));
    await flush();
    expect(backend.calls).toHaveLength(4);
    expect(paced.stats().allowedConcurrency).toBe(4);
    await vi.advanceTimersByTimeAsync(1_000);
    backend.next();
    await flush();
    expect(paced.stats().allowedConcurrency).toBe(2);
    // One more started before the probe answered; then nothing new until fewer than 2 are in flight.
    expect(backend.calls).toHaveLength(5);
    backend.next();
    backend.next();
    await flush();
    expect(backend.calls).toHaveLength(5);
    backend.next();
    await flush();
    expect(backend.calls).toHaveLength(6);
    while (backend.answered < backend.calls.length) {
      backend.next();
      await flush();
    }
    await expect(Promise.all(results)).resolves.toHaveLength(8);
    expect(backend.peak).toBe(4);
  });

  it('runs a request deadline from when it reaches the backend, not while it waits for a slot', async () => {
    const backend = new ManualBackend();
    const paced = new PacedGenerator(backend, { maxConcurrency: 1, minSpacingMs: 0 });
    const first = paced.generate({ ...request(1), timeoutMs: 1_000 });
    const second = paced.generate({ ...request(2), timeoutMs: 1_000 });
    await vi.advanceTimersByTimeAsync(900);
    backend.next();
    await flush();
    await expect(first).resolves.toBe(IMAGE);
    // The second has waited 900 ms of its 1,000: still, its backend gets the whole deadline.
    await vi.advanceTimersByTimeAsync(900);
    backend.next();
    await expect(second).resolves.toBe(IMAGE);
    const third = paced.generate({ ...request(3), timeoutMs: 1_000 });
    const outcome = expect(third).rejects.toThrow(new TimeoutError('manual: portrait_front did not finish within 1000 ms'));
    await vi.advanceTimersByTimeAsync(1_000);
    await outcome;
    expect(paced.stats().inFlight).toBe(0);
  });

  it('refuses nonsensical limits', () => {
    expect(() => new PacedGenerator(new ManualBackend(), { maxConcurrency: 0, minSpacingMs: 0 })).toThrow(RangeError);
    expect(() => new PacedGenerator(new ManualBackend(), { maxConcurrency: 1, minSpacingMs: -1 })).toThrow(RangeError);
  });
});
