// Exports a character's reference set as a LoRA training set: the completed images with captions, laid out
// for one trainer (src/exports), zipped and stored under the character's `exports/` folder. Nothing is
// stored unless the whole archive could be built, and the key depends only on the format and the trigger
// word, so exporting again replaces the archive instead of piling up copies.
import path from 'node:path';
import { classWordFor, deriveTriggerWord, validateTriggerWord } from '../domain/captions.js';
import type { VariationState } from '../domain/character.js';
import { InvalidInputError } from '../domain/errors.js';
import { characterObjectKey } from '../domain/slug.js';
import { VARIATIONS } from '../domain/variations.js';
import { TRAINING_SET_FORMATS, trainingSetArchive, type ExcludedVariation, type TrainingImage, type TrainingSetFormat } from '../exports/index.js';
import type { CharacterRepository, ObjectStore } from '../ports.js';
import { findVisibleCharacter, type Viewer } from './characterAccess.js';

export interface TrainingSetRequest {
  characterId: string;
  format: TrainingSetFormat;
  /** Absent: derived from the character's name (domain/captions.ts). */
  triggerWord?: string | null;
}

export interface TrainingSetExport {
  format: TrainingSetFormat;
  triggerWord: string;
  classWord: string;
  url: string;
  bytes: number;
  imageCount: number;
  excluded: ExcludedVariation[];
  createdAt: Date;
}

export interface ExportDependencies {
  characters: CharacterRepository;
  store: ObjectStore;
  now?: () => Date;
}

/** The fallback when a stored image reports no size (older records): the service's default image size. */
const DEFAULT_SIDE = 512;

/**
 * Why a variation stays out of the training set, or null when it goes in. The one place that decides from the
 * records: the identity check will add "judged inconsistent" here.
 */
function exclusionOf(variation: VariationState): string | null {
  if (variation.status === 'failed') return `generation failed: ${variation.error ?? 'unknown error'}`;
  if (variation.status !== 'completed') return `not generated yet (${variation.status})`;
  return null;
}

/** The image's bytes from the store, or why there are none. */
async function trainingImage(store: ObjectStore, variation: VariationState): Promise<TrainingImage | string> {
  const bytes = variation.key ? await store.get(variation.key) : null;
  if (!bytes || !variation.key) return 'its stored image is missing';
  // Records hold only catalog types (the schema's enum), so the lookup always finds one.
  const spec = VARIATIONS.find(({ type }) => type === variation.type)!;
  const fileName = `${variation.type}${path.posix.extname(variation.key) || '.png'}`;
  return { spec, fileName, bytes, width: variation.width ?? DEFAULT_SIDE, height: variation.height ?? DEFAULT_SIDE };
}

export async function exportTrainingSet(deps: ExportDependencies, viewer: Viewer, request: TrainingSetRequest): Promise<TrainingSetExport> {
  if (!(TRAINING_SET_FORMATS as readonly string[]).includes(request.format)) {
    throw new InvalidInputError(`format must be one of ${TRAINING_SET_FORMATS.join(', ')}`, 'format');
  }
  const given = request.triggerWord === undefined || request.triggerWord === null ? null : validateTriggerWord(request.triggerWord);
  const character = await findVisibleCharacter(deps.characters, viewer, request.characterId);
  const trigger = given ?? deriveTriggerWord(character.name, character.id);

  const images: TrainingImage[] = [];
  const excluded: ExcludedVariation[] = [];
  const outcomes = await Promise.all(
    character.variations.map(async (variation) => ({ variation, outcome: exclusionOf(variation) ?? (await trainingImage(deps.store, variation)) })),
  );
  for (const { variation, outcome } of outcomes) {
    if (typeof outcome === 'string') excluded.push({ variation: variation.type, reason: outcome });
    else images.push(outcome);
  }
  if (images.length === 0) {
    const why = excluded.map(({ variation, reason }) => `${variation}: ${reason}`).join('; ');
    throw new InvalidInputError(`no completed image to export${why ? ` (${why})` : ''}`, 'characterId');
  }

  const classWord = classWordFor(character.traits);
  const set = { characterName: character.name, trigger, classWord, style: character.style, images, excluded };
  // Dated like the set, not the export: the same set exported twice gives the same bytes.
  const setDate = character.embeddings.imageEmbeddings.generationCompletedAt ?? character.updatedAt;
  const archive = trainingSetArchive(request.format, set, new Date(setDate));
  const key = characterObjectKey({
    ownerSlug: character.ownerSlug,
    characterSlug: character.slug,
    folder: 'exports',
    file: `${request.format.toLowerCase().replace(/_/g, '-')}-${trigger}.zip`,
  });
  const stored = await deps.store.put(key, archive, 'application/zip');
  return {
    format: request.format,
    triggerWord: trigger,
    classWord,
    url: deps.store.url(key, stored.version),
    bytes: stored.bytes,
    imageCount: images.length,
    excluded,
    createdAt: (deps.now ?? (() => new Date()))(),
  };
}
