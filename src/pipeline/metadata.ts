// The metadata JSON written beside the reference images: everything needed to audit or reproduce the set
// (LoRA training scripts and identity checks read it), and nothing secret. Keys are the stable names of the
// images; URLs are as of writing (clients should rather read them from the API, which derives them anew).
import type { CharacterRecord, IdentityScore, SetConsistencyState } from '../domain/character.js';
import { scoreOf } from '../domain/identityScores.js';
import type { EmbeddingStatus } from '../domain/statuses.js';
import { metadataKey } from '../domain/storageKeys.js';
import type { ObjectStore, StoredObject } from '../ports.js';
import { type ObjectUrls, variationUrl } from './characterView.js';

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
  status: EmbeddingStatus;
  totalImages: number;
  avatarKey: string;
  avatarUrl: string;
  generationStartedAt: string | null;
  generationCompletedAt: string | null;
  images: {
    variation: string;
    index: number;
    seed: number;
    prompt: string;
    status: string;
    key: string | null;
    url: string | null;
    bytes: number | null;
    width: number | null;
    height: number | null;
    attempts: number;
    failures: number;
    generation: number | null;
    generationMs: number | null;
    startedAt: string | null;
    completedAt: string | null;
    error: string | null;
    /** The image's identity score (IDENTITY=on), null when it has none. */
    identity: IdentityScore | null;
  }[];
  /** The face model and the set's consistency (IDENTITY=on), null when the set was not scored. */
  identity: { model: string; avatarFaceFound: boolean; consistency: SetConsistencyState | null } | null;
}

export interface MetadataContext {
  generator: string;
  negativePrompt: string;
  urls: ObjectUrls;
}

const iso = (date: Date | undefined | null) => (date ? new Date(date).toISOString() : null);

export function buildMetadata(character: CharacterRecord, status: EmbeddingStatus, completedAt: Date | null, context: MetadataContext): ReferenceSetMetadata {
  const images = character.variations.map((variation, index) => ({
    variation: variation.type,
    index: index + 1,
    seed: variation.seed,
    prompt: variation.prompt,
    status: variation.status,
    key: variation.status === 'completed' ? (variation.key ?? null) : null,
    url: variationUrl(variation, context.urls),
    bytes: variation.bytes ?? null,
    width: variation.width ?? null,
    height: variation.height ?? null,
    attempts: variation.attempts,
    failures: variation.failures,
    generation: variation.generation ?? null,
    generationMs: variation.generationMs ?? null,
    startedAt: iso(variation.startedAt),
    completedAt: iso(variation.completedAt),
    error: variation.error ?? null,
    identity: variation.identity && variation.identity.key === variation.key ? scoreOf(variation.identity) : null,
  }));
  const { identity } = character;
  return {
    version: METADATA_VERSION,
    characterId: character.id,
    owner: character.ownerUsername,
    name: character.name,
    description: character.description,
    traits: Object.fromEntries(character.traits.map(({ key, value }) => [key, value])),
    style: character.style,
    baseSeed: character.baseSeed,
    generator: context.generator,
    negativePrompt: context.negativePrompt,
    status,
    totalImages: images.filter((image) => image.status === 'completed').length,
    avatarKey: character.avatarKey,
    avatarUrl: context.urls.url(character.avatarKey, character.avatarVersion),
    generationStartedAt: iso(character.embeddings.imageEmbeddings.generationStartedAt),
    generationCompletedAt: iso(completedAt),
    images,
    identity: identity ? { model: identity.model, avatarFaceFound: identity.avatar.faceFound, consistency: character.embeddings.imageEmbeddings.consistency ?? null } : null,
  };
}

export function putMetadata(store: ObjectStore, character: CharacterRecord, metadata: ReferenceSetMetadata): Promise<StoredObject> {
  return store.put(metadataKey(character), new TextEncoder().encode(JSON.stringify(metadata, null, 2)), 'application/json');
}
