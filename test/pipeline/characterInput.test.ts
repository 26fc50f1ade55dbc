import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors.js';
import { DEFAULT_STYLE, LIMITS, validateCharacterInput } from '../../src/pipeline/characterInput.js';

function refusalOf(run: () => unknown): { field: string | undefined; message: string } | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return { field: error.field, message: error.message };
    throw error;
  }
  return undefined;
}

const fieldOf = (run: () => unknown) => refusalOf(run)?.field;
const traits = (count: number) => Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: 'v' }));

describe('validateCharacterInput', () => {
  it('keeps the display name as given (trimmed) and fills defaults', () => {
    const valid = validateCharacterInput({ name: '  Zoë the Brave ', seed: 42 });
    expect(valid).toEqual({ name: 'Zoë the Brave', description: '', traits: [], style: DEFAULT_STYLE, baseSeed: 42 });
  });

  it('draws a random seed in range when none is given', () => {
    const seed = validateCharacterInput({ name: 'A' }).baseSeed;
    expect(Number.isInteger(seed) && seed >= 0 && seed <= LIMITS.maxSeed).toBe(true);
  });

  it.each([
    ['empty name', { name: '   ' }, 'name'],
    ['oversized name', { name: 'x'.repeat(101) }, 'name'],
    ['path traversal', { name: '../evil' }, 'name'],
    ['slash', { name: 'a/b' }, 'name'],
    ['backslash', { name: 'a\\b' }, 'name'],
    ['NUL', { name: 'a\u0000b' }, 'name'],
    ['bidi override', { name: 'abc\u202Egpj.exe' }, 'name'],
    ['zero-width space', { name: 'ad\u200Bmin' }, 'name'],
    ['oversized description', { name: 'A', description: 'd'.repeat(2001) }, 'description'],
    ['control in description', { name: 'A', description: 'bell\u0007' }, 'description'],
    ['too many traits', { name: 'A', traits: Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }, 'traits'],
    ['duplicate trait', { name: 'A', traits: [{ key: 'hair', value: 'red' }, { key: 'Hair', value: 'blue' }] }, 'traits'],
    ['bad trait key', { name: 'A', traits: [{ key: '$where', value: 'x' }] }, 'traits'],
    ['negative seed', { name: 'A', seed: -1 }, 'seed'],
    ['fractional seed', { name: 'A', seed: 1.5 }, 'seed'],
    ['seed too large', { name: 'A', seed: LIMITS.maxSeed + 1 }, 'seed'],
  ])('refuses %s', (_, input, field) => {
    expect(fieldOf(() => validateCharacterInput(input))).toBe(field);
  });

  it('uses the default style for a blank one and keeps a given one trimmed', () => {
    expect(validateCharacterInput({ name: 'A', style: '   ' }).style).toBe(DEFAULT_STYLE);
    expect(validateCharacterInput({ name: 'A', style: ' watercolor ' }).style).toBe('watercolor');
  });

  it('accepts exactly the trait limit, the smallest and the largest seed', () => {
    expect(validateCharacterInput({ name: 'A', traits: traits(LIMITS.traitCount) }).traits).toHaveLength(LIMITS.traitCount);
    expect(validateCharacterInput({ name: 'A', seed: 0 }).baseSeed).toBe(0);
    expect(validateCharacterInput({ name: 'A', seed: LIMITS.maxSeed }).baseSeed).toBe(LIMITS.maxSeed);
  });

  it('keeps trait keys and values trimmed, in the order given', () => {
    const valid = validateCharacterInput({ name: 'A', traits: [{ key: ' Eye colour ', value: ' green ' }, { key: 'hair', value: 'red' }] });
    expect(valid.traits).toEqual([{ key: 'Eye colour', value: 'green' }, { key: 'hair', value: 'red' }]);
  });

  it.each([
    ['too many traits', { name: 'A', traits: traits(21) }, 'traits', 'at most 20 traits'],
    ['a blank trait key', { name: 'A', traits: [{ key: '  ', value: 'x' }] }, 'traits.key', 'traits.key must not be empty'],
    ['a blank trait value', { name: 'A', traits: [{ key: 'hair', value: ' ' }] }, 'traits.hair', 'traits.hair must not be empty'],
    ['a bad trait key', { name: 'A', traits: [{ key: '$where', value: 'x' }] }, 'traits', 'trait key "$where" must start with a letter and use letters, digits, spaces, _ or -'],
    ['a trait given twice, in another case', { name: 'A', traits: [{ key: 'hair', value: 'red' }, { key: 'HAIR', value: 'blue' }] }, 'traits', 'trait "HAIR" is given twice'],
    ['a seed out of range', { name: 'A', seed: -1 }, 'seed', `seed must be an integer from 0 to ${LIMITS.maxSeed}`],
  ])('says why it refuses %s', (_, input, field, message) => {
    expect(refusalOf(() => validateCharacterInput(input))).toEqual({ field, message });
  });

  it('accepts multi-line descriptions and non-Latin names', () => {
    expect(validateCharacterInput({ name: '龍の騎士', description: 'line one\nline two' }).name).toBe('龍の騎士');
  });
});
