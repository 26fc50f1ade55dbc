// Reports each image request to the Metrics port: its wait in the pacer's line and its time at the backend
// (split at the pacer's `dispatched` hook), how it ended, and the pacer's resubmissions of a request the
// backend refused (its `resubmitted` hook), so the pacer itself holds no metrics code. It wraps the
// PacedGenerator: a request refused and resent by the pacer is one request here, as it is to callers.
import { BackendError } from '../domain/errors.js';
import type { ImageFailureCause, ImageKind } from '../metricsPort.js';
import type { GeneratedImage, GenerationHooks, ImageGenerator, ImageRequest, Metrics } from '../ports.js';
import { TimeoutError } from '../support/abort.js';

/** A failure as one of the port's fixed causes (never its message: that is free text). */
export function failureCause(error: unknown, signal: AbortSignal | undefined): ImageFailureCause {
  if (error instanceof TimeoutError || signal?.reason instanceof TimeoutError) return 'timeout';
  if (signal?.aborted) return 'aborted';
  if (error instanceof BackendError) {
    if (error.retryAfterMs !== undefined) return 'rate_limited';
    return error.retryable ? 'retryable' : 'permanent';
  }
  // Not a backend's typed answer (a bug, a broken connection the adapter did not wrap): retrying may help.
  return 'retryable';
}

export class InstrumentedGenerator implements ImageGenerator {
  readonly name: string;

  constructor(
    private readonly inner: ImageGenerator,
    private readonly metrics: Metrics,
  ) {
    this.name = inner.name;
  }

  async generate(request: ImageRequest, signal?: AbortSignal, hooks?: GenerationHooks): Promise<GeneratedImage> {
    const kind: ImageKind = request.variation === 'avatar' ? 'avatar' : 'variation';
    const called = performance.now();
    let dispatchedAt: number | null = null;
    const observed: GenerationHooks = {
      ...hooks,
      dispatched: () => {
        dispatchedAt = performance.now();
        hooks?.dispatched?.();
      },
      resubmitted: () => {
        this.metrics.retry('submission');
        hooks?.resubmitted?.();
      },
    };
    const report = (outcome: 'generated' | ImageFailureCause) => {
      const now = performance.now();
      this.metrics.imageAttempt({ backend: this.name, kind, outcome, queueWaitMs: dispatchedAt === null ? null : dispatchedAt - called, backendMs: dispatchedAt === null ? null : now - dispatchedAt });
    };
    try {
      const image = await this.inner.generate(request, signal, observed);
      report('generated');
      return image;
    } catch (error) {
      report(failureCause(error, signal));
      throw error;
    }
  }

  ready(signal: AbortSignal): Promise<void> {
    return this.inner.ready?.(signal) ?? Promise.resolve();
  }

  close(): void {
    this.inner.close?.();
  }
}
