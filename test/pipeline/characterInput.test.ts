import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors.js';
import { DEFAULT_STYLE, LIMITS, validateCharacterInput } from '../../src/pipeline/characterInput.js';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.field;
    throw error;
  }
  return undefined;
}

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

  it('accepts multi-line descriptions and non-Latin names', () => {
    expect(validateCharacterInput({ name: '龍の騎士', description: 'line one\nline two' }).name).toBe('龍の騎士');
  });
});
