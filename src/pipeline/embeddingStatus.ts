// The reference set's status as the seed system reported it (GET /api/characters/:id/embedding-status),
// shared by the REST route and the embeddingStatus query so both always agree.
import type { PendingWrite, SetConsistencyState } from '../domain/character.js';
import type { EmbeddingStatus } from '../domain/statuses.js';
import type { CharacterView, VariationView } from './characterView.js';

export interface EmbeddingStatusView {
  characterId: string;
  success: true;
  status: EmbeddingStatus;
  totalImages: number;
  completed: number;
  failed: number;
  generationStartedAt: Date | null;
  generationCompletedAt: Date | null;
  cloudinaryUrls: string[];
  metadataUrl: string | null;
  message: string;
  images: VariationView[];
  pendingWrites: PendingWrite[];
  consistency: SetConsistencyState | null;
  sequence: number;
}

function messageOf(status: EmbeddingStatus, failed: number, pendingWrites: PendingWrite[]): string {
  const base = `Embedding generation is ${status}`;
  const notes = [
    ...(status === 'completed' && failed > 0 ? [`${failed} of the images failed`] : []),
    ...(pendingWrites.length > 0 ? [`waiting to store ${pendingWrites.map((write) => write.what).join(', ')} (${pendingWrites[0]!.error})`] : []),
  ];
  return notes.length > 0 ? `${base}; ${notes.join('; ')}` : base;
}

export function embeddingStatusOf(character: CharacterView): EmbeddingStatusView {
  const embeddings = character.embeddings.imageEmbeddings;
  const failed = character.variations.filter((variation) => variation.status === 'failed').length;
  const pendingWrites = embeddings.pendingWrites ?? [];
  return {
    characterId: character.id,
    success: true,
    status: embeddings.status,
    totalImages: embeddings.totalImages,
    completed: embeddings.totalImages,
    failed,
    generationStartedAt: embeddings.generationStartedAt ?? null,
    generationCompletedAt: embeddings.generationCompletedAt ?? null,
    cloudinaryUrls: embeddings.cloudinaryUrls,
    metadataUrl: embeddings.metadataUrl,
    message: messageOf(embeddings.status, failed, pendingWrites),
    images: character.variations,
    pendingWrites,
    consistency: embeddings.consistency ?? null,
    sequence: embeddings.sequence ?? 0,
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
