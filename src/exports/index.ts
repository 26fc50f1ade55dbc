// The training-set formats by name, and the one call the export use case makes.
import { aiToolkitEntries } from './aiToolkit.js';
import { zipArchive, type ArchiveEntry } from './archive.js';
import { diffusersEntries } from './diffusers.js';
import { kohyaEntries } from './kohya.js';
import type { TrainingSet, TrainingSetFormat } from './trainingSet.js';

export { TRAINING_SET_FORMATS, type ExcludedVariation, type TrainingImage, type TrainingSet, type TrainingSetFormat } from './trainingSet.js';

const LAYOUTS: Record<TrainingSetFormat, (set: TrainingSet) => ArchiveEntry[]> = {
  KOHYA: kohyaEntries,
  AI_TOOLKIT: aiToolkitEntries,
  DIFFUSERS: diffusersEntries,
};

/** The zip of `set` laid out for `format`; every entry dated `modifiedAt`. */
export function trainingSetArchive(format: TrainingSetFormat, set: TrainingSet, modifiedAt: Date): Uint8Array {
  return zipArchive(LAYOUTS[format](set), modifiedAt);
}
