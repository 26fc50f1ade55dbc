// The generator wrapper tells the Metrics port how each request went, with no metrics library involved: a
// recording port stands in for Prometheus. Queue wait and backend time are split where the pacer dispatches.
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../src/domain/errors.js';
import { InstrumentedGenerator } from '../../src/generators/instrumented.js';
import { PacedGenerator, SubmissionRefusedError } from '../../src/generators/paced.js';
import { OfflineRenderer } from '../../src/generators/offline/index.js';
import type { ImageAttempt, RetriedWork } from '../../src/metricsPort.js';
import type { GeneratedImage, ImageGenerator, ImageRequest, Metrics } from '../../src/ports.js';
import { waitFor } from '../support/waitFor.js';

class RecordingMetrics implements Metrics {
  readonly attempts: ImageAttempt[] = [];
  readonly retries: RetriedWork[] = [];
  imageAttempt(attempt: ImageAttempt): void {
    this.attempts.push(attempt);
  }
  retry(work: RetriedWork): void {
    this.retries.push(work);
  }
  subscriptionOpened(): () => void {
    return () => undefined;
  }
  httpRequest(): void {}
  graphqlOperation(): void {}
  identityScore(): void {}
}

/** Answers each request with what `answer` says for its variation. */
class AnsweringGenerator implements ImageGenerator {
  readonly name = 'answering';
  private readonly renderer = new OfflineRenderer();
  constructor(private readonly answer: (request: ImageRequest, signal?: AbortSignal) => Promise<void> = async () => undefined) {}
  async generate(request: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage> {
    await this.answer(request, signal);
    return this.renderer.generate(request, signal);
  }
}

const request = (variation: ImageRequest['variation'], timeoutMs?: number): ImageRequest => ({
  variation,
  prompt: 'p',
  negativePrompt: '',
  seed: 1,
  width: 64,
  height: 64,
  subject: { name: 'T', description: '', traits: {}, style: 'flat' },
  ...(timeoutMs === undefined ? {} : { timeoutMs }),
});

function instrumented(inner: ImageGenerator): { generator: InstrumentedGenerator; metrics: RecordingMetrics; paced: PacedGenerator } {
  const metrics = new RecordingMetrics();
  const paced = new PacedGenerator(inner, { maxConcurrency: 1, minSpacingMs: 0 });
  return { generator: new InstrumentedGenerator(paced, metrics), metrics, paced };
}

describe('InstrumentedGenerator', () => {
  it('reports a generated image with its wait in line and its time at the backend', async () => {
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const { generator, metrics, paced } = instrumented(new AnsweringGenerator((r) => (r.variation === 'avatar' ? first : Promise.resolve())));
    const holding = generator.generate(request('avatar'));
    // One slot: the variation waits in the pacer's line until the avatar's answer frees it.
    const waiting = generator.generate(request('portrait_front'));
    await waitFor(async () => paced.stats().waiting === 1, 'the variation waits in line');
    release();
    await Promise.all([holding, waiting]);
    const avatar = metrics.attempts.find((attempt) => attempt.kind === 'avatar')!;
    const variation = metrics.attempts.find((attempt) => attempt.kind === 'variation')!;
    expect(avatar).toMatchObject({ backend: 'answering', outcome: 'generated', backendMs: expect.any(Number) });
    expect(variation).toMatchObject({ backend: 'answering', outcome: 'generated', backendMs: expect.any(Number) });
    // The variation's wait spans the avatar's time at the backend; the avatar found the slot free.
    expect(variation.queueWaitMs).toBeGreaterThan(avatar.queueWaitMs!);
  });

  it('names the cause of a failure from a fixed set', async () => {
    const failing = (error: Error) => instrumented(new AnsweringGenerator(async () => Promise.reject(error)));
    const outcome = async (setup: ReturnType<typeof instrumented>, req = request('portrait_front'), signal?: AbortSignal) => {
      await setup.generator.generate(req, signal).catch(() => undefined);
      return setup.metrics.attempts[0];
    };
    expect(await outcome(failing(new BackendError('answering', 'worker crashed', true)))).toMatchObject({ outcome: 'retryable' });
    expect(await outcome(failing(new BackendError('answering', 'invalid workflow', false)))).toMatchObject({ outcome: 'permanent' });
    expect(await outcome(failing(new BackendError('answering', 'slow down', true, 1)))).toMatchObject({ outcome: 'rate_limited' });
    const hung = instrumented(new AnsweringGenerator((_, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason)))));
    expect(await outcome(hung, request('portrait_front', 20))).toMatchObject({ outcome: 'timeout', queueWaitMs: expect.any(Number), backendMs: expect.any(Number) });
    const cancelled = instrumented(new AnsweringGenerator((_, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason)))));
    const controller = new AbortController();
    const cancelledOutcome = outcome(cancelled, request('portrait_front'), controller.signal);
    await waitFor(async () => cancelled.paced.stats().inFlight === 1, 'the request is at the backend');
    controller.abort(new Error('cancelled'));
    expect(await cancelledOutcome).toMatchObject({ outcome: 'aborted', backendMs: expect.any(Number) });
  });

  it('counts a submission the backend refused and the pacer resent as a retry of one request', async () => {
    let refusals = 1;
    const { generator, metrics } = instrumented(new AnsweringGenerator(async () => (refusals-- > 0 ? Promise.reject(new SubmissionRefusedError('answering', 'HTTP 429', true, 1)) : undefined)));
    await generator.generate(request('portrait_front'));
    expect(metrics.retries).toEqual(['submission']);
    expect(metrics.attempts).toMatchObject([{ kind: 'variation', outcome: 'generated' }]);
  });

  it('reports a request given up while it waited in line as never dispatched', async () => {
    const { generator, metrics } = instrumented(new AnsweringGenerator((r) => (r.variation === 'avatar' ? new Promise(() => undefined) : Promise.resolve())));
    void generator.generate(request('avatar'));
    const controller = new AbortController();
    const queued = generator.generate(request('portrait_front'), controller.signal);
    controller.abort(new Error('deleted'));
    await expect(queued).rejects.toThrow('deleted');
    expect(metrics.attempts).toEqual([{ backend: 'answering', kind: 'variation', outcome: 'aborted', queueWaitMs: null, backendMs: null }]);
  });
});
