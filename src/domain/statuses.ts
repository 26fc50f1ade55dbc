// Where a reference set (embeddings.imageEmbeddings.status) and each of its variations stand.
export const EMBEDDING_STATUSES = ['pending', 'generating', 'completed', 'failed'] as const;
export type EmbeddingStatus = (typeof EMBEDDING_STATUSES)[number];
export const VARIATION_STATUSES = ['pending', 'generating', 'completed', 'failed'] as const;
export type VariationStatus = (typeof VARIATION_STATUSES)[number];

/** A set or a variation in one of these is still to be generated (the same two words for both). */
export const UNFINISHED_STATUSES = ['pending', 'generating'] as const satisfies readonly (EmbeddingStatus & VariationStatus)[];

export function isUnfinished(record: { status: string }): boolean {
  return (UNFINISHED_STATUSES as readonly string[]).includes(record.status);
}
