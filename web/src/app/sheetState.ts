// What the sheet shows, as plain data: built from a character, caught up from embeddingStatus, moved forward
// by each embeddingProgress event. Every step is idempotent, so a replayed or late event never goes backwards.
import { VARIATION_TYPES } from '../../../src/domain/variations.js';
import type {
  CharacterFieldsFragment,
  EmbeddingProgressSubscription,
  EmbeddingStatus,
  EmbeddingStatusQuery,
  VariationStatus,
  VariationType,
} from '../../../src/generated/graphql/graphql.js';

/** An image's identity score as the sheet shows it (IDENTITY=on); null until scored. */
export interface SlotIdentity {
  judged: boolean;
  similarity: number | null;
  consistent: boolean | null;
  reason: string | null;
  regenerations: number;
}

export interface Slot {
  type: VariationType;
  status: VariationStatus;
  url: string | null;
  error: string | null;
  identity: SlotIdentity | null;
}

/** The set's identity consistency (IDENTITY=on). */
export interface SheetConsistency {
  judged: number;
  median: number | null;
  min: number | null;
  outliers: VariationType[];
  threshold: number;
  reason: string | null;
}

export interface SheetState {
  characterId: string;
  name: string;
  description: string;
  avatarUrl: string;
  slug: string;
  status: EmbeddingStatus;
  slots: Slot[];
  metadataUrl: string | null;
  consistency: SheetConsistency | null;
}

type ProgressEvent = EmbeddingProgressSubscription['embeddingProgress'];
type StatusSnapshot = EmbeddingStatusQuery['embeddingStatus'];

const FINISHED_SLOT: ReadonlySet<VariationStatus> = new Set(['completed', 'failed']);
const FINISHED_SET: ReadonlySet<EmbeddingStatus> = new Set(['completed', 'failed']);

export function isFinished(state: SheetState): boolean {
  return FINISHED_SET.has(state.status);
}

export function countSlots(state: SheetState): { completed: number; failed: number; total: number } {
  return {
    completed: state.slots.filter((s) => s.status === 'completed').length,
    failed: state.slots.filter((s) => s.status === 'failed').length,
    total: state.slots.length,
  };
}

/** Slots in the catalog's order, whatever order the server lists them in; missing ones are pending. */
type SlotRecord = { type: VariationType; status: VariationStatus; url: string | null; error: string | null; identity?: SlotIdentity | null };

function slotsFrom(records: readonly SlotRecord[]): Slot[] {
  const byType = new Map(records.map((r) => [r.type, r]));
  return VARIATION_TYPES.map((type) => {
    const record = byType.get(type);
    return { type, status: record?.status ?? 'pending', url: record?.url ?? null, error: record?.error ?? null, identity: identityOf(record?.identity) };
  });
}

function identityOf(score: SlotIdentity | null | undefined): SlotIdentity | null {
  return score ? { judged: score.judged, similarity: score.similarity, consistent: score.consistent, reason: score.reason, regenerations: score.regenerations } : null;
}

export function sheetFromCharacter(character: CharacterFieldsFragment): SheetState {
  const embeddings = character.embeddings.imageEmbeddings;
  return {
    characterId: character.id,
    name: character.name,
    description: character.description,
    avatarUrl: character.avatarUrl,
    slug: character.slug,
    status: embeddings.status,
    slots: slotsFrom(character.variations),
    metadataUrl: embeddings.metadataUrl,
    consistency: embeddings.consistency ?? null,
  };
}

/** A finished slot stays finished: a snapshot read before an event arrived must not undo it. */
function mergeSlot(current: Slot, incoming: Slot): Slot {
  if (FINISHED_SLOT.has(current.status) && !FINISHED_SLOT.has(incoming.status)) return current;
  return incoming;
}

export function withStatus(state: SheetState, snapshot: StatusSnapshot): SheetState {
  if (snapshot.characterId !== state.characterId) return state;
  const incoming = slotsFrom(snapshot.images);
  return {
    ...state,
    status: isFinished(state) && !FINISHED_SET.has(snapshot.status) ? state.status : snapshot.status,
    slots: state.slots.map((slot, index) => mergeSlot(slot, incoming[index] ?? slot)),
    metadataUrl: snapshot.metadataUrl ?? state.metadataUrl,
    consistency: snapshot.consistency ?? state.consistency,
  };
}

export function withEvent(state: SheetState, event: ProgressEvent): SheetState {
  if (event.characterId !== state.characterId) return state;
  if (event.kind === 'done') {
    const status = event.status as EmbeddingStatus;
    return FINISHED_SET.has(status) ? { ...state, status, consistency: event.consistency ?? state.consistency } : state;
  }
  const variation = event.variation;
  if (!variation) return state;
  const status = event.status as VariationStatus;
  return {
    ...state,
    status: state.status === 'pending' ? 'generating' : state.status,
    slots: state.slots.map((slot) =>
      slot.type === variation ? mergeSlot(slot, { type: variation, status, url: event.url, error: event.error ?? null, identity: identityOf(event.identity) }) : slot,
    ),
  };
}

/** "portrait_front" → "Portrait front": the label under each slot and in its image's alt text. */
export function variationLabel(type: VariationType): string {
  const words = type.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
