// Requests and assertions shared by the adapter tests.
import { expect } from 'vitest';
import { BackendError } from '../../src/domain/errors.js';
import type { ImageRequest } from '../../src/ports.js';

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
