// What a caller may ask for when creating a character. Every rule here is enforced before any image is
// generated or any file written; violations are InvalidInputErrors naming the field.
import { randomInt } from 'node:crypto';
import { InvalidInputError } from '../domain/errors.js';
import { hasHiddenCharacters } from '../domain/hiddenCharacters.js';

export const LIMITS = {
  nameLength: 100,
  descriptionLength: 2_000,
  styleLength: 60,
  traitCount: 20,
  traitKeyLength: 40,
  traitValueLength: 200,
  /** Keeps base seed + 10 within GraphQL's signed 32-bit Int. */
  maxSeed: 2_147_483_637,
} as const;

export const DEFAULT_STYLE = 'digital illustration';

export interface CharacterInput {
  name: string;
  description?: string | null;
  traits?: { key: string; value: string }[] | null;
  style?: string | null;
  seed?: number | null;
}

export interface ValidCharacterInput {
  name: string;
  description: string;
  traits: { key: string; value: string }[];
  style: string;
  baseSeed: number;
}

const TRAIT_KEY = /^[A-Za-z][A-Za-z0-9_ -]*$/;

/** Trimmed, NFC-normalised text within `max` characters, free of control and invisible characters. */
export function text(field: string, value: string, max: number, options: { required: boolean; multiline?: boolean }): string {
  const trimmed = value.normalize('NFC').trim();
  if (options.required && trimmed === '') throw new InvalidInputError(`${field} must not be empty`, field);
  if ([...trimmed].length > max) throw new InvalidInputError(`${field} is longer than ${max} characters`, field);
  if (hasHiddenCharacters(trimmed, options)) {
    throw new InvalidInputError(`${field} contains control or invisible formatting characters`, field);
  }
  return trimmed;
}

export function validateCharacterInput(input: CharacterInput): ValidCharacterInput {
  const name = text('name', input.name, LIMITS.nameLength, { required: true });
  if (/[/\\]/.test(name) || name.includes('..')) {
    throw new InvalidInputError('name must not contain path separators (/ or \\) or ".."', 'name');
  }
  const description = text('description', input.description ?? '', LIMITS.descriptionLength, { required: false, multiline: true });
  const style = text('style', input.style ?? DEFAULT_STYLE, LIMITS.styleLength, { required: false }) || DEFAULT_STYLE;

  const rawTraits = input.traits ?? [];
  if (rawTraits.length > LIMITS.traitCount) throw new InvalidInputError(`at most ${LIMITS.traitCount} traits`, 'traits');
  const seen = new Set<string>();
  const traits = rawTraits.map(({ key, value }) => {
    const cleanKey = text('traits.key', key, LIMITS.traitKeyLength, { required: true });
    if (!TRAIT_KEY.test(cleanKey)) throw new InvalidInputError(`trait key ${JSON.stringify(cleanKey)} must start with a letter and use letters, digits, spaces, _ or -`, 'traits');
    // Stryker disable next-line MethodExpression: keys are ASCII letters (TRAIT_KEY), so upper case finds the same duplicates
    const normalizedKey = cleanKey.toLowerCase();
    if (seen.has(normalizedKey)) throw new InvalidInputError(`trait ${JSON.stringify(cleanKey)} is given twice`, 'traits');
    seen.add(normalizedKey);
    return { key: cleanKey, value: text(`traits.${cleanKey}`, value, LIMITS.traitValueLength, { required: true }) };
  });

  return { name, description, traits, style, baseSeed: seedOrRandom(input.seed, LIMITS.maxSeed) };
}

/** The given seed if it is an integer from 0 to `max`, a random one when none is given. */
export function seedOrRandom(seed: number | null | undefined, max: number): number {
  if (seed === undefined || seed === null) return randomInt(0, max + 1);
  if (!Number.isInteger(seed) || seed < 0 || seed > max) throw new InvalidInputError(`seed must be an integer from 0 to ${max}`, 'seed');
  return seed;
}
