// metadata.json, which training scripts and identity checks read beside the images: each field as documented,
// from a record the test writes by hand (a kept image, a failed slot, a slot whose score was of an older image).
import { describe, expect, it } from 'vitest';
import type { CharacterRecord } from '../../src/domain/character.js';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { buildMetadata, putMetadata } from '../../src/pipeline/metadata.js';
import type { ObjectStore } from '../../src/ports.js';

const urls = { url: (key: string, version?: string) => `https://files.test/${key}?v=${version}` };
const score = { judged: true, faceFound: true, similarity: 0.91, consistent: true, regenerations: 1, rejected: [{ seed: 5, similarity: 0.2 }] };

const record = {
  id: 'c'.repeat(24),
  ownerUsername: 'ada',
  ownerSlug: 'ada',
  slug: 'mira-cccccccc',
  name: 'Mira',
  description: 'a pilot',
  traits: [{ key: 'hair', value: 'red' }, { key: 'eyes', value: 'green' }],
  style: 'ink',
  baseSeed: 40,
  avatarKey: 'characters/ada/mira-cccccccc/avatar/avatar.png',
  avatarVersion: 'a1',
  variations: VARIATION_TYPES.map((type, index) => ({ type, seed: 41 + index, prompt: `p${index}`, status: 'pending', attempts: 0, failures: 0 })),
  embeddings: { imageEmbeddings: { status: 'generating', totalImages: 0, version: '1.0', sequence: 3, workVersion: 0, pendingWrites: [], generationStartedAt: new Date('2026-01-01T00:00:00Z') } },
} as unknown as CharacterRecord;
record.variations[0] = { ...record.variations[0]!, status: 'completed', key: 'k0-2.png', version: 'v2', bytes: 900, width: 512, height: 512, attempts: 1, generation: 2, generationMs: 1200, startedAt: new Date('2026-01-01T00:00:01Z'), completedAt: new Date('2026-01-01T00:00:02Z'), identity: { key: 'k0-2.png', ...score } };
record.variations[1] = { ...record.variations[1]!, status: 'failed', key: 'stale.png', attempts: 3, failures: 3, error: 'runpod: gone' };
record.variations[2] = { ...record.variations[2]!, status: 'completed', key: 'k2.png', version: 'v1', attempts: 1, generation: 1, identity: { key: 'older.png', ...score } };

describe('metadata.json', () => {
  const metadata = buildMetadata(record, 'completed', new Date('2026-01-01T00:01:00Z'), { generator: 'runpod', negativePrompt: 'blurry', urls });

  it('describes the character and the set', () => {
    expect(metadata).toMatchObject({
      version: '1.0',
      characterId: record.id,
      owner: 'ada',
      name: 'Mira',
      description: 'a pilot',
      traits: { hair: 'red', eyes: 'green' },
      style: 'ink',
      baseSeed: 40,
      generator: 'runpod',
      negativePrompt: 'blurry',
      status: 'completed',
      totalImages: 2,
      avatarKey: record.avatarKey,
      avatarUrl: `https://files.test/${record.avatarKey}?v=a1`,
      generationStartedAt: '2026-01-01T00:00:00.000Z',
      generationCompletedAt: '2026-01-01T00:01:00.000Z',
      identity: null,
    });
  });

  it('lists every slot in catalog order, numbered from 1, with a key, URL and score only for the image it keeps', () => {
    expect(metadata.images.map((image) => [image.index, image.variation])).toEqual(VARIATION_TYPES.map((type, index) => [index + 1, type]));
    expect(metadata.images[0]).toEqual({
      variation: 'portrait_front', index: 1, seed: 41, prompt: 'p0', status: 'completed', key: 'k0-2.png', url: 'https://files.test/k0-2.png?v=v2', bytes: 900, width: 512, height: 512,
      attempts: 1, failures: 0, generation: 2, generationMs: 1200, startedAt: '2026-01-01T00:00:01.000Z', completedAt: '2026-01-01T00:00:02.000Z', error: null, identity: score,
    });
    expect(metadata.images[1]).toMatchObject({ status: 'failed', key: null, url: null, error: 'runpod: gone', attempts: 3, failures: 3, identity: null });
    // A score of an older image of the slot is not this image's.
    expect(metadata.images[2]).toMatchObject({ key: 'k2.png', identity: null });
    expect(metadata.images[3]).toMatchObject({ status: 'pending', key: null, bytes: null, generation: null, startedAt: null, completedAt: null });
  });

  it('is stored as indented JSON beside the images', async () => {
    const puts: [string, string, string][] = [];
    const store = { put: async (key: string, body: Uint8Array, type: string) => (puts.push([key, new TextDecoder().decode(body), type]), { key, version: 'm', bytes: body.byteLength }) } as unknown as ObjectStore;
    await putMetadata(store, record, metadata);
    expect(puts).toEqual([['characters/ada/mira-cccccccc/embeddings/metadata.json', JSON.stringify(metadata, null, 2), 'application/json']]);
  });
});
