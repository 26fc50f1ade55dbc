// Use case: create many characters in one call. Every input goes through the createCharacter use case on its
// own, so one bad input (or one past a per-user limit) fails only itself while the others are created; the
// limits apply input by input exactly as they would to separate calls. Outcomes come back in input order.
import { InvalidInputError, RateLimitedError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { CharacterRecord } from '../ports.js';
import type { CharacterInput } from './characterInput.js';

/** The most inputs one call takes: a call answers once every avatar is drawn, so it must stay short. */
export const MAX_BATCH_SIZE = 50;
/**
 * Avatars of one batch drawn at once. The generator's pacer bounds the backend anyway; this keeps one batch
 * from filling the pacer's queue ahead of other users' single createCharacter calls.
 */
export const BATCH_CONCURRENCY = 4;

export type CreationOutcome = { index: number; character: CharacterRecord } | { index: number; error: unknown };

export interface CreateCharactersDeps {
  createCharacter(ownerUsername: string, input: CharacterInput): Promise<CharacterRecord>;
  logger: Logger;
}

export async function createCharacters(deps: CreateCharactersDeps, ownerUsername: string, inputs: readonly CharacterInput[]): Promise<CreationOutcome[]> {
  if (inputs.length === 0) throw new InvalidInputError('inputs must hold at least one character', 'inputs');
  if (inputs.length > MAX_BATCH_SIZE) throw new InvalidInputError(`at most ${MAX_BATCH_SIZE} characters per call (got ${inputs.length}); split the batch`, 'inputs');

  const outcomes: CreationOutcome[] = new Array(inputs.length);
  let next = 0;
  // Inputs start in order, so under a per-user limit it is the earlier ones that get created.
  const worker = async (): Promise<void> => {
    for (let index = next++; index < inputs.length; index = next++) {
      try {
        outcomes[index] = { index, character: await deps.createCharacter(ownerUsername, inputs[index] as CharacterInput) };
      } catch (error) {
        // The caller's own mistakes are theirs to read in the outcome; anything else is ours to look into.
        const callers = error instanceof InvalidInputError || error instanceof RateLimitedError;
        deps.logger[callers ? 'debug' : 'warn']({ err: error, index }, 'a batch input was not created');
        outcomes[index] = { index, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, inputs.length) }, worker));
  return outcomes;
}
