// metadata.json of a set that ended outside a worker's run (a cancel, or a worker that died after the end was
// recorded) is written exactly when the record says it is pending for a finished, existing set.
import { describe, expect, it } from 'vitest';
import type { CharacterRecord, Removal } from '../../src/domain/character.js';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { writePendingMetadata } from '../../src/pipeline/pendingMetadata.js';
import type { CharacterRepository, ObjectStore } from '../../src/ports.js';

function recordOf(status: string, metadataPending: boolean, removal?: Removal): CharacterRecord {
  return {
    id: 'd'.repeat(24),
    ownerUsername: 'ada',
    ownerSlug: 'ada',
    slug: 'mira-dddddddd',
    name: 'Mira',
    description: '',
    traits: [],
    style: 'ink',
    baseSeed: 1,
    avatarKey: 'characters/ada/mira-dddddddd/avatar/avatar.png',
    variations: VARIATION_TYPES.map((type, index) => ({ type, seed: index, prompt: type, status: 'cancelled', attempts: 0, failures: 0 })),
    embeddings: { imageEmbeddings: { status, metadataPending, generationCompletedAt: new Date('2026-01-02T00:00:00Z'), totalImages: 0, version: '1.0', sequence: 1, workVersion: 1, pendingWrites: [] } },
    ...(removal ? { removal } : {}),
  } as unknown as CharacterRecord;
}

function deps(record: CharacterRecord) {
  const written: { key: string; json: { status: string; generationCompletedAt: string } }[] = [];
  const marked: string[] = [];
  const store = {
    name: 'test',
    url: (key: string) => `https://files.test/${key}`,
    put: async (key: string, body: Uint8Array) => (written.push({ key, json: JSON.parse(new TextDecoder().decode(body)) }), { key, version: 'm1', bytes: body.byteLength }),
  } as unknown as ObjectStore;
  const characters = {
    metadataWritten: async (id: string) => void marked.push(id),
    findById: async () => ({ ...record, embeddings: { imageEmbeddings: { ...record.embeddings.imageEmbeddings, metadataPending: false } } }),
  } as unknown as CharacterRepository;
  return { written, marked, deps: { characters, store, metadata: { generator: 'offline', negativePrompt: '' } } };
}

describe('pending metadata.json', () => {
  it('is written for a finished set that is pending it, with the state it ended in, and marked written', async () => {
    const record = recordOf('cancelled', true);
    const { written, marked, deps: context } = deps(record);
    const after = await writePendingMetadata(context, record);
    expect(written).toEqual([{ key: 'characters/ada/mira-dddddddd/embeddings/metadata.json', json: expect.objectContaining({ status: 'cancelled', generationCompletedAt: '2026-01-02T00:00:00.000Z' }) }]);
    expect(marked).toEqual([record.id]);
    expect(after?.embeddings.imageEmbeddings.metadataPending).toBe(false);
  });

  it.each([
    ['nothing is pending', recordOf('cancelled', false)],
    ['the set is still running', recordOf('generating', true)],
    ['the character is being removed', recordOf('cancelled', true, { reason: 'deleted', requestedAt: new Date(0), notBefore: new Date(0) })],
  ])('is not written when %s', async (_, record) => {
    const { written, marked, deps: context } = deps(record);
    expect(await writePendingMetadata(context, record)).toBeNull();
    expect(written).toEqual([]);
    expect(marked).toEqual([]);
  });
});
