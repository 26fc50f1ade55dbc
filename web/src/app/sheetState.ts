// What the sheet shows, as plain data: built from a character (the page's first read, or a set-control
// mutation's answer), then moved forward by each embeddingProgress event. Both carry the set's sequence
// number, so nothing is merged: an event at or below the number shown is one the sheet already reflects
// (a replay after a reconnect), and a snapshot replaces the state only when it is newer.
import { VARIATION_TYPES } from '../../../src/domain/variations.js';
import type {
  CharacterFieldsFragment,
  EmbeddingProgressSubscription,
  EmbeddingStatus,
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
  /** A new image was asked for; the current one stays shown until it is stored. */
  regenerating: boolean;
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
  /** The number of the set's last event this state reflects. */
  sequence: number;
  /** The character was deleted (here or elsewhere): the sheet closes. */
  deleted: boolean;
}

export type ProgressEvent = EmbeddingProgressSubscription['embeddingProgress'];

const FINISHED_SET: ReadonlySet<EmbeddingStatus> = new Set(['completed', 'failed', 'cancelled']);
const UNFINISHED_SLOT: ReadonlySet<VariationStatus> = new Set(['pending', 'generating']);
const RETRIED_SLOT: ReadonlySet<VariationStatus> = new Set(['failed', 'cancelled']);

export function isFinished(state: SheetState): boolean {
  return FINISHED_SET.has(state.status);
}

export function countSlots(state: SheetState): { completed: number; failed: number; cancelled: number; total: number } {
  const count = (status: VariationStatus) => state.slots.filter((s) => s.status === status).length;
  return { completed: count('completed'), failed: count('failed'), cancelled: count('cancelled'), total: state.slots.length };
}

/** Slots in the catalog's order, whatever order the server lists them in; missing ones are pending. */
function slotsFrom(records: CharacterFieldsFragment['variations']): Slot[] {
  const byType = new Map(records.map((r) => [r.type, r]));
  return VARIATION_TYPES.map((type) => {
    const record = byType.get(type);
    return { type, status: record?.status ?? 'pending', url: record?.url ?? null, error: record?.error ?? null, regenerating: Boolean(record?.replacement), identity: identityOf(record?.identity) };
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
    sequence: embeddings.sequence,
    deleted: false,
  };
}

/** A later read of the same character replaces the state; an older one (overtaken by events) does not. */
export function withSnapshot(state: SheetState, character: CharacterFieldsFragment): SheetState {
  if (character.id !== state.characterId) return state;
  const snapshot = sheetFromCharacter(character);
  return snapshot.sequence >= state.sequence ? snapshot : state;
}

function applied(state: SheetState, event: ProgressEvent): SheetState {
  switch (event.kind) {
    case 'variation': {
      const status = event.status as VariationStatus;
      return {
        ...state,
        status: state.status === 'pending' ? 'generating' : state.status,
        slots: state.slots.map((slot) =>
          slot.type !== event.variation
            ? slot
            : // A failed regeneration reports the slot as still completed, without a URL: it keeps its image (and its score).
              {
                type: slot.type,
                status,
                url: event.url ?? (status === 'completed' ? slot.url : null),
                error: event.error,
                regenerating: false,
                identity: event.url ? identityOf(event.identity) : status === 'completed' ? slot.identity : null,
              },
        ),
      };
    }
    case 'reopened':
      return {
        ...state,
        status: 'generating',
        slots: state.slots.map((slot) => {
          // Regenerate names its slot; retry names none and starts every failed or cancelled one over.
          if (event.variation) return slot.type !== event.variation ? slot : slot.status === 'completed' ? { ...slot, regenerating: true } : { ...slot, status: 'pending', error: null };
          return RETRIED_SLOT.has(slot.status) ? { ...slot, status: 'pending', error: null } : slot;
        }),
      };
    case 'done': {
      const status = event.status as EmbeddingStatus;
      if (!FINISHED_SET.has(status)) return state;
      const cancelled = status === 'cancelled';
      return {
        ...state,
        status,
        consistency: event.consistency ?? state.consistency,
        slots: state.slots.map((slot) => (cancelled ? { ...slot, regenerating: false, status: UNFINISHED_SLOT.has(slot.status) ? 'cancelled' : slot.status } : slot)),
      };
    }
    case 'deleted':
      return { ...state, deleted: true };
  }
}

export function withEvent(state: SheetState, event: ProgressEvent): SheetState {
  if (event.characterId !== state.characterId) return state;
  // Records from before event numbers replay with 0; those are applied as they come (each is idempotent).
  if (event.sequence !== 0 && event.sequence <= state.sequence) return state;
  return { ...applied(state, event), sequence: Math.max(state.sequence, event.sequence) };
}

/** "portrait_front" → "Portrait front": the label under each slot and in its image's alt text. */
export function variationLabel(type: VariationType): string {
  const words = type.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The set's status in words: a set with failed images is not a plain "Completed". */
export function statusSummary(state: SheetState): { text: string; tone: 'waiting' | 'working' | 'ok' | 'partial' | 'bad' | 'stopped' } {
  const { completed, failed, total } = countSlots(state);
  switch (state.status) {
    case 'pending':
      return { text: 'Waiting to start', tone: 'waiting' };
    case 'generating':
      return { text: 'Generating', tone: 'working' };
    case 'completed':
      if (completed === total) return { text: 'Completed', tone: 'ok' };
      return { text: `Completed · ${completed} of ${total}${failed ? `, ${failed} failed` : ''}`, tone: 'partial' };
    case 'failed':
      return { text: 'Failed', tone: 'bad' };
    case 'cancelled':
      return { text: `Cancelled · ${completed} of ${total} kept`, tone: 'stopped' };
  }
}
