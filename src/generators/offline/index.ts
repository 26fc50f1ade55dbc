// The embedded default generator: a procedural character illustration drawn as SVG and rasterised to PNG.
// It is an honest offline stand-in for a GPU model — deterministic, instant, no network — that still gives
// every character a consistent look across its reference set and a visibly different shot per variation.
import { BackendError } from '../../domain/errors.js';
import type { GeneratedImage, ImageGenerator, ImageRequest } from '../../ports.js';
import { characterSvg } from './document.js';
import { renderPng } from './render.js';

/** Beyond this a single render would take seconds and hundreds of MB; real backends cap sizes too. */
const MAX_SIDE = 4096;

export class OfflineRenderer implements ImageGenerator {
  readonly name = 'offline';

  async generate(request: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage> {
    signal?.throwIfAborted();
    const { width, height } = request;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
      throw new BackendError(this.name, `image size ${width}x${height} is outside 1..${MAX_SIDE} pixels per side`, false);
    }
    let bytes: Uint8Array;
    try {
      bytes = await renderPng(characterSvg(request), signal);
    } catch (error) {
      signal?.throwIfAborted();
      throw new BackendError(this.name, `rendering failed: ${error instanceof Error ? error.message : String(error)}`, false, undefined, { cause: error });
    }
    // A render already running cannot be interrupted; a caller that gave up meanwhile still gets its abort reason.
    signal?.throwIfAborted();
    return { bytes, contentType: 'image/png', width, height };
  }
}

export { characterSvg } from './document.js';
export { deriveLook, type CharacterLook } from './look.js';
