// Issue 3's target for the offline renderer: ≤ 50 ms per 512×512 image on this 2-core machine. Renders every
// shot (avatar + the 10 variations) many times with varying seeds and characters, one at a time, and reports
// mean and p99 per shot; then the throughput with two renders in flight, as the service runs it.
import { VARIATIONS, type VariationType } from '../src/domain/variations.js';
import { OfflineRenderer } from '../src/generators/offline/index.js';
import type { ImageRequest, ImageSubject } from '../src/ports.js';
import { percentile, printTable, type BenchRow } from './support.js';

const SIZE = 512;
const RENDERS_PER_SHOT = 40;
const TARGET_MS = 50;

const SUBJECTS: ImageSubject[] = [
  { name: 'Aria Stormwind', description: 'A ranger of the northern woods', traits: { hair: 'long red hair', eyes: 'green' }, style: 'fantasy' },
  { name: 'Kenji Sato', description: 'A detective in a neon city', traits: { hair: 'spiky black', accessory: 'glasses', clothing: 'navy jacket' }, style: 'anime' },
  { name: 'Mo', description: 'Just a person', traits: {}, style: '' },
  { name: 'Luna', description: 'A witch under the stars', traits: { hair: 'curly silver hair in a bun', skin: 'pale' }, style: '' },
];

const SHOTS: (VariationType | 'avatar')[] = ['avatar', ...VARIATIONS.map((spec) => spec.type)];

function requestFor(variation: VariationType | 'avatar', i: number): ImageRequest {
  return { variation, seed: 1000 + i, width: SIZE, height: SIZE, prompt: '', negativePrompt: '', subject: SUBJECTS[i % SUBJECTS.length] as ImageSubject };
}

export async function run(): Promise<void> {
  const renderer = new OfflineRenderer();
  for (const shot of SHOTS) await renderer.generate(requestFor(shot, 0)); // warm-up: native module, JIT

  const rows: BenchRow[] = [];
  const all: number[] = [];
  for (const shot of SHOTS) {
    const times: number[] = [];
    for (let i = 0; i < RENDERS_PER_SHOT; i++) {
      const started = performance.now();
      await renderer.generate(requestFor(shot, i));
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
    const p99 = percentile(times, 99);
    rows.push({ metric: `${shot} mean / p99`, value: `${mean.toFixed(1)} / ${p99.toFixed(1)} ms`, target: `≤ ${TARGET_MS} ms`, ok: p99 <= TARGET_MS });
  }
  all.sort((a, b) => a - b);
  const overallMean = all.reduce((sum, t) => sum + t, 0) / all.length;
  rows.push({ metric: `all ${all.length} renders mean / p99`, value: `${overallMean.toFixed(1)} / ${percentile(all, 99).toFixed(1)} ms`, target: `≤ ${TARGET_MS} ms`, ok: percentile(all, 99) <= TARGET_MS });

  // Two in flight, like the service's default concurrency for this backend: resvg renders on the thread pool.
  const total = 200;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    [0, 1].map(async () => {
      while (next < total) {
        const i = next++;
        await renderer.generate(requestFor(SHOTS[i % SHOTS.length] as VariationType | 'avatar', i));
      }
    }),
  );
  const perSecond = total / ((performance.now() - started) / 1000);
  rows.push({ metric: 'throughput, 2 in flight', value: `${perSecond.toFixed(0)} images/s`, target: `≥ ${(2000 / TARGET_MS).toFixed(0)} images/s`, ok: perSecond >= 2000 / TARGET_MS });

  printTable(`Offline renderer, ${SIZE}x${SIZE} PNG (shared machine: figures are noisy)`, rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
