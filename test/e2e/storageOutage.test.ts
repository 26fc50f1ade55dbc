// The object store fails for a while in the middle of a set (here the real disk: the set's folder is made
// unwritable by putting a file where it should be). Generated images are kept and their writes retried, never
// regenerated; embeddingStatus says what waits and why; once the disk works again the set completes with all
// 10 images, and no temporary file is left behind.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { CancelReferenceSetDocument, CreateCharacterDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { filesUnder } from '../support/files.js';
import { ScriptedGenerator } from '../support/generators.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

describe('a storage outage mid-set', () => {
  let service: TestService | undefined;
  let client: GraphQLTestClient;
  const generator = new ScriptedGenerator();
  afterEach(async () => {
    generator.release();
    await client?.close();
    await service?.destroy();
  });

  async function start() {
    service = await startTestService({ GENERATOR_MAX_CONCURRENCY: '1', RETRY_BASE_DELAY_MS: '20' }, { generator });
    client = new GraphQLTestClient(service.url);
  }
  const status = async (id: string) => (await client.request(EmbeddingStatusDocument, { characterId: id })).embeddingStatus;

  it('keeps the images generated during the outage and stores them once it ends, generating none twice', async () => {
    await start();
    generator.hold();
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Outage Test', seed: 700 } });
    for (let stored = 1; stored <= 2; stored++) {
      await waitFor(async () => generator.held.length === 1, 'a request at the backend');
      generator.letThrough();
      await waitFor(async () => (await status(createCharacter.id)).completed === stored, `image ${stored} stored`);
    }
    const folder = path.join(service!.config.objectsDir, 'characters', 'dev', createCharacter.slug, 'embeddings');
    await rename(folder, `${folder}.away`);
    await writeFile(folder, 'not a folder');
    generator.release();

    await waitFor(async () => {
      const now = await status(createCharacter.id);
      return now.pendingWrites.length >= 3 && now.pendingWrites.every((write) => write.retries >= 2);
    }, 'writes pending and retried');
    const during = await status(createCharacter.id);
    expect(during.status).toBe('generating');
    expect(during.completed).toBe(2);
    expect(during.message).toBe(`Embedding generation is generating; waiting to store ${during.pendingWrites.map((write) => write.what).join(', ')} (${during.pendingWrites[0]!.error})`);
    expect(during.pendingWrites[0]!.error).toMatch(/^local: /);

    await rm(folder);
    await rename(`${folder}.away`, folder);
    await waitFor(async () => (await status(createCharacter.id)).status === 'completed', 'set completed after the outage');
    const after = await status(createCharacter.id);
    expect(after).toMatchObject({ completed: 10, failed: 0, pendingWrites: [] });
    expect(after.images.every((image) => image.failures === 0 && image.attempts === 1)).toBe(true);
    for (const type of VARIATION_TYPES) expect(generator.received(type).filter((request) => request.seed > 700 && request.seed <= 710), type).toHaveLength(1);
    for (const url of after.cloudinaryUrls) expect((await fetch(url)).status).toBe(200);
    expect((await filesUnder(service!.dataDir)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });

  it('retries a failed metadata.json and says so while it waits', async () => {
    await start();
    generator.hold();
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Metadata Outage', seed: 800 } });
    // A folder where metadata.json should go: every write of it fails until the folder is removed.
    const metadata = path.join(service!.config.objectsDir, 'characters', 'dev', createCharacter.slug, 'embeddings', 'metadata.json');
    await mkdir(metadata, { recursive: true });
    generator.release();
    await waitFor(async () => (await status(createCharacter.id)).pendingWrites.some((write) => write.what === 'metadata.json' && write.retries >= 2), 'metadata.json pending');
    const during = await status(createCharacter.id);
    expect(during).toMatchObject({ status: 'generating', completed: 10, metadataUrl: null });

    await rm(metadata, { recursive: true });
    await waitFor(async () => (await status(createCharacter.id)).status === 'completed', 'set completed');
    const after = await status(createCharacter.id);
    expect(after.pendingWrites).toEqual([]);
    expect(((await (await fetch(after.metadataUrl!)).json()) as { status: string }).status).toBe('completed');
  });

  it('shows no write pending once a set waiting to store is cancelled', async () => {
    await start();
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Cancel Outage', seed: 900 } });
    const folder = path.join(service!.config.objectsDir, 'characters', 'dev', createCharacter.slug, 'embeddings');
    await writeFile(folder, 'not a folder');
    await waitFor(async () => (await status(createCharacter.id)).pendingWrites.length > 0, 'a write pending');

    const { cancelReferenceSet } = await client.request(CancelReferenceSetDocument, { characterId: createCharacter.id });
    expect(cancelReferenceSet.embeddings.imageEmbeddings).toMatchObject({ status: 'cancelled', pendingWrites: [] });
    const after = await status(createCharacter.id);
    expect(after).toMatchObject({ status: 'cancelled', pendingWrites: [] });
    expect(after.message).not.toContain('waiting to store');
  });
});
