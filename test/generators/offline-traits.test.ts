// How the offline renderer reads a character: colour words and hex codes per feature, phrases in the
// description, style words, and a stable fallback from who the character is when the traits are silent.
import { describe, expect, it } from 'vitest';
import { colourFromPhrase } from '../../src/generators/offline/colorWords.js';
import { luminance } from '../../src/generators/offline/color.js';
import { deriveLook } from '../../src/generators/offline/index.js';
import type { ImageSubject } from '../../src/ports.js';

const subject = (overrides: Partial<ImageSubject>): ImageSubject => ({ name: 'Tess', description: '', traits: {}, style: '', ...overrides });

describe('colour words', () => {
  it('reads the same word per feature: brown hair, brown eyes and brown skin are different browns', () => {
    const browns = new Set((['hair', 'eyes', 'skin'] as const).map((feature) => colourFromPhrase('brown', feature)));
    expect(browns.size).toBe(3);
  });

  it('shades a colour with "dark" and "light" next to it', () => {
    const brown = colourFromPhrase('brown', 'hair')!;
    expect(luminance(colourFromPhrase('dark brown', 'hair')!)).toBeLessThan(luminance(brown));
    expect(luminance(colourFromPhrase('light brown', 'hair')!)).toBeGreaterThan(luminance(brown));
  });

  it('takes a shade word alone as the colour where the feature has one ("pale" or "dark" skin)', () => {
    expect(luminance(colourFromPhrase('pale', 'skin')!)).toBeGreaterThan(luminance(colourFromPhrase('dark', 'skin')!));
  });

  it('prefers a hex code, in either length, over words', () => {
    expect(colourFromPhrase('red, well #3A7BD5 really', 'hair')).toBe('#3a7bd5');
    expect(colourFromPhrase('#0f8', 'outfit')).toBe('#00ff88');
  });

  it('takes the first colour named ("red with silver streaks" is red) and nothing from colourless text', () => {
    expect(colourFromPhrase('red with silver streaks', 'hair')).toBe(colourFromPhrase('red', 'hair'));
    expect(colourFromPhrase('messy and long', 'hair')).toBeNull();
  });
});

describe('deriveLook', () => {
  it('takes colours from trait keys in their usual spellings', () => {
    const look = deriveLook(subject({ traits: { Hair_Color: 'auburn', 'eye colour': 'green', complexion: 'olive', clothing: 'navy' } }));
    expect(look).toMatchObject({
      hair: colourFromPhrase('auburn', 'hair'),
      eyes: colourFromPhrase('green', 'eyes'),
      skin: colourFromPhrase('olive', 'skin'),
      outfit: colourFromPhrase('navy', 'outfit'),
    });
  });

  it('finds hair, eyes and outfit in the description when no trait names them', () => {
    const look = deriveLook(subject({ description: 'A tall knight with long blonde hair, blue eyes and a crimson cloak over silver armor' }));
    expect(look.hair).toBe(colourFromPhrase('blonde', 'hair'));
    expect(look.eyes).toBe(colourFromPhrase('blue', 'eyes'));
    expect(look.hairLength).toBe('long');
  });

  it('reads features named inside other traits, such as an appearance line', () => {
    const look = deriveLook(subject({ traits: { appearance: 'freckled, with short green hair and amber eyes' } }));
    expect(look).toMatchObject({ hair: colourFromPhrase('green', 'hair'), eyes: colourFromPhrase('amber', 'eyes'), hairLength: 'cropped', freckles: true });
  });

  it('reads hair style and accessories from words', () => {
    expect(deriveLook(subject({ traits: { hair: 'short spiky green' } }))).toMatchObject({ hairCap: 'spiky', hairLength: 'cropped' });
    expect(deriveLook(subject({ traits: { hair: 'curly, in a bun' } }))).toMatchObject({ hairCap: 'curly', hairExtra: 'bun' });
    expect(deriveLook(subject({ traits: { accessory: 'round glasses' } })).accessory).toBe('glasses');
    expect(deriveLook(subject({ description: 'always wears a red scarf' })).accessory).toBe('scarf');
  });

  it('gives a character without colour traits the same look every time, whatever else changes', () => {
    const first = deriveLook(subject({ name: 'Mira Vale', description: 'A travelling musician' }));
    expect(deriveLook(subject({ name: '  mira vale ', description: 'A travelling musician' }))).toEqual(first);
    expect(deriveLook(subject({ name: 'Mira Vale', description: 'A travelling musician', style: 'watercolour' }))).toEqual(first);
  });

  it('keeps the other features when one trait is added', () => {
    const plain = deriveLook(subject({ name: 'Mira Vale' }));
    const redHaired = deriveLook(subject({ name: 'Mira Vale', traits: { hair: 'red' } }));
    expect(redHaired.hair).toBe(colourFromPhrase('red', 'hair'));
    expect({ ...redHaired, hair: plain.hair }).toEqual(plain);
  });

  it('gives different characters different looks', () => {
    const names = ['Mira', 'Otto', 'Kai', 'Luna', 'Bram', 'Sol', 'Ines', 'Yuki'];
    const looks = new Set(names.map((name) => JSON.stringify(deriveLook(subject({ name })))));
    expect(looks.size).toBe(names.length);
  });

  it('gives different characters different faces, not only different colours', () => {
    const names = ['Mira', 'Otto', 'Kai', 'Luna', 'Bram', 'Sol', 'Ines', 'Yuki'];
    const faces = names.map((name) => deriveLook(subject({ name })).face);
    expect(new Set(faces.map((face) => `${face.jaw} ${face.eyeShape} ${face.nose}`)).size).toBeGreaterThan(4);
    const spacings = faces.map((face) => face.eyeSpacing);
    expect(Math.max(...spacings) - Math.min(...spacings)).toBeGreaterThan(5);
  });

  it('draws the facial hair the words name, and none on a character described as a woman', () => {
    expect(deriveLook(subject({ description: 'a dwarf with a braided beard' })).face.facialHair).toBe('beard');
    expect(deriveLook(subject({ traits: { face: 'thin moustache' } })).face.facialHair).toBe('moustache');
    expect(deriveLook(subject({ description: 'clean-shaven and neat' })).face.facialHair).toBe('none');
    // Among many characters some get facial hair by chance; none of them once the description says "she".
    const names = Array.from({ length: 40 }, (_, i) => `Person ${i}`);
    expect(names.some((name) => deriveLook(subject({ name })).face.facialHair !== 'none')).toBe(true);
    expect(names.filter((name) => deriveLook(subject({ name, description: 'she runs the inn' })).face.facialHair !== 'none')).toEqual([]);
  });
});
