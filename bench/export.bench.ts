// Training-set export of a 10-image set (offline 512×512 PNGs): the archive alone per format (captions,
// layout, zip), then exportTrainingSet end to end over HTTP on the service with local storage (read the 10
// images, zip, store, answer), and the archive's size against the images it carries.
import { print } from 'graphql';
import { VARIATIONS } from '../src/domain/variations.js';
import { trainingSetArchive, TRAINING_SET_FORMATS, type TrainingSet, type TrainingSetFormat } from '../src/exports/index.js';
import { CreateCharacterDocument, EmbeddingStatusDocument, ExportTrainingSetDocument } from '../src/generated/graphql/graphql.js';
import { OfflineRenderer } from '../src/generators/offline/index.js';
import { percentile, printTable, withBenchService, type BenchRow } from './support.js';

const SIZE = 512;
const ARCHIVE_RUNS = 50;
const EXPORT_RUNS = 20;
// Building the zip holds the event loop (fflate is synchronous, in JavaScript): keep it short of a noticeable stall.
const ARCHIVE_TARGET_MS = 50;
// A click on an export button: answered well within a moment.
const EXPORT_TARGET_MS = 200;
/** Zip headers, captions, configs and README against the images themselves. */
const OVERHEAD_TARGET = 0.02;

const subject = { name: 'Mira Thorn', description: 'a travelling cartographer', traits: { hair: 'auburn', eyes: 'green' }, style: 'watercolor' };

function summary(times: number[]): { mean: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { mean: sorted.reduce((sum, t) => sum + t, 0) / sorted.length, p99: percentile(sorted, 99) };
}

async function renderedSet(): Promise<TrainingSet> {
  const renderer = new OfflineRenderer();
  const images = [];
  for (const spec of VARIATIONS) {
    const image = await renderer.generate({ variation: spec.type, seed: 100 + spec.seedOffset, width: SIZE, height: SIZE, prompt: '', negativePrompt: '', subject });
    images.push({ spec, fileName: `${spec.type}.png`, bytes: image.bytes, width: SIZE, height: SIZE });
  }
  return { characterName: subject.name, trigger: 'mira_thorn', classWord: 'woman', style: subject.style, images, excluded: [] };
}

async function graphql<T>(url: string, document: Parameters<typeof print>[0], variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: print(document), variables }) });
  const result = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!result.data || result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export async function run(): Promise<void> {
  const rows: BenchRow[] = [];
  const set = await renderedSet();
  const imageBytes = set.images.reduce((sum, image) => sum + image.bytes.byteLength, 0);
  const modifiedAt = new Date();
  for (const format of TRAINING_SET_FORMATS) {
    trainingSetArchive(format, set, modifiedAt); // warm-up: JIT
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < ARCHIVE_RUNS; i++) {
      const started = performance.now();
      size = trainingSetArchive(format, set, modifiedAt).byteLength;
      times.push(performance.now() - started);
    }
    const { mean, p99 } = summary(times);
    const overhead = size / imageBytes - 1;
    rows.push({ metric: `${format} archive mean / p99`, value: `${mean.toFixed(2)} / ${p99.toFixed(2)} ms`, target: `≤ ${ARCHIVE_TARGET_MS} ms`, ok: p99 <= ARCHIVE_TARGET_MS });
    rows.push({ metric: `${format} zip size (images ${(imageBytes / 1024).toFixed(0)} KiB)`, value: `${(size / 1024).toFixed(1)} KiB +${(overhead * 100).toFixed(2)}%`, target: `≤ +${OVERHEAD_TARGET * 100}%`, ok: overhead <= OVERHEAD_TARGET });
  }

  await withBenchService({}, {}, async (service) => {
    const { createCharacter } = await graphql<{ createCharacter: { id: string } }>(service.url, CreateCharacterDocument, { input: { name: subject.name, description: subject.description, style: subject.style, seed: 7 } });
    const characterId = createCharacter.id;
    for (;;) {
      const { embeddingStatus } = await graphql<{ embeddingStatus: { status: string } }>(service.url, EmbeddingStatusDocument, { characterId });
      if (embeddingStatus.status === 'completed') break;
      if (embeddingStatus.status === 'failed') throw new Error('the reference set failed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const format of TRAINING_SET_FORMATS as readonly TrainingSetFormat[]) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i <= EXPORT_RUNS; i++) {
        const started = performance.now();
        const { exportTrainingSet } = await graphql<{ exportTrainingSet: { bytes: number } }>(service.url, ExportTrainingSetDocument, { characterId, format });
        // The first run warms the path (JIT, folder creation) and is not counted.
        if (i > 0) times.push(performance.now() - started);
        bytes = exportTrainingSet.bytes;
      }
      const { mean, p99 } = summary(times);
      rows.push({ metric: `${format} exportTrainingSet over HTTP mean / p99 (${(bytes / 1024).toFixed(0)} KiB)`, value: `${mean.toFixed(1)} / ${p99.toFixed(1)} ms`, target: `≤ ${EXPORT_TARGET_MS} ms`, ok: p99 <= EXPORT_TARGET_MS });
    }
  });

  printTable(`Training-set export, 10 offline ${SIZE}x${SIZE} PNGs (shared machine: figures are noisy)`, rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
