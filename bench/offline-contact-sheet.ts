// Writes contact sheets of the offline renderer's output — the avatar and the 10 variations of a few
// characters, one PNG per character — so a person can check by eye that each shot reads as what it claims.
// Usage: npm run build && node dist/bench/offline-contact-sheet.js [out-dir]   (default: test-artifacts/)
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { VARIATIONS } from '../src/domain/variations.js';
import { OfflineRenderer } from '../src/generators/offline/index.js';
import type { ImageSubject } from '../src/ports.js';

const CELL = 256;
const COLUMNS = 4;

export const SAMPLE_CHARACTERS: ImageSubject[] = [
  { name: 'Aria Stormwind', description: 'A ranger of the northern woods', traits: { hair: 'long red hair', eyes: 'green', outfit: 'forest green cloak' }, style: 'fantasy' },
  { name: 'Kenji Sato', description: 'A cyberpunk detective in a neon city', traits: { hair: 'spiky black', skin: 'tan', clothing: 'navy jacket', accessory: 'glasses' }, style: 'anime' },
  { name: 'Mo', description: 'Just a person', traits: {}, style: '' },
];

/** One PNG showing the avatar and every variation of `subject`, small, in catalog order. */
export async function contactSheet(subject: ImageSubject, baseSeed: number): Promise<Buffer> {
  const renderer = new OfflineRenderer();
  const shots = [{ variation: 'avatar' as const, seed: baseSeed }, ...VARIATIONS.map((spec) => ({ variation: spec.type, seed: baseSeed + spec.seedOffset }))];
  const cells = await Promise.all(
    shots.map(async (shot, index) => {
      const image = await renderer.generate({ ...shot, prompt: '', negativePrompt: '', width: CELL, height: CELL, subject });
      const x = (index % COLUMNS) * CELL;
      const y = Math.floor(index / COLUMNS) * CELL;
      return `<image x="${x}" y="${y}" width="${CELL}" height="${CELL}" href="data:image/png;base64,${Buffer.from(image.bytes).toString('base64')}"/>`;
    }),
  );
  const rows = Math.ceil(shots.length / COLUMNS);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${COLUMNS * CELL}" height="${rows * CELL}"><rect width="100%" height="100%" fill="#222"/>${cells.join('')}</svg>`;
  return new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng();
}

export async function run(outDir = 'test-artifacts'): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const [index, subject] of SAMPLE_CHARACTERS.entries()) {
    const file = path.join(outDir, `offline-contact-sheet-${index + 1}.png`);
    await writeFile(file, await contactSheet(subject, 1000 * (index + 1)));
    console.log(`wrote ${file}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv[2]);
