import { describe, expect, it } from 'vitest';
import { hasHiddenCharacters } from '../../src/domain/hiddenCharacters.js';

describe('hasHiddenCharacters', () => {
  it.each([
    ['a joined emoji (mage, woman)', '🧙‍♀️ Mira'],
    ['a skin tone and a joiner', 'Captain 👩🏽‍🚀'],
    ['a family', '👨‍👩‍👧'],
    ['a rainbow flag', '🏳️‍🌈'],
    ['a country flag', '🇫🇷 Jeanne'],
    ['a subdivision flag (tag characters)', '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} Rob'],
    ['a keycap', 'Agent 0️⃣0️⃣7️⃣'],
    ['Persian with a ZWNJ inside a word', 'می‌خواهم'],
    ['a Hindi conjunct with a ZWJ', 'क्‍ष'],
    ['a Hindi half form with a ZWNJ', 'क्‌ष'],
    ['a Malayalam chillu written with a ZWJ', 'അവന്‍ വന്നു'],
    ['a Sinhala conjunct', 'ශ්‍රී'],
  ])('accepts %s', (_, text) => {
    expect(hasHiddenCharacters(text)).toBe(false);
  });

  it.each([
    ['a right-to-left override', 'txt\u202Eexe'],
    ['a left-to-right embedding', 'a\u202Ab'],
    ['a pop directional formatting', 'a\u202Cb'],
    ['a first-strong isolate', 'a\u2068b\u2069'],
    ['a right-to-left isolate', '\u2067abc'],
    ['a zero-width space', 'ad\u200Bmin'],
    ['a ZWNJ between letters of different scripts', 'pay\u200Cрal'],
    ['a ZWJ between Latin and Arabic', 'a\u200Dب'],
    ['a ZWNJ inside a Latin word (changes nothing visible)', 'ad\u200Cmin'],
    ['a ZWJ between an emoji and a letter', '🧙\u200Da'],
    ['a joiner at the start', '\u200Dمی'],
    ['a tag character outside a flag', 'a\u{E0067}\u{E007F}'],
    ['a byte-order mark', '\uFEFFname'],
    ['a NUL', 'a\u0000b'],
    ['a line break in a one-line field', 'a\nb'],
  ])('refuses %s', (_, text) => {
    expect(hasHiddenCharacters(text)).toBe(true);
  });

  it('allows line breaks, not bidi controls, in multi-line text', () => {
    expect(hasHiddenCharacters('one\ntwo\n\tthree', { multiline: true })).toBe(false);
    expect(hasHiddenCharacters('one\n\u202Etwo', { multiline: true })).toBe(true);
  });
});
