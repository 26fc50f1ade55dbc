// The sheet's state rules: events fill slots in sequence order, a replayed event the sheet already has is
// dropped by its number, regenerate/retry reopen the set, cancel and delete end it, a newer snapshot replaces
// the state and an older one does not, and a set with failed images is not called plainly "Completed".
import { describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import type { CharacterFieldsFragment } from '../../src/generated/graphql/graphql.js';
import { countSlots, isFinished, sheetFromCharacter, statusSummary, variationLabel, withEvent, withSnapshot, type ProgressEvent, type SheetState } from '../../web/src/app/sheetState.js';

type Variation = CharacterFieldsFragment['variations'][number];
type SetStatus = CharacterFieldsFragment['embeddings']['imageEmbeddings']['status'];

function variation(type: Variation['type'], status: Variation['status'] = 'pending', url: string | null = null): Variation {
  return { type, status, url, seed: 1, prompt: 'p', attempts: 0, failures: 0, bytes: null, width: null, height: null, error: null, generationMs: null, startedAt: null, completedAt: null, generation: null, sequence: null, replacement: null };
}

function character(variations: Variation[], status: SetStatus = 'generating', sequence = 0): CharacterFieldsFragment {
  return {
    id: 'c1', name: 'Mira', slug: 'mira', ownerUsername: 'dev', description: 'd', style: 's', baseSeed: 1, avatarUrl: '/files/a.png',
    createdAt: '2026-01-01T00:00:00Z', traits: [],
    embeddings: { imageEmbeddings: { status, totalImages: 0, cloudinaryUrls: [], metadataUrl: null, version: '1.0', generationStartedAt: null, generationCompletedAt: null, sequence, pendingWrites: [] } },
    variations,
  };
}

const allPending = () => sheetFromCharacter(character(VARIATION_TYPES.map((t) => variation(t))));

function event(sequence: number, kind: ProgressEvent['kind'], status: string, extra: Partial<ProgressEvent> = {}): ProgressEvent {
  return { characterId: 'c1', sequence, kind, status, variation: null, url: null, error: null, replaced: false, replayed: false, completed: 0, failed: 0, total: 10, ...extra };
}

const finished = (state: SheetState, type: Variation['type'], sequence: number, url = `/${type}.png`) => withEvent(state, event(sequence, 'variation', 'completed', { variation: type, url }));

describe('sheet state', () => {
  it('lays out the 10 slots in catalog order even when the server lists fewer or in another order', () => {
    const state = sheetFromCharacter(character([variation('outfit_variation', 'completed', '/o.png'), variation('portrait_front')]));
    expect(state.slots.map((s) => s.type)).toEqual([...VARIATION_TYPES]);
    expect(state.slots[9]).toMatchObject({ status: 'completed', url: '/o.png' });
    expect(countSlots(state)).toEqual({ completed: 1, failed: 0, cancelled: 0, total: 10 });
  });

  it('fills a slot per event, shows a failure with its error, and finishes on done', () => {
    let state = finished(allPending(), 'portrait_side', 1, '/side.png');
    state = withEvent(state, event(2, 'variation', 'failed', { variation: 'action_pose', error: 'backend down' }));
    expect(state.slots[1]).toMatchObject({ status: 'completed', url: '/side.png' });
    expect(state.slots[3]).toMatchObject({ status: 'failed', error: 'backend down' });
    expect(isFinished(state)).toBe(false);
    state = withEvent(state, event(3, 'done', 'completed'));
    expect(state).toMatchObject({ status: 'completed', sequence: 3 });
    expect(statusSummary(state)).toEqual({ text: 'Completed · 1 of 10, 1 failed', tone: 'partial' });
  });

  it('drops a replayed event it already has, and ignores events for another character', () => {
    const state = finished(allPending(), 'portrait_front', 4);
    expect(withEvent(state, event(4, 'variation', 'failed', { variation: 'portrait_front', error: 'late' }))).toBe(state);
    expect(withEvent(state, event(3, 'done', 'failed'))).toBe(state);
    expect(withEvent(state, { ...event(5, 'variation', 'completed', { variation: 'portrait_side', url: '/x.png' }), characterId: 'other' })).toBe(state);
  });

  it('calls a set completed only when every image is there', () => {
    const all = sheetFromCharacter(character(VARIATION_TYPES.map((t) => variation(t, 'completed', `/${t}.png`)), 'completed', 11));
    expect(statusSummary(all)).toEqual({ text: 'Completed', tone: 'ok' });
  });

  it('keeps a slot\'s image while it regenerates, then shows the new one', () => {
    let state = withEvent(sheetFromCharacter(character(VARIATION_TYPES.map((t) => variation(t, 'completed', `/${t}.png`)), 'completed', 11)), event(12, 'reopened', 'generating', { variation: 'portrait_side' }));
    expect(state.status).toBe('generating');
    expect(state.slots[1]).toMatchObject({ status: 'completed', url: '/portrait_side.png', regenerating: true });
    state = withEvent(state, event(13, 'variation', 'completed', { variation: 'portrait_side', url: '/portrait_side.v2.png', replaced: true }));
    expect(state.slots[1]).toMatchObject({ url: '/portrait_side.v2.png', regenerating: false });
    // A regeneration that fails keeps the old image and says so.
    state = withEvent(state, event(14, 'reopened', 'generating', { variation: 'portrait_front' }));
    state = withEvent(state, event(15, 'variation', 'completed', { variation: 'portrait_front', error: 'backend down' }));
    expect(state.slots[0]).toMatchObject({ status: 'completed', url: '/portrait_front.png', error: 'backend down', regenerating: false });
    expect(withEvent(state, event(16, 'done', 'completed')).status).toBe('completed');
  });

  it('starts failed and cancelled slots over on a retry', () => {
    let state = withEvent(allPending(), event(1, 'variation', 'failed', { variation: 'action_pose', error: 'x' }));
    state = withEvent(state, event(2, 'done', 'cancelled'));
    expect(state.status).toBe('cancelled');
    expect(countSlots(state)).toMatchObject({ failed: 1, cancelled: 9 });
    expect(statusSummary(state)).toEqual({ text: 'Cancelled · 0 of 10 kept', tone: 'stopped' });
    state = withEvent(state, event(3, 'reopened', 'generating'));
    expect(state.status).toBe('generating');
    expect(state.slots.every((slot) => slot.status === 'pending' && slot.error === null)).toBe(true);
  });

  it('marks the sheet deleted', () => {
    expect(withEvent(allPending(), event(1, 'deleted', 'deleted')).deleted).toBe(true);
  });

  it('takes a newer snapshot whole and leaves an older one aside', () => {
    const state = finished(allPending(), 'portrait_front', 5);
    expect(withSnapshot(state, character([], 'generating', 4))).toBe(state);
    const newer = withSnapshot(state, character(VARIATION_TYPES.map((t) => variation(t, 'completed', `/${t}.png`)), 'completed', 12));
    expect(newer).toMatchObject({ status: 'completed', sequence: 12 });
  });

  it('labels variations in words', () => {
    expect(variationLabel('close_up_expression')).toBe('Close up expression');
  });
});
