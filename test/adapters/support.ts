// Requests and assertions shared by the adapter tests.
import { expect } from 'vitest';
import { BackendError } from '../../src/domain/errors.js';
import { solidPng } from '../../bench/simulator/png.js';
import type { ImageRequest, ReferenceImage } from '../../src/ports.js';

export function imageRequest(overrides: Partial<ImageRequest> = {}): ImageRequest {
  return {
    variation: 'portrait_front',
    prompt: 'portrait of Mira, red hair, green eyes',
    negativePrompt: 'blurry',
    seed: 1234,
    width: 96,
    height: 64,
    subject: { name: 'Mira', description: 'a ranger', traits: { hair: 'red' }, style: 'anime' },
    ...overrides,
  };
}

/** A character's avatar as the pipeline hands it to a generator (a small solid PNG unless bytes are given). */
export function avatarReference(bytes: Uint8Array = solidPng(40, 40, 7), characterId = '65f0c0ffee00000000000001'): ReferenceImage {
  return { name: `charsheet-${characterId}-avatar.png`, role: 'avatar', bytes, contentType: 'image/png' };
}

/** Awaits the rejection and checks it is a BackendError from `backend`; returns it for further checks. */
export async function backendFailure(promise: Promise<unknown>, backend: string): Promise<BackendError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(BackendError);
  const failure = error as BackendError;
  expect(failure.backend).toBe(backend);
  return failure;
}
