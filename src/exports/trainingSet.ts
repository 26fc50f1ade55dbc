// What every training-set format is made from, and what they share: the images with their captions, the
// training schedule the archives propose, and the opening of each README.txt.
import { captionFor } from '../domain/captions.js';
import type { VariationSpec, VariationType } from '../domain/variations.js';
import type { ArchiveEntry } from './archive.js';

export const TRAINING_SET_FORMATS = ['KOHYA', 'AI_TOOLKIT', 'DIFFUSERS'] as const;
export type TrainingSetFormat = (typeof TRAINING_SET_FORMATS)[number];

/** One completed reference image going into the set. */
export interface TrainingImage {
  spec: VariationSpec;
  /** File name inside the archive: the variation's name and the stored extension, e.g. `portrait_front.png`. */
  fileName: string;
  bytes: Uint8Array;
  width: number;
  height: number;
}

export interface ExcludedVariation {
  variation: VariationType;
  reason: string;
}

export interface TrainingSet {
  characterName: string;
  trigger: string;
  classWord: string;
  style: string;
  images: readonly TrainingImage[];
  excluded: readonly ExcludedVariation[];
}

/**
 * The schedule every archive proposes: about 100 steps an epoch at batch size 1 and 10 epochs, so each image is
 * seen about 100 times (1,000 steps for a full set of 10), the usual budget for a character LoRA of 10–20
 * images. kohya repeats each image ceil(100 / images) times an epoch: 10 for a full set, 15 for 7 images.
 */
export const SCHEDULE = { stepsPerEpoch: 100, epochs: 10, batchSize: 1 } as const;

export function repeatsFor(imageCount: number): number {
  return Math.ceil(SCHEDULE.stepsPerEpoch / imageCount);
}

export const TOTAL_STEPS = SCHEDULE.stepsPerEpoch * SCHEDULE.epochs;

/** The training resolution: the longest side of the largest image (512 for the default 512×512 sets). */
export function resolutionOf(set: TrainingSet): number {
  return Math.max(...set.images.map((image) => Math.max(image.width, image.height)));
}

export function captionOf(set: TrainingSet, image: TrainingImage, trigger = set.trigger): string {
  return captionFor(image.spec, { trigger, classWord: set.classWord, style: set.style });
}

/** Each image in `folder` beside a same-name `.txt` caption holding one line (sd-scripts and ai-toolkit alike). */
export function captionedImages(set: TrainingSet, folder: string, trigger = set.trigger): ArchiveEntry[] {
  return set.images.flatMap((image) => [
    { path: `${folder}/${image.fileName}`, content: image.bytes },
    // Stryker disable next-line Regex: file names are a variation type (no dot) and one extension, so the first extension is the last
    { path: `${folder}/${image.fileName.replace(/\.[^.]+$/, '')}.txt`, content: `${captionOf(set, image, trigger)}\n` },
  ]);
}

/** The README's opening: what the archive holds, how it was captioned, what was left out and why. */
export function readmeIntro(set: TrainingSet, trainer: string): string {
  const lines = [
    `LoRA training set for "${set.characterName}", laid out for ${trainer}. Exported by charsheet.`,
    '',
    `Trigger word: ${set.trigger}    Class: ${set.classWord}    Images: ${set.images.length}    Resolution: ${resolutionOf(set)}`,
    '',
    'Captions name the trigger word, the class, what changes in each shot (pose, framing, expression,',
    "setting, outfit) and the art style. They never describe the character's looks: whatever no caption",
    'names is what training binds to the trigger word. Prompt with the trigger word and the class to get',
    `the character: "${set.trigger} ${set.classWord}, reading in a library".`,
    '',
    `Proposed schedule: about ${TOTAL_STEPS} steps at batch size ${SCHEDULE.batchSize} (${SCHEDULE.epochs} epochs of about ${SCHEDULE.stepsPerEpoch} steps), so each of the`,
    `${set.images.length} images is seen about ${Math.round(TOTAL_STEPS / set.images.length)} times. Ten images or fewer is the low end for a character LoRA:`,
    'stop early if samples start to copy the training images exactly.',
  ];
  if (set.excluded.length > 0) {
    lines.push('', 'Left out of this set:', ...set.excluded.map(({ variation, reason }) => `  ${variation}: ${reason}`));
  }
  return `${lines.join('\n')}\n`;
}
