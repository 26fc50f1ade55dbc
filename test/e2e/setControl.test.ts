// Control of a set as a client drives it: regenerate one slot, retry failed slots, cancel mid-set, delete. Each
// is checked where a user would look: the API's answers, the progress stream, the stored files, and what the
// backend was asked to do.
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CancelReferenceSetDocument,
  CharacterDocument,
  CreateCharacterDocument,
  DeleteCharacterDocument,
  EmbeddingProgressDocument,
  EmbeddingStatusDocument,
  RegenerateVariationDocument,
  RetryFailedVariationsDocument,
} from '../../src/generated/graphql/graphql.js';
import { ScriptedGenerator } from '../support/generators.js';
import { collect, GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

describe('control of a set', () => {
  let service: TestService | undefined;
  let client: GraphQLTestClient;
  const generator = new ScriptedGenerator();

  afterEach(async () => {
    generator.release();
    generator.failing.clear();
    await client?.close();
    await service?.destroy();
    service = undefined;
  });

  async function start(env: Record<string, string> = {}) {
    service = await startTestService({ VARIATION_MAX_ATTEMPTS: '2', ...env }, { generator });
    client = new GraphQLTestClient(service.url);
  }

  const status = async (id: string) => (await client.request(EmbeddingStatusDocument, { characterId: id })).embeddingStatus;
  const until = (id: string, wanted: string) => waitFor(async () => (await status(id)).status === wanted, `set ${wanted}`);
  const bytesOf = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());
  const embeddingsFolder = (slug: string) => path.join(service!.config.objectsDir, 'characters', 'dev', slug, 'embeddings');

  async function completedCharacter(name: string, seed: number) {
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name, seed } });
    await until(createCharacter.id, 'completed');
    return createCharacter;
  }

  it('regenerates one slot: the old image stays until the new one is stored, then the set ends again', async () => {
    await start();
    const character = await completedCharacter('Regen Test', 100);
    const before = await status(character.id);
    const oldSlot = before.images.find((image) => image.type === 'portrait_side')!;
    const oldBytes = await bytesOf(oldSlot.url!);

    generator.hold();
    const { regenerateVariation } = await client.request(RegenerateVariationDocument, { characterId: character.id, variation: 'portrait_side', seed: 4242 });
    expect(regenerateVariation.embeddings.imageEmbeddings.status).toBe('generating');
    const pending = regenerateVariation.variations.find((variation) => variation.type === 'portrait_side')!;
    // Still showing the old image while the new one is made.
    expect(pending).toMatchObject({ status: 'completed', seed: oldSlot.seed, url: oldSlot.url, replacement: { seed: 4242 } });
    const again = await client.execute(RegenerateVariationDocument, { characterId: character.id, variation: 'portrait_side' });
    expect(again.errors?.[0]).toMatchObject({ message: expect.stringContaining('already being regenerated'), extensions: { code: 'BAD_USER_INPUT' } });

    const events = collect(client.subscribe(EmbeddingProgressDocument, { characterId: character.id, after: before.sequence }));
    generator.release();
    const received = (await events).map((event) => event.data!.embeddingProgress);
    expect(received.map((event) => event.kind)).toEqual(['reopened', 'variation', 'done']);
    expect(received.map((event) => event.sequence)).toEqual([before.sequence + 1, before.sequence + 2, before.sequence + 3]);
    expect(received[1]).toMatchObject({ variation: 'portrait_side', status: 'completed', replaced: true, completed: 10 });

    const after = await status(character.id);
    const slot = after.images.find((image) => image.type === 'portrait_side')!;
    expect(after.status).toBe('completed');
    expect(slot).toMatchObject({ seed: 4242, generation: 2, replacement: null, url: received[1]!.url });
    expect(generator.received('portrait_side').map((request) => request.seed)).toEqual([oldSlot.seed, 4242]);
    expect((await bytesOf(slot.url!)).equals(oldBytes)).toBe(false);
    // The new image has a file of its own; the one it replaced is gone; metadata.json says what the slot is now.
    const files = await readdir(embeddingsFolder(character.slug));
    expect(files).toContain('portrait_side-2.png');
    expect(files).not.toContain('portrait_side.png');
    const metadata = (await (await fetch(after.metadataUrl!)).json()) as { images: { variation: string; seed: number; generation: number }[] };
    expect(metadata.images.find((image) => image.variation === 'portrait_side')).toMatchObject({ seed: 4242, generation: 2 });
  });

  it('refuses to regenerate a slot that is still generating, or with a bad seed, with a clear reason', async () => {
    await start();
    generator.hold();
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Busy Slot' } });
    await waitFor(async () => generator.held.length > 0, 'first variation sent');
    const busy = await client.execute(RegenerateVariationDocument, { characterId: createCharacter.id, variation: 'portrait_front' });
    expect(busy.errors?.[0]).toMatchObject({ message: expect.stringContaining('still being generated'), extensions: { code: 'BAD_USER_INPUT' } });
    const badSeed = await client.execute(RegenerateVariationDocument, { characterId: createCharacter.id, variation: 'portrait_front', seed: -3 });
    expect(badSeed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await client.execute(RegenerateVariationDocument, { characterId: '0123456789abcdef01234567', variation: 'portrait_front' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('says a slot is already being regenerated while its new image is on the way, and why an ended set cannot be cancelled', async () => {
    await start();
    const character = await completedCharacter('Twice Asked', 5100);
    generator.hold();
    await client.request(RegenerateVariationDocument, { characterId: character.id, variation: 'action_pose', seed: 77 });
    await waitFor(async () => generator.held.length === 1, 'the regeneration at the backend');
    const again = await client.execute(RegenerateVariationDocument, { characterId: character.id, variation: 'action_pose' });
    expect(again.errors?.[0]).toMatchObject({ message: 'action_pose is already being regenerated; wait for its new image', extensions: { code: 'BAD_USER_INPUT', field: 'variation' } });
    generator.release();
    await until(character.id, 'completed');
    const cancel = await client.execute(CancelReferenceSetDocument, { characterId: character.id });
    expect(cancel.errors?.[0]).toMatchObject({ message: 'the set has already ended (completed); there is nothing to cancel', extensions: { code: 'BAD_USER_INPUT', field: 'characterId' } });
  });

  it('retries the failed slots with a fresh budget, and says when there is nothing to retry', async () => {
    await start();
    generator.failing.add('action_pose');
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Retry Test', seed: 200 } });
    await until(createCharacter.id, 'completed');
    const withFailure = await status(createCharacter.id);
    expect(withFailure).toMatchObject({ completed: 9, failed: 1, message: expect.stringContaining('1 of the images failed') });
    expect(withFailure.images.find((image) => image.type === 'action_pose')).toMatchObject({ status: 'failed', attempts: 2, failures: 2 });

    generator.failing.clear();
    const { retryFailedVariations } = await client.request(RetryFailedVariationsDocument, { characterId: createCharacter.id });
    expect(retryFailedVariations.variations.find((variation) => variation.type === 'action_pose')).toMatchObject({ status: 'pending', attempts: 0, failures: 0, error: null });
    await until(createCharacter.id, 'completed');
    const retried = await status(createCharacter.id);
    expect(retried).toMatchObject({ completed: 10, failed: 0 });
    expect(retried.images.find((image) => image.type === 'action_pose')).toMatchObject({ status: 'completed', attempts: 1, failures: 0 });

    const nothing = await client.execute(RetryFailedVariationsDocument, { characterId: createCharacter.id });
    expect(nothing.errors?.[0]).toMatchObject({ message: expect.stringContaining('no failed or cancelled variations'), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('cancels mid-set: in-flight requests are cancelled, nothing more is sent, stored images stay', async () => {
    await start({ GENERATOR_MAX_CONCURRENCY: '1' });
    generator.hold();
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Cancel Test', seed: 300 } });
    for (let stored = 1; stored <= 2; stored++) {
      await waitFor(async () => generator.held.length === 1, 'a request held at the backend');
      generator.letThrough();
      await waitFor(async () => (await status(createCharacter.id)).completed === stored, `image ${stored} stored`);
    }
    await waitFor(async () => generator.held.length === 1, 'the third request held at the backend');
    const inFlight = generator.held[0]!;

    const { cancelReferenceSet } = await client.request(CancelReferenceSetDocument, { characterId: createCharacter.id });
    expect(cancelReferenceSet.embeddings.imageEmbeddings.status).toBe('cancelled');
    await waitFor(async () => inFlight.aborted, 'the in-flight request cancelled');
    const sentBeforeEnd = generator.requests.length;
    generator.release();

    const cancelled = await status(createCharacter.id);
    const stored = cancelled.images.filter((image) => image.status === 'completed');
    expect(stored).toHaveLength(2);
    expect(cancelled.images.filter((image) => image.status !== 'completed').every((image) => image.status === 'cancelled')).toBe(true);
    for (const image of stored) expect((await fetch(image.url!)).status).toBe(200);
    await waitFor(async () => (await status(createCharacter.id)).metadataUrl !== null, 'metadata.json of the cancelled set');
    const metadata = (await (await fetch((await status(createCharacter.id)).metadataUrl!)).json()) as { status: string; totalImages: number };
    expect(metadata).toMatchObject({ status: 'cancelled', totalImages: stored.length });

    // The pacer serves in order: once a later set is done, the cancelled one would have sent anything it was going to.
    await completedCharacter('After Cancel', 9_000);
    expect(generator.requests.slice(sentBeforeEnd).filter((request) => request.seed > 300 && request.seed <= 310)).toEqual([]);
    const replay = (await collect(client.subscribe(EmbeddingProgressDocument, { characterId: createCharacter.id }))).map((event) => event.data!.embeddingProgress);
    expect(replay.at(-1)).toMatchObject({ kind: 'done', status: 'cancelled', completed: stored.length });

    const twice = await client.execute(CancelReferenceSetDocument, { characterId: createCharacter.id });
    expect(twice.errors?.[0]).toMatchObject({ message: expect.stringContaining('already ended (cancelled)'), extensions: { code: 'BAD_USER_INPUT' } });
    // A cancelled set resumes with retry.
    await client.request(RetryFailedVariationsDocument, { characterId: createCharacter.id });
    await until(createCharacter.id, 'completed');
    expect((await status(createCharacter.id)).completed).toBe(10);
  });

  it('deletes a character mid-set: work stops, every file goes, the stream says deleted, a second delete finds nothing', async () => {
    await start({ GENERATOR_MAX_CONCURRENCY: '1' });
    generator.hold();
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Delete Test', seed: 400 } });
    await waitFor(async () => generator.held.length === 1, 'first variation held at the backend');
    const inFlight = generator.held[0]!;
    const folder = path.join(service!.config.objectsDir, 'characters', 'dev', createCharacter.slug);
    await access(path.join(folder, 'avatar'));
    const stream = collect(client.subscribe(EmbeddingProgressDocument, { characterId: createCharacter.id }));
    await waitFor(async () => (await status(createCharacter.id)).status === 'generating', 'the subscription is open on a running set');

    const { deleteCharacter } = await client.request(DeleteCharacterDocument, { id: createCharacter.id });
    expect(deleteCharacter).toBe(true);
    await waitFor(async () => inFlight.aborted, 'the in-flight request cancelled');
    const events = (await stream).map((event) => event.data!.embeddingProgress);
    expect(events.at(-1)).toMatchObject({ kind: 'deleted' });
    await expect(access(folder)).rejects.toThrow();
    const gone = await client.execute(CharacterDocument, { id: createCharacter.id });
    expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const second = await client.execute(DeleteCharacterDocument, { id: createCharacter.id });
    expect(second.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const sent = generator.requests.length;
    generator.release();
    await completedCharacter('After Delete', 9_500);
    expect(generator.requests.slice(sent).filter((request) => request.seed > 400 && request.seed <= 410)).toEqual([]);
    await expect(access(folder)).rejects.toThrow();
  });
});
