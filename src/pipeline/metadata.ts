// The metadata JSON written beside the reference images: everything needed to audit or reproduce the set
// (LoRA training scripts and identity checks read it), and nothing secret.
import type { Character } from '../models/character.js';

export const METADATA_VERSION = '1.0';

export interface ReferenceSetMetadata {
  version: string;
  characterId: string;
  owner: string;
  name: string;
  description: string;
  traits: Record<string, string>;
  style: string;
  baseSeed: number;
  generator: string;
  negativePrompt: string;
  status: 'completed' | 'failed';
  totalImages: number;
  avatarUrl: string;
  generationStartedAt: string | null;
  generationCompletedAt: string;
  images: {
    variation: string;
    index: number;
    seed: number;
    prompt: string;
    status: string;
    url: string | null;
    bytes: number | null;
    width: number | null;
    height: number | null;
    attempts: number;
    generationMs: number | null;
    startedAt: string | null;
    completedAt: string | null;
    error: string | null;
  }[];
}

const iso = (date: Date | undefined | null) => (date ? new Date(date).toISOString() : null);

export function buildMetadata(character: Character, context: { generator: string; negativePrompt: string; status: 'completed' | 'failed'; completedAt: Date }): ReferenceSetMetadata {
  const images = character.variations.map((variation, index) => ({
    variation: variation.type,
    index: index + 1,
    seed: variation.seed,
    prompt: variation.prompt,
    status: variation.status,
    url: variation.url ?? null,
    bytes: variation.bytes ?? null,
    width: variation.width ?? null,
    height: variation.height ?? null,
    attempts: variation.attempts,
    generationMs: variation.generationMs ?? null,
    startedAt: iso(variation.startedAt),
    completedAt: iso(variation.completedAt),
    error: variation.error ?? null,
  }));
  return {
    version: METADATA_VERSION,
    characterId: character._id.toString(),
    owner: character.ownerUsername,
    name: character.name,
    description: character.description,
    traits: Object.fromEntries(character.traits.map(({ key, value }) => [key, value])),
    style: character.style,
    baseSeed: character.baseSeed,
    generator: context.generator,
    negativePrompt: context.negativePrompt,
    status: context.status,
    totalImages: images.filter((image) => image.status === 'completed').length,
    avatarUrl: character.avatarUrl,
    generationStartedAt: iso(character.embeddings.imageEmbeddings.generationStartedAt),
    generationCompletedAt: context.completedAt.toISOString(),
    images,
  };
}
