// A generator for export tests: the offline renderer, except that the chosen variations of the chosen
// characters (by name) always fail, so one service holds full sets, partial sets and sets with no image.
import { BackendError } from '../../../src/domain/errors.js';
import type { VariationType } from '../../../src/domain/variations.js';
import { OfflineRenderer } from '../../../src/generators/offline/index.js';
import type { GeneratedImage, ImageGenerator, ImageRequest } from '../../../src/ports.js';

export class FailuresByName implements ImageGenerator {
  readonly name = 'failures-by-name';
  private readonly renderer = new OfflineRenderer();

  constructor(private readonly failing: Record<string, readonly VariationType[] | 'all'>) {}

  async generate(request: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage> {
    const failing = this.failing[request.subject.name];
    if (request.variation !== 'avatar' && (failing === 'all' || failing?.includes(request.variation))) {
      throw new BackendError(this.name, `injected failure for ${request.variation}`, false);
    }
    return this.renderer.generate(request, signal);
  }
}
