// Seeds of the identity check's regenerations. Apart from the catalog (variations.ts), which the web page
// imports too: this one needs Node's crypto.
import { createHash } from 'node:crypto';
import { MAX_SEED } from './variations.js';

/**
 * The seed of the `regeneration`th identity regeneration (1, 2, …) of an image made with `seed`. Derived, not
 * random, so a set made again from the same base seed drifts and recovers the same way, and a user can
 * reproduce any image the identity check kept or rejected.
 */
export function regenerationSeed(seed: number, regeneration: number): number {
  return createHash('sha256').update(`${seed}:${regeneration}`).digest().readUInt32BE(0) % MAX_SEED;
}
