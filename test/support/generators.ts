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
