// The offline renderer as the pipeline sees it: real PNG bytes of the requested size, identical for identical
// requests, different per variation, and honest about aborts and impossible sizes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../src/domain/errors.js';
import { VARIATIONS } from '../../src/domain/variations.js';
import { OfflineRenderer } from '../../src/generators/offline/index.js';
import type { ImageRequest, ImageSubject } from '../../src/ports.js';

const ARIA: ImageSubject = { name: 'Aria Stormwind', description: 'A ranger of the northern woods', traits: { hair: 'long red hair', eyes: 'green' }, style: 'fantasy' };

function request(overrides: Partial<ImageRequest> = {}): ImageRequest {
  return { variation: 'portrait_front', prompt: 'a ranger', negativePrompt: '', seed: 42, width: 128, height: 128, subject: ARIA, ...overrides };
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Width and height from the IHDR chunk, which must come first after the PNG signature. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(bytes);
  expect(view.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(view.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

describe('OfflineRenderer', () => {
  const renderer = new OfflineRenderer();

  it('names itself "offline"', () => {
    expect(renderer.name).toBe('offline');
  });

  it.each([
    [512, 512],
    [320, 200],
    [200, 320],
    [1, 1],
  ])('returns a PNG of exactly %i x %i', async (width, height) => {
    const image = await renderer.generate(request({ width, height, variation: 'full_body_standing' }));
    expect(image.contentType).toBe('image/png');
    expect({ width: image.width, height: image.height }).toEqual({ width, height });
    expect(pngSize(image.bytes)).toEqual({ width, height });
  });

  it('gives byte-identical images for the same request, within one renderer and across two', async () => {
    const first = await renderer.generate(request());
    const again = await renderer.generate(request());
    const other = await new OfflineRenderer().generate(request());
    expect(sha(again.bytes)).toBe(sha(first.bytes));
    expect(sha(other.bytes)).toBe(sha(first.bytes));
  });

  it('gives the avatar and each of the 10 variations its own image', async () => {
    const shots = [{ variation: 'avatar' as const, seed: 7 }, ...VARIATIONS.map((spec) => ({ variation: spec.type, seed: 7 + spec.seedOffset }))];
    const images = await Promise.all(shots.map((shot) => renderer.generate(request(shot))));
    expect(new Set(images.map((image) => sha(image.bytes))).size).toBe(11);
  });

  it('changes the picture when only the seed changes, but only in details', async () => {
    const one = await renderer.generate(request({ seed: 1 }));
    const two = await renderer.generate(request({ seed: 2 }));
    expect(sha(one.bytes)).not.toBe(sha(two.bytes));
  });

  it('rejects with the abort reason when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(renderer.generate(request(), controller.signal)).rejects.toBe(reason);
  });

  it('rejects with the abort reason when the signal aborts while the picture renders', async () => {
    const controller = new AbortController();
    const reason = new Error('lease lost');
    const rendering = renderer.generate(request({ width: 2048, height: 2048 }), controller.signal);
    controller.abort(reason);
    await expect(rendering).rejects.toBe(reason);
  });

  it.each([
    [0, 64],
    [64, -1],
    [10.5, 64],
    [64, 100_000],
  ])('refuses the impossible size %s x %s with a non-retryable BackendError', async (width, height) => {
    const failure = await renderer.generate(request({ width, height })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendError);
    expect(failure).toMatchObject({ backend: 'offline', retryable: false });
  });

  it('draws characters whose names and traits hold markup characters', async () => {
    const subject: ImageSubject = { name: '<script>&"', description: '</svg><svg onload=x>', traits: { hair: '"><rect', '<key>': '&amp;' }, style: '"' };
    const image = await renderer.generate(request({ subject }));
    expect(pngSize(image.bytes)).toEqual({ width: 128, height: 128 });
  });
});
