// Image generators for tests that must control timing or failures. They wrap the real offline renderer, so
// every image they return is a real PNG.
import { BackendError } from '../../src/domain/errors.js';
import type { VariationType } from '../../src/domain/variations.js';
import { OfflineRenderer } from '../../src/generators/offline/index.js';
import type { GeneratedImage, ImageGenerator, ImageRequest } from '../../src/ports.js';

/** Holds every reference-set variation until `open()`; the avatar passes at once. */
export class GatedGenerator implements ImageGenerator {
  readonly name = 'gated-offline';
  private readonly renderer = new OfflineRenderer();
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));

  open(): void {
    this.release();
  }

  async generate(request: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage> {
    if (request.variation !== 'avatar') await this.gate;
    return this.renderer.generate(request, signal);
  }
}

/** Fails the chosen variations on every attempt, retryable or not, and counts calls per variation. */
export class FailingGenerator implements ImageGenerator {
  readonly name = 'flaky-offline';
  readonly calls = new Map<string, number>();
  private readonly renderer = new OfflineRenderer();

  constructor(
    private readonly failing: ReadonlySet<VariationType | 'avatar'>,
    private readonly retryable: boolean,
  ) {}

  async generate(request: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage> {
    this.calls.set(request.variation, (this.calls.get(request.variation) ?? 0) + 1);
    if (this.failing.has(request.variation)) {
      throw new BackendError(this.name, `injected failure for ${request.variation}`, this.retryable);
    }
    return this.renderer.generate(request, signal);
  }
}

export interface RecordedRequest {
  variation: ImageRequest['variation'];
  seed: number;
  /** The caller gave up on it (cancel, delete, shutdown) while the backend was on it. */
  aborted: boolean;
  /** Held at the backend until let through (see ScriptedGenerator.hold). */
  held: boolean;
}

/**
 * A backend the test steers: it records every request it receives; while `hold()` is on, it keeps each
 * reference-set request until `letThrough()` (the avatar always passes); and it fails the variations in
 * `failing` (retryably) until they are removed.
 */
export class ScriptedGenerator implements ImageGenerator {
  readonly name = 'scripted-offline';
  readonly requests: RecordedRequest[] = [];
  readonly failing = new Set<ImageRequest['variation']>();
  private readonly renderer = new OfflineRenderer();
  private holding = false;
  private readonly waiting: { request: RecordedRequest; pass: () => void }[] = [];

  /** Requests received so far for one variation (or the avatar). */
  received(variation: ImageRequest['variation']): RecordedRequest[] {
    return this.requests.filter((request) => request.variation === variation);
  }

  /** Requests being held right now. */
  get held(): RecordedRequest[] {
    return this.waiting.map(({ request }) => request);
  }

  hold(): void {
    this.holding = true;
  }

  /** Lets the oldest `count` held requests go on. */
  letThrough(count = 1): void {
    for (const { request, pass } of this.waiting.splice(0, count)) {
      request.held = false;
      pass();
    }
  }

  /** Stops holding and lets every held request go on. */
  release(): void {
    this.holding = false;
    this.letThrough(this.waiting.length);
  }

  async generate(request: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage> {
    const recorded: RecordedRequest = { variation: request.variation, seed: request.seed, aborted: false, held: false };
    this.requests.push(recorded);
    signal?.addEventListener('abort', () => (recorded.aborted = true), { once: true });
    if (request.variation !== 'avatar' && this.holding) {
      recorded.held = true;
      await new Promise<void>((resolve, reject) => {
        const entry = { request: recorded, pass: resolve };
        this.waiting.push(entry);
        signal?.addEventListener(
          'abort',
          () => {
            const index = this.waiting.indexOf(entry);
            if (index >= 0) this.waiting.splice(index, 1);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    }
    if (request.variation !== 'avatar' && this.failing.has(request.variation)) {
      throw new BackendError(this.name, `injected failure for ${request.variation}`, true);
    }
    return this.renderer.generate(request, signal);
  }
}
