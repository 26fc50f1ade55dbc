// New images of a character as a client asks for them: generateCharacterImage answers at once with a pending
// image, the offline renderer draws the character in the asked setting, the result is stored under the
// character's generations/ folder, served as a PNG, delivered on characterImageProgress (to a late subscriber
// too) and listed on the character; a delete takes the folder with it. Bad input and the per-user limit are
// refused with codes before anything is generated.
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CharacterDocument,
  CharacterImageProgressDocument,
  CreateCharacterDocument,
  DeleteCharacterDocument,
  EmbeddingStatusDocument,
  GenerateCharacterImageDocument,
} from '../../src/generated/graphql/graphql.js';
import { AUDIENCE, hs256Token, ISSUER, SECRET } from '../auth/support/tokens.js';
import { ScriptedGenerator } from '../support/generators.js';
import { collect, GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('generateCharacterImage on the offline renderer', () => {
  let service: TestService | undefined;
  let client: GraphQLTestClient;
  afterEach(async () => {
    await client?.close();
    await service?.destroy();
    service = undefined;
  });

  it('stores the image under generations/, serves a PNG, delivers it live and late, lists it, and deletes it with the character', async () => {
    service = await startTestService({ IMAGE_WIDTH: '256', IMAGE_HEIGHT: '256' });
    client = new GraphQLTestClient(service.url);
    const { createCharacter: character } = await client.request(CreateCharacterDocument, { input: { name: 'Mira Vale', description: 'a ranger', traits: [{ key: 'hair', value: 'red' }] } });

    const { generateCharacterImage: asked } = await client.request(GenerateCharacterImageDocument, { characterId: character.id, prompt: '  sitting on the beach at sunset ', seed: 77 });
    expect(asked).toMatchObject({ prompt: 'sitting on the beach at sunset', seed: 77, style: character.style, url: null });
    expect(['pending', 'generating', 'completed']).toContain(asked.status);

    const events = await collect(client.subscribe(CharacterImageProgressDocument, { characterId: character.id, imageId: asked.id }));
    expect(events.every((event) => !event.errors)).toBe(true);
    const last = events.at(-1)!.data!.characterImageProgress;
    expect(last.image).toMatchObject({ id: asked.id, status: 'completed', width: 256, height: 256, attempts: 1, failures: 0, error: null });
    const url = last.image.url!;
    expect(url).toMatch(new RegExp(`/characters/dev/${character.slug}/generations/${asked.id}\\.png`));

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);

    // Joining after the image is done still gives the result, once, and ends.
    const late = await collect(client.subscribe(CharacterImageProgressDocument, { characterId: character.id, imageId: asked.id }));
    expect(late.map((event) => event.data!.characterImageProgress)).toEqual([{ characterId: character.id, replayed: true, image: last.image }]);

    const listed = (await client.request(CharacterDocument, { id: character.id })).character!.generatedImages;
    expect(listed).toEqual([last.image]);

    const generations = path.join(service.config.objectsDir, 'characters', 'dev', character.slug, 'generations');
    expect(await readdir(generations)).toEqual([`${asked.id}.png`]);
    await client.request(DeleteCharacterDocument, { id: character.id });
    await expect(access(generations)).rejects.toThrow();
    expect((await fetch(url)).status).toBe(404);
  });
});

describe('generateCharacterImage refuses bad input', () => {
  let service: TestService;
  const generator = new ScriptedGenerator();
  let alice: GraphQLTestClient;
  let bob: GraphQLTestClient;
  let characterId: string;

  beforeAll(async () => {
    service = await startTestService({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, USER_MAX_PENDING_IMAGES: '1', VARIATION_MAX_ATTEMPTS: '1' }, { generator });
    alice = new GraphQLTestClient(service.url, { authorization: `Bearer ${await hs256Token('alice')}` });
    bob = new GraphQLTestClient(service.url, { authorization: `Bearer ${await hs256Token('bob')}` });
    ({ createCharacter: { id: characterId } } = await alice.request(CreateCharacterDocument, { input: { name: 'Limit Test', seed: 9 } }));
    // The set first: a set still running when a test holds the generator would hold the backend's slots too,
    // and the image under test would wait behind it instead of reaching the backend.
    await waitFor(async () => (await alice.request(EmbeddingStatusDocument, { characterId })).embeddingStatus.status === 'completed', 'the reference set completed');
  });
  afterAll(async () => {
    generator.release();
    await Promise.all([alice?.close(), bob?.close()]);
    await service?.destroy();
  });

  const codeOf = async (client: GraphQLTestClient, variables: { characterId: string; prompt: string; style?: string; seed?: number }) => {
    const result = await client.execute(GenerateCharacterImageDocument, variables);
    return { code: result.errors?.[0]?.extensions?.code, message: result.errors?.[0]?.message ?? '' };
  };

  it('answers BAD_USER_INPUT or NOT_FOUND and records nothing', async () => {
    expect(await codeOf(alice, { characterId, prompt: '   ' })).toMatchObject({ code: 'BAD_USER_INPUT', message: 'prompt must not be empty' });
    expect(await codeOf(alice, { characterId, prompt: 'x'.repeat(501) })).toMatchObject({ code: 'BAD_USER_INPUT', message: 'prompt is longer than 500 characters' });
    expect(await codeOf(alice, { characterId, prompt: 'on a beach\u0000' })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await codeOf(alice, { characterId, prompt: 'on a beach', seed: -1 })).toMatchObject({ code: 'BAD_USER_INPUT', message: 'seed must be an integer from 0 to 2147483647' });
    expect((await codeOf(alice, { characterId, prompt: 'on a beach', seed: 2 ** 31 })).code).toBe('BAD_USER_INPUT');
    expect(await codeOf(alice, { characterId, prompt: 'on a beach', style: 's'.repeat(61) })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await codeOf(alice, { characterId: 'nope', prompt: 'on a beach' })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await codeOf(alice, { characterId: '0123456789abcdef01234567', prompt: 'on a beach' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await codeOf(bob, { characterId, prompt: 'on a beach' })).toMatchObject({ code: 'NOT_FOUND', message: `no character with id ${characterId}` });
    const subscribed = await collect(bob.subscribe(CharacterImageProgressDocument, { characterId, imageId: '0123456789abcdef' }));
    expect(subscribed[0]!.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await alice.request(CharacterDocument, { id: characterId })).character!.generatedImages).toEqual([]);
    expect(generator.received('custom')).toEqual([]);
  });

  it('limits the images pending at once per user, and fails an image whose attempts run out', async () => {
    generator.hold();
    const { generateCharacterImage: first } = await alice.request(GenerateCharacterImageDocument, { characterId, prompt: 'waving in the forest' });
    await waitFor(async () => generator.held.some((request) => request.variation === 'custom'), 'the image reached the backend');
    const refused = await alice.execute(GenerateCharacterImageDocument, { characterId, prompt: 'running in the city' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'pendingImages', max: 1 });

    generator.failing.add('custom');
    generator.release();
    const events = await collect(alice.subscribe(CharacterImageProgressDocument, { characterId, imageId: first.id }));
    expect(events.at(-1)!.data!.characterImageProgress.image).toMatchObject({ status: 'failed', attempts: 1, failures: 1, error: expect.stringContaining('injected failure for custom'), url: null });
    generator.failing.clear();
    // Its place is free again.
    await alice.request(GenerateCharacterImageDocument, { characterId, prompt: 'running in the city' });
  });
});
