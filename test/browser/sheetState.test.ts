// The sheet's state rules: events fill slots, a status snapshot catches up, and nothing moves backwards when
// a stale snapshot or a replayed event arrives after a newer one.
import { describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import type { CharacterFieldsFragment, EmbeddingStatusQuery } from '../../src/generated/graphql/graphql.js';
import { countSlots, isFinished, sheetFromCharacter, variationLabel, withEvent, withStatus } from '../../web/src/app/sheetState.js';

type Variation = CharacterFieldsFragment['variations'][number];

function variation(type: Variation['type'], status: Variation['status'] = 'pending', url: string | null = null): Variation {
  return { type, status, url, seed: 1, prompt: 'p', attempts: 0, bytes: null, width: null, height: null, error: null, generationMs: null, startedAt: null, completedAt: null };
}

function character(variations: Variation[]): CharacterFieldsFragment {
  return {
    id: 'c1', name: 'Mira', slug: 'mira', ownerUsername: 'dev', description: 'd', style: 's', baseSeed: 1, avatarUrl: '/files/a.png',
    createdAt: '2026-01-01T00:00:00Z', traits: [],
    embeddings: { imageEmbeddings: { status: 'generating', totalImages: 0, cloudinaryUrls: [], metadataUrl: null, version: '1.0', generationStartedAt: null, generationCompletedAt: null } },
    variations,
  };
}

function snapshot(images: Variation[], status: EmbeddingStatusQuery['embeddingStatus']['status'], metadataUrl: string | null = null): EmbeddingStatusQuery['embeddingStatus'] {
  return { characterId: 'c1', success: true, status, totalImages: images.filter((i) => i.status === 'completed').length, generationStartedAt: null, generationCompletedAt: null, cloudinaryUrls: [], metadataUrl, message: '', images };
}

const event = (type: Variation['type'], status: string, extra: { url?: string; error?: string } = {}) => ({
  characterId: 'c1', kind: 'variation' as const, variation: type, status, url: extra.url ?? null, error: extra.error ?? null, completed: 0, failed: 0, total: 10,
});

describe('sheet state', () => {
  it('lays out the 10 slots in catalog order even when the server lists fewer or in another order', () => {
    const state = sheetFromCharacter(character([variation('outfit_variation', 'completed', '/o.png'), variation('portrait_front')]));
    expect(state.slots.map((s) => s.type)).toEqual([...VARIATION_TYPES]);
    expect(state.slots[9]).toMatchObject({ status: 'completed', url: '/o.png' });
    expect(countSlots(state)).toEqual({ completed: 1, failed: 0, total: 10 });
  });

  it('fills a slot per event, shows a failure with its error, and finishes on done', () => {
    let state = sheetFromCharacter(character(VARIATION_TYPES.map((t) => variation(t))));
    state = withEvent(state, event('portrait_side', 'completed', { url: '/side.png' }));
    state = withEvent(state, event('action_pose', 'failed', { error: 'backend down' }));
    expect(state.slots[1]).toMatchObject({ status: 'completed', url: '/side.png' });
    expect(state.slots[3]).toMatchObject({ status: 'failed', error: 'backend down' });
    expect(isFinished(state)).toBe(false);
    state = withEvent(state, { ...event('portrait_front', 'failed'), kind: 'done', variation: null });
    expect(state.status).toBe('failed');
    expect(isFinished(state)).toBe(true);
  });

  it('ignores events for another character', () => {
    const state = sheetFromCharacter(character([]));
    expect(withEvent(state, { ...event('portrait_front', 'completed', { url: '/x.png' }), characterId: 'other' })).toBe(state);
  });

  it('catches up from a snapshot but never lets a stale one undo a finished slot or set', () => {
    let state = sheetFromCharacter(character([]));
    state = withEvent(state, event('portrait_front', 'completed', { url: '/front.png' }));
    state = withStatus(state, snapshot([variation('portrait_front', 'generating'), variation('portrait_side', 'completed', '/side.png')], 'generating'));
    expect(state.slots[0]).toMatchObject({ status: 'completed', url: '/front.png' });
    expect(state.slots[1]).toMatchObject({ status: 'completed', url: '/side.png' });

    state = withStatus(state, snapshot(VARIATION_TYPES.map((t) => variation(t, 'completed', `/${t}.png`)), 'completed', '/meta.json'));
    expect(state.status).toBe('completed');
    expect(state.metadataUrl).toBe('/meta.json');
    expect(withStatus(state, snapshot([], 'generating')).status).toBe('completed');
  });

  it('labels variations in words', () => {
    expect(variationLabel('close_up_expression')).toBe('Close up expression');
  });
});
