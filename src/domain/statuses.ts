// Where a reference set (embeddings.imageEmbeddings.status) and each of its variations stand.
export const EMBEDDING_STATUSES = ['pending', 'generating', 'completed', 'failed', 'cancelled'] as const;
export type EmbeddingStatus = (typeof EMBEDDING_STATUSES)[number];
export const VARIATION_STATUSES = ['pending', 'generating', 'completed', 'failed', 'cancelled'] as const;
export type VariationStatus = (typeof VARIATION_STATUSES)[number];

/** A set or a variation in one of these is still to be generated (the same two words for both). */
export const UNFINISHED_STATUSES = ['pending', 'generating'] as const satisfies readonly (EmbeddingStatus & VariationStatus)[];

/** A set in one of these has ended; only regenerate or retry reopens it. */
export const FINISHED_SET_STATUSES = ['completed', 'failed', 'cancelled'] as const satisfies readonly EmbeddingStatus[];

export function isUnfinished(record: { status: string }): boolean {
  return (UNFINISHED_STATUSES as readonly string[]).includes(record.status);
}

export function isFinishedSet(status: EmbeddingStatus): status is (typeof FINISHED_SET_STATUSES)[number] {
  return (FINISHED_SET_STATUSES as readonly string[]).includes(status);
}

/** How a set that ran out of work ends: one stored image is enough to call it completed. */
export function finalSetStatus(variations: readonly { status: string }[]): 'completed' | 'failed' {
  return variations.some((variation) => variation.status === 'completed') ? 'completed' : 'failed';
}
