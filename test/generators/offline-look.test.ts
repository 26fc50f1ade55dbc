// What a person sees in the offline renderer's pictures, checked on the decoded pixels of its PNGs: the look
// comes from the character's traits and stays the same in all 10 shots, while the shots themselves differ.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { VARIATIONS, type VariationType } from '../../src/domain/variations.js';
import { deriveLook, OfflineRenderer } from '../../src/generators/offline/index.js';
import type { ImageSubject } from '../../src/ports.js';

const SIZE = 256;

interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Decodes the 8-bit RGBA, non-interlaced PNGs resvg writes (and fails loudly on anything else). */
function decodePng(png: Uint8Array): Pixels {
  const buffer = Buffer.from(png);
  const width = buffer.readUInt32BE(16);
  const height = buffer.readUInt32BE(20);
  expect([buffer[24], buffer[25], buffer[28]]).toEqual([8, 6, 0]); // bit depth 8, colour type RGBA, no interlace
  const idat: Buffer[] = [];
  for (let offset = 8; offset < buffer.length; ) {
    const length = buffer.readUInt32BE(offset);
    if (buffer.toString('latin1', offset + 4, offset + 8) === 'IDAT') idat.push(buffer.subarray(offset + 8, offset + 8 + length));
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const upLeft = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = filter === 0 ? 0 : filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : paeth();
      rgba[y * stride + x] = (value + predictor) & 255;
    }
  }
  return { width, height, rgba };
}

/** How many pixels are within `tolerance` (per channel) of a '#rrggbb' colour. */
function countColour(pixels: Pixels, hex: string, tolerance = 3): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let count = 0;
  for (let i = 0; i < pixels.rgba.length; i += 4) {
    if (Math.abs(pixels.rgba[i]! - r) <= tolerance && Math.abs(pixels.rgba[i + 1]! - g) <= tolerance && Math.abs(pixels.rgba[i + 2]! - b) <= tolerance) count++;
  }
  return count;
}

/** Share of pixels that differ clearly (more than 40 in some channel) between two same-sized pictures. */
function changedShare(a: Pixels, b: Pixels): number {
  let changed = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    const delta = Math.max(Math.abs(a.rgba[i]! - b.rgba[i]!), Math.abs(a.rgba[i + 1]! - b.rgba[i + 1]!), Math.abs(a.rgba[i + 2]! - b.rgba[i + 2]!));
    if (delta > 40) changed++;
  }
  return changed / (a.width * a.height);
}

const renderer = new OfflineRenderer();

async function picture(subject: ImageSubject, variation: VariationType | 'avatar', seed = 100): Promise<Pixels> {
  const image = await renderer.generate({ variation, seed, subject, prompt: '', negativePrompt: '', width: SIZE, height: SIZE });
  return decodePng(image.bytes);
}

async function referenceSet(subject: ImageSubject, baseSeed = 100): Promise<Map<VariationType, Pixels>> {
  const pictures = await Promise.all(VARIATIONS.map(async (spec) => [spec.type, await picture(subject, spec.type, baseSeed + spec.seedOffset)] as const));
  return new Map(pictures);
}

const ARIA: ImageSubject = { name: 'Aria', description: 'A ranger', traits: { hair: 'red', eyes: 'green', outfit: 'forest green' }, style: '' };

describe('offline renderer pictures', () => {
  it('shows the trait-named hair colour in every one of the 10 variations', async () => {
    const hair = deriveLook(ARIA).hair;
    const set = await referenceSet(ARIA);
    for (const [variation, pixels] of set) {
      // Even the wide environmental shot shows a head of hair a few hundred pixels large at 256 x 256.
      expect(countColour(pixels, hair), variation).toBeGreaterThan(150);
    }
  });

  it('keeps the look when only the seed changes: a different base seed shows the same hair and outfit', async () => {
    const look = deriveLook(ARIA);
    for (const seed of [1, 999_999]) {
      const pixels = await picture(ARIA, 'portrait_front', seed);
      expect(countColour(pixels, look.hair)).toBeGreaterThan(1000);
      expect(countColour(pixels, look.outfit)).toBeGreaterThan(1000);
    }
  });

  it('makes the 10 variations visibly different from each other, pair by pair', async () => {
    const set = [...(await referenceSet(ARIA)).entries()];
    for (const [i, [nameA, a]] of set.entries()) {
      for (const [nameB, b] of set.slice(i + 1)) {
        expect(changedShare(a, b), `${nameA} vs ${nameB}`).toBeGreaterThan(0.1);
      }
    }
  });

  it('turns the hair the colour the trait names', async () => {
    const red = await picture({ ...ARIA, traits: { hair: 'red' } }, 'portrait_front');
    const blonde = await picture({ ...ARIA, traits: { hair: 'blonde' } }, 'portrait_front');
    const redHair = deriveLook({ ...ARIA, traits: { hair: 'red' } }).hair;
    expect(countColour(red, redHair)).toBeGreaterThan(2000);
    expect(countColour(blonde, redHair)).toBe(0);
    expect(changedShare(red, blonde)).toBeGreaterThan(0.05);
  });

  it('uses a hex colour from the traits exactly', async () => {
    const pixels = await picture({ ...ARIA, traits: { hair_color: '#00cc44' } }, 'close_up_expression');
    expect(countColour(pixels, '#00cc44', 0)).toBeGreaterThan(2000);
  });

  it('gives two characters without colour traits different looks, each stable across its set', async () => {
    const mira: ImageSubject = { name: 'Mira Vale', description: 'A travelling musician', traits: {}, style: '' };
    const otto: ImageSubject = { name: 'Otto Brand', description: 'A retired sea captain', traits: {}, style: '' };
    const [miraLook, ottoLook] = [deriveLook(mira), deriveLook(otto)];
    expect([miraLook.hair, miraLook.skin, miraLook.outfit]).not.toEqual([ottoLook.hair, ottoLook.skin, ottoLook.outfit]);
    expect(changedShare(await picture(mira, 'portrait_front'), await picture(otto, 'portrait_front'))).toBeGreaterThan(0.1);
    for (const [variation, pixels] of await referenceSet(mira, 5000)) expect(countColour(pixels, miraLook.hair), variation).toBeGreaterThan(150);
  });

  it('dresses "another outfit" in a different colour from the usual one', async () => {
    const look = deriveLook(ARIA);
    const usual = await picture(ARIA, 'portrait_front');
    const other = await picture(ARIA, 'outfit_variation');
    expect(countColour(usual, look.outfit)).toBeGreaterThan(1000);
    expect(countColour(other, look.outfit)).toBe(0);
    expect(countColour(other, look.alternateOutfit)).toBeGreaterThan(1000);
  });

  it('frames each shot as its name says: the close-up is mostly face, full-length shots show the shoes', async () => {
    const look = deriveLook(ARIA);
    const set = await referenceSet(ARIA);
    const skinShare = (variation: VariationType) => countColour(set.get(variation)!, look.skin) / (SIZE * SIZE);
    expect(skinShare('close_up_expression')).toBeGreaterThan(0.2);
    expect(skinShare('close_up_expression')).toBeGreaterThan(2 * skinShare('portrait_front'));
    expect(skinShare('portrait_front')).toBeGreaterThan(2 * skinShare('full_body_standing'));
    const showsShoes = (variation: VariationType) => countColour(set.get(variation)!, look.shoes) > 40;
    const fullLength: VariationType[] = ['full_body_standing', 'action_pose', 'sitting_casual', 'environmental_context'];
    expect(VARIATIONS.map((spec) => spec.type).filter(showsShoes).sort()).toEqual([...fullLength].sort());
  });

  it('turns the head in the profile and three-quarter shots, which the front portrait does not', async () => {
    const look = deriveLook(ARIA);
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(look.skin.slice(i, i + 2), 16));
    // Share of skin pixels whose mirror image across the vertical centre line is not skin: near 0 for a face
    // seen from the front, large for one turned aside.
    const asymmetry = (pixels: Pixels) => {
      const isSkin = (x: number, y: number) => {
        const i = (y * pixels.width + x) * 4;
        return pixels.rgba[i] === r && pixels.rgba[i + 1] === g && pixels.rgba[i + 2] === b;
      };
      let skin = 0;
      let unmatched = 0;
      for (let y = 0; y < pixels.height; y++) {
        for (let x = 0; x < pixels.width; x++) {
          if (!isSkin(x, y)) continue;
          skin++;
          if (!isSkin(pixels.width - 1 - x, y)) unmatched++;
        }
      }
      return unmatched / skin;
    };
    const front = asymmetry(await picture(ARIA, 'portrait_front'));
    expect(front).toBeLessThan(0.1);
    expect(asymmetry(await picture(ARIA, 'portrait_side'))).toBeGreaterThan(front + 0.25);
    expect(asymmetry(await picture(ARIA, 'three_quarter_view'))).toBeGreaterThan(front + 0.15);
  });

  it('draws the environment only in the background-scene shot', async () => {
    // The scene's sky and ground span the frame's full width at the top and bottom rows; a studio backdrop is a
    // smooth radial gradient whose corners are close in colour.
    const corners = (p: Pixels) => [0, SIZE - 1, (SIZE - 1) * SIZE, SIZE * SIZE - 1].map((i) => [...p.rgba.subarray(i * 4, i * 4 + 3)]);
    const spread = (p: Pixels) => {
      const [topLeft, , bottomLeft] = corners(p);
      return topLeft!.reduce((sum, v, c) => sum + Math.abs(v - bottomLeft![c]!), 0);
    };
    expect(spread(await picture(ARIA, 'environmental_context'))).toBeGreaterThan(spread(await picture(ARIA, 'full_body_standing')));
  });
});
