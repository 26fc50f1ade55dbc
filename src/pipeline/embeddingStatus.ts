// The reference set's status as the seed system reported it (GET /api/characters/:id/embedding-status),
// shared by the REST route and the embeddingStatus query so both always agree.
import type { Character, EmbeddingStatus, VariationRecord } from '../models/character.js';

export interface EmbeddingStatusView {
  characterId: string;
  success: true;
  status: EmbeddingStatus;
  totalImages: number;
  generationStartedAt: Date | null;
  generationCompletedAt: Date | null;
  cloudinaryUrls: string[];
  metadataUrl: string | null;
  message: string;
  images: VariationRecord[];
}

export function embeddingStatusOf(character: Character): EmbeddingStatusView {
  const embeddings = character.embeddings.imageEmbeddings;
  return {
    characterId: character._id.toString(),
    success: true,
    status: embeddings.status,
    totalImages: embeddings.totalImages,
    generationStartedAt: embeddings.generationStartedAt ?? null,
    generationCompletedAt: embeddings.generationCompletedAt ?? null,
    cloudinaryUrls: embeddings.cloudinaryUrls,
    metadataUrl: embeddings.metadataUrl ?? null,
    message: `Embedding generation is ${embeddings.status}`,
    images: character.variations,
  };
}

/** Exactly the seed's JSON: no more fields, no fewer. */
export function seedEmbeddingStatusJson(view: EmbeddingStatusView) {
  return {
    success: view.success,
    status: view.status,
    totalImages: view.totalImages,
    generationStartedAt: view.generationStartedAt?.toISOString() ?? null,
    generationCompletedAt: view.generationCompletedAt?.toISOString() ?? null,
    cloudinaryUrls: view.cloudinaryUrls,
    message: view.message,
  };
}
