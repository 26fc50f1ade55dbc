// Reads the create form into a CreateCharacterInput. The server validates for real; this only shapes the
// fields and catches what the browser can say at once (a missing name, a malformed trait line or seed).
import type { CreateCharacterInput, TraitInput } from '../../../src/generated/graphql/graphql.js';

export const MAX_SEED = 2_147_483_637;

export class FormProblem extends Error {
  constructor(
    message: string,
    /** The id of the input to focus, so keyboard users land on what needs fixing. */
    readonly field: string,
  ) {
    super(message);
  }
}

/** "hair: silver braid" per line; blank lines are skipped. */
export function parseTraits(text: string): TraitInput[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const colon = line.indexOf(':');
      const key = colon > 0 ? line.slice(0, colon).trim() : '';
      const value = colon > 0 ? line.slice(colon + 1).trim() : '';
      if (!key || !value) throw new FormProblem(`Trait "${line}" needs the form key: value`, 'traits');
      return { key, value };
    });
}

export function parseSeed(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const seed = Number(trimmed);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new FormProblem(`Seed must be a whole number from 0 to ${MAX_SEED}`, 'seed');
  return seed;
}

export function readCharacterForm(fields: { name: string; description: string; traits: string; style: string; seed: string }): CreateCharacterInput {
  const name = fields.name.trim();
  if (!name) throw new FormProblem('Give the character a name', 'name');
  const input: CreateCharacterInput = { name, traits: parseTraits(fields.traits) };
  if (fields.description.trim()) input.description = fields.description.trim();
  if (fields.style.trim()) input.style = fields.style.trim();
  const seed = parseSeed(fields.seed);
  if (seed !== null) input.seed = seed;
  return input;
}
