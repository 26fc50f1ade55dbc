// The default identity encoder on pictures the offline renderer draws here: the same character comes out
// alike, another character does not, a picture without a face is "no face", and bytes that are no image are
// refused with a typed error — without ever starting the model for them. One encoder (one model load) serves
// the whole file.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncoderUnavailableError, InvalidImageError } from '../../src/domain/errors.js';
import { judgeImage, type ImageFace } from '../../src/domain/identity.js';
import { OfflineRenderer } from '../../src/generators/offline/index.js';
import { CALIBRATED_MIN_SIMILARITY } from '../../src/identity/calibration.js';
import { HumanFaceEncoder } from '../../src/identity/faceEncoder.js';
import type { FaceEmbedding, ImageRequest, ImageSubject } from '../../src/ports.js';
import { BACKGROUND_NICENESS } from '../../src/support/threadPriority.js';

const MIRA: ImageSubject = { name: 'Mira Vale', description: 'A travelling musician', traits: {}, style: '' };
const OTTO: ImageSubject = { name: 'Otto Brandt', description: 'A train conductor', traits: {}, style: '' };
const KAI: ImageSubject = { name: 'Kai', description: 'A lighthouse keeper', traits: {}, style: '' };

const renderer = new OfflineRenderer();
async function picture(subject: ImageSubject, variation: ImageRequest['variation'], seed = 40): Promise<Uint8Array> {
  return (await renderer.generate({ variation, seed, prompt: '', negativePrompt: '', width: 512, height: 512, subject })).bytes;
}

/** Each thread's niceness (field 19 of /proc/self/task/<tid>/stat), the main thread first. */
async function threadNiceness(): Promise<number[]> {
  const threads = (await readdir('/proc/self/task')).map(Number).sort((a, b) => a - b);
  return Promise.all(
    threads.map(async (thread) => {
      const stat = await readFile(`/proc/self/task/${thread}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    }),
  );
}

function asFace(embedding: FaceEmbedding): ImageFace {
  return embedding.faceFound ? { vector: embedding.vector } : { vector: null, reason: embedding.reason };
}

describe('the face encoder', () => {
  const encoder = new HumanFaceEncoder();
  let idleBeforeFirstImage: string;

  beforeAll(async () => {
    // Refused inputs must not start the model: it is still idle after them.
    await expect(encoder.embed(new TextEncoder().encode('<html>not an image</html>'))).rejects.toThrow(InvalidImageError);
    idleBeforeFirstImage = encoder.state;
  });
  afterAll(() => encoder.close());

  it('loads nothing until the first image: idle at construction and after refusing a non-image', async () => {
    expect(new HumanFaceEncoder().state).toBe('idle');
    expect(idleBeforeFirstImage).toBe('idle');
    await encoder.embed(await picture(MIRA, 'portrait_front'));
    expect(encoder.state).toBe('ready');
    expect(encoder.model).toMatch(/^faceres \(@vladmandic\/human 3\.3\.\d+\)$/);
  });

  it.runIf(process.platform === 'linux')('runs inference on one thread at background priority, the event loop keeping its own', async () => {
    await encoder.embed(await picture(MIRA, 'avatar'));
    // Relative to the process's own niceness (the main thread's, first): the suite may run under `nice`.
    const [main, ...others] = await threadNiceness();
    expect(others.filter((value) => value === Math.min(19, main! + BACKGROUND_NICENESS))).toHaveLength(1);
    expect(others.filter((value) => value !== main)).toHaveLength(1);
  });

  it('scores shots of the same character above shots of other characters', async () => {
    const [avatar, front, outfit, otto, kai] = await Promise.all(
      [picture(MIRA, 'avatar'), picture(MIRA, 'portrait_front'), picture(MIRA, 'outfit_variation'), picture(OTTO, 'portrait_front'), picture(KAI, 'portrait_front')].map(async (bytes) => asFace(await encoder.embed(await bytes))),
    );
    const judge = (image: ImageFace, others: ImageFace[]) => judgeImage(image, avatar!, others.flatMap((face) => (face.vector ? [face.vector] : [])), CALIBRATED_MIN_SIMILARITY.offline);
    const same = [judge(front!, [outfit!]), judge(outfit!, [front!])];
    const different = [judge(otto!, [front!, outfit!]), judge(kai!, [front!, outfit!])];
    for (const verdict of [...same, ...different]) expect(verdict.judged).toBe(true);
    const score = (verdict: (typeof same)[number]) => (verdict.judged ? verdict.similarity : Number.NaN);
    expect(Math.min(...same.map(score))).toBeGreaterThan(Math.max(...different.map(score)));
    expect(same.map((verdict) => verdict.judged && verdict.consistent)).toEqual([true, true]);
    expect(different.map((verdict) => verdict.judged && verdict.consistent)).toEqual([false, false]);
  });

  it('finds no face in a blank picture, and says so rather than failing', async () => {
    const blank = new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320"><rect width="320" height="320" fill="#e8e4dc"/></svg>').render().asPng();
    expect(await encoder.embed(blank)).toEqual({ faceFound: false, reason: 'no face found' });
  });

  it('refuses bytes that are not an image, a truncated image and an oversized one with InvalidImageError', async () => {
    const png = await picture(MIRA, 'portrait_front');
    await expect(encoder.embed(new Uint8Array())).rejects.toThrow(InvalidImageError);
    await expect(encoder.embed(png.subarray(0, 1500))).rejects.toThrow(InvalidImageError); // header fine, data cut: the decoder's refusal
    const huge = Uint8Array.from(png);
    new DataView(huge.buffer).setUint32(16, 20_000); // IHDR width
    await expect(encoder.embed(huge)).rejects.toThrow(/20000x512 pixels/);
    // The encoder is still there for the next good image.
    expect((await encoder.embed(png)).faceFound).toBe(true);
  });

  it('drops a queued request whose caller gives up, and answers the others', async () => {
    const png = await picture(KAI, 'portrait_front');
    const controller = new AbortController();
    const first = encoder.embed(png);
    const abandoned = encoder.embed(png, controller.signal);
    const third = encoder.embed(png);
    controller.abort(new Error('caller gave up'));
    await expect(abandoned).rejects.toThrow('caller gave up');
    expect([(await first).faceFound, (await third).faceFound]).toEqual([true, true]);
  });
});

describe('an encoder whose model files are missing', () => {
  let emptyFolder: string;
  beforeAll(async () => (emptyFolder = await mkdtemp(path.join(tmpdir(), 'charsheet-no-models-'))));
  afterAll(() => rm(emptyFolder, { recursive: true, force: true }));

  it('rejects with EncoderUnavailableError naming the missing files, then at once for every later image', async () => {
    const encoder = new HumanFaceEncoder({ modelsDir: emptyFolder });
    const png = await picture(MIRA, 'portrait_front');
    await expect(encoder.embed(png)).rejects.toThrow(EncoderUnavailableError);
    await expect(encoder.embed(png)).rejects.toThrow(/model files missing in .*faceres\.json/);
    expect(encoder.state).toBe('unavailable');
    await encoder.close();
  });
});
