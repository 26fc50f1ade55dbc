// The product end to end: a real server on a random port with the embedded store, driven over HTTP and
// graphql-ws like a client would.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { CreateCharacterDocument, EmbeddingProgressDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { GatedGenerator } from '../support/generators.js';
import { collect, GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

const PNG_SIGNATURE = '89504e470d0a1a0a';

describe('reference set, end to end', () => {
  let service: TestService;
  let client: GraphQLTestClient;
  const generator = new GatedGenerator();

  beforeAll(async () => {
    service = await startTestService({}, { generator });
    client = new GraphQLTestClient(service.url);
  });
  afterAll(async () => {
    await client?.close();
    await service?.destroy();
  });

  it('creates a character at once and streams its 10 variations live', async () => {
    const { createCharacter: character } = await client.request(CreateCharacterDocument, {
      input: { name: 'Mira Thorn', description: 'a travelling cartographer', traits: [{ key: 'hair', value: 'auburn' }, { key: 'eyes', value: 'green' }], style: 'watercolor', seed: 1234 },
    });
    // The answer comes before any variation could run: the generator is still holding them.
    expect(character.embeddings.imageEmbeddings.status).toBe('pending');
    expect(character.variations.map((v) => v.type)).toEqual([...VARIATION_TYPES]);
    expect(character.variations.map((v) => v.seed)).toEqual(VARIATION_TYPES.map((_, i) => 1234 + i + 1));
    expect(character.variations.every((v) => v.prompt.includes('auburn'))).toBe(true);
    const avatar = await fetch(character.avatarUrl);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get('content-type')).toBe('image/png');

    // However the subscription's arrival and the first images interleave, it replays what it missed.
    const eventsPromise = collect(client.subscribe(EmbeddingProgressDocument, { characterId: character.id }));
    generator.open();
    const events = (await eventsPromise).map((result) => {
      expect(result.errors).toBeUndefined();
      return result.data!.embeddingProgress;
    });

    expect(events).toHaveLength(11);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const variationEvents = events.slice(0, 10);
    expect(new Set(variationEvents.map((e) => e.variation))).toEqual(new Set(VARIATION_TYPES));
    expect(variationEvents.every((e) => e.kind === 'variation' && e.status === 'completed' && e.url)).toBe(true);
    expect(variationEvents.map((e) => e.completed).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(events[10]).toMatchObject({ kind: 'done', status: 'completed', completed: 10, failed: 0, total: 10 });

    const { embeddingStatus } = await client.request(EmbeddingStatusDocument, { characterId: character.id });
    expect(embeddingStatus).toMatchObject({ success: true, status: 'completed', totalImages: 10, message: 'Embedding generation is completed' });
    expect(embeddingStatus.cloudinaryUrls).toHaveLength(10);
    expect(new Date(embeddingStatus.generationCompletedAt!).getTime()).toBeGreaterThanOrEqual(new Date(embeddingStatus.generationStartedAt!).getTime());

    const images = await Promise.all(embeddingStatus.cloudinaryUrls.map(async (url) => Buffer.from(await (await fetch(url)).arrayBuffer())));
    for (const image of images) expect(image.subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
    expect(new Set(images.map((image) => image.toString('base64'))).size).toBe(10);

    const metadata = (await (await fetch(embeddingStatus.metadataUrl!)).json()) as { images: { variation: string; url: string; seed: number; prompt: string; bytes: number }[]; status: string };
    expect(metadata.status).toBe('completed');
    expect(metadata.images.map((image) => image.variation)).toEqual([...VARIATION_TYPES]);
    expect(metadata.images.every((image) => image.url && image.bytes > 0 && image.prompt.length > 0)).toBe(true);

    // The seed's storage layout, one file per variation, nothing else.
    const folder = path.join(service.config.objectsDir, 'characters', 'dev', character.slug);
    expect((await readdir(folder)).sort()).toEqual(['avatar', 'embeddings']);
    expect((await readdir(path.join(folder, 'embeddings'))).sort()).toEqual([...VARIATION_TYPES.map((type) => `${type}.png`), 'metadata.json'].sort());
    expect(JSON.parse(await readFile(path.join(folder, 'embeddings', 'metadata.json'), 'utf8'))).toEqual(metadata);
  });

  it('answers the seed REST route in exactly the seed JSON shape', async () => {
    const { createCharacter: character } = await client.request(CreateCharacterDocument, { input: { name: 'Rest Check' } });
    await waitFor(async () => (await client.request(EmbeddingStatusDocument, { characterId: character.id })).embeddingStatus.status === 'completed');
    const response = await fetch(`${service.url}/api/characters/${character.id}/embedding-status`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['cloudinaryUrls', 'generationCompletedAt', 'generationStartedAt', 'message', 'status', 'success', 'totalImages']);
    expect(body).toMatchObject({ success: true, status: 'completed', totalImages: 10, message: 'Embedding generation is completed' });
    expect(typeof body.generationStartedAt).toBe('string');
    expect(body.cloudinaryUrls).toHaveLength(10);
  });

  it('replays a finished set to a late subscriber, in order, and ends it with done', async () => {
    const { createCharacter: character } = await client.request(CreateCharacterDocument, { input: { name: 'Late Joiner' } });
    await waitFor(async () => (await client.request(EmbeddingStatusDocument, { characterId: character.id })).embeddingStatus.status === 'completed');
    const events = (await collect(client.subscribe(EmbeddingProgressDocument, { characterId: character.id }))).map((e) => e.data!.embeddingProgress);
    expect(events).toHaveLength(11);
    expect(events.every((e) => e.replayed)).toBe(true);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(new Set(events.slice(0, 10).map((e) => e.variation))).toEqual(new Set(VARIATION_TYPES));
    expect(events.slice(0, 10).map((e) => e.completed)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(events.slice(0, 10).every((e) => e.kind === 'variation' && e.status === 'completed' && e.url)).toBe(true);
    expect(events[10]).toMatchObject({ kind: 'done', status: 'completed', completed: 10, total: 10 });

    // A reconnecting client that has the first four events gets the rest only.
    const rest = (await collect(client.subscribe(EmbeddingProgressDocument, { characterId: character.id, after: 4 }))).map((e) => e.data!.embeddingProgress);
    expect(rest.map((e) => e.sequence)).toEqual([5, 6, 7, 8, 9, 10, 11]);
  });
});
