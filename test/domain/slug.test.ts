import { describe, expect, it } from 'vitest';
import { characterObjectKey, isSlug, slugify } from '../../src/domain/slug.js';

describe('slugify', () => {
  it.each([
    ['Mira Thorn', 'mira-thorn'],
    ['Zoë  Élan!!', 'zoe-elan'],
    ['../../etc/passwd', 'etc-passwd'],
    ['a/b\\c', 'a-b-c'],
    ['nul\u0000byte', 'nul-byte'],
    ['\u202Eevil\u200B', 'evil'],
    ['ﬁnal', 'final'],
    ['龍の騎士', ''],
    ['🐉', ''],
  ])('%j → %j', (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  it('never exceeds 64 characters nor ends with a hyphen', () => {
    const slug = slugify(`${'a'.repeat(63)} b`);
    expect(slug.length).toBeLessThanOrEqual(64);
    expect(isSlug(slug)).toBe(true);
  });

  it('cuts to a shorter length when asked, leaving room for a suffix', () => {
    const slug = slugify('word '.repeat(30), 55);
    expect(slug.length).toBeLessThanOrEqual(55);
    expect(isSlug(`${slug}-1a2b3c4d`)).toBe(true);
  });
});

describe('characterObjectKey', () => {
  it('builds the seed folder layout', () => {
    expect(characterObjectKey({ ownerSlug: 'ada', characterSlug: 'mira-1a2b3c4d', folder: 'embeddings', file: 'portrait_front.png' })).toBe(
      'characters/ada/mira-1a2b3c4d/embeddings/portrait_front.png',
    );
  });

  it.each([
    { ownerSlug: '..', characterSlug: 'x', file: 'a.png' },
    { ownerSlug: 'ada', characterSlug: 'x/y', file: 'a.png' },
    { ownerSlug: 'ada', characterSlug: 'x', file: '../a.png' },
    { ownerSlug: 'ada', characterSlug: 'x', file: 'a/b.png' },
    { ownerSlug: '', characterSlug: 'x', file: 'a.png' },
  ])('refuses unsafe segments %j', (parts) => {
    expect(() => characterObjectKey({ ...parts, folder: 'avatar' })).toThrow(/unsafe/);
  });
});
