// Requests on a set that no longer apply get a clear answer, never a 500: cancelling a finished set, and
// regenerate, retry, cancel or a second delete while a delete is still under way (held here on its last step,
// removing the record, with the store's failCommand fail point). Once the delete has finished, the id is unknown.
// A delete whose files cannot be removed yet is still a delete: the removal sweep finishes it.
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CancelReferenceSetDocument,
  CharacterDocument,
  CreateCharacterDocument,
  DeleteCharacterDocument,
  EmbeddingStatusDocument,
  RegenerateVariationDocument,
  RetryFailedVariationsDocument,
} from '../../src/generated/graphql/graphql.js';
import { BackendError } from '../../src/domain/errors.js';
import type { ObjectStore, StoredObject } from '../../src/ports.js';
import { LocalObjectStore } from '../../src/storage/local.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

/** The local store, whose removals fail while `removalsFail` is set (a disk or Cloudinary outage). */
class RemovalOutageStore implements ObjectStore {
  readonly name = 'local';
  removalsFail = false;
  constructor(private readonly inner: ObjectStore) {}
  put(key: string, body: Uint8Array, contentType: string): Promise<StoredObject> {
    return this.inner.put(key, body, contentType);
  }
  get(key: string): Promise<Uint8Array | null> {
    return this.inner.get(key);
  }
  url(key: string, version?: string): string {
    return this.inner.url(key, version);
  }
  async delete(key: string): Promise<void> {
    if (this.removalsFail) throw new BackendError('local', 'injected removal failure', true);
    await this.inner.delete(key);
  }
  async deletePrefix(prefix: string): Promise<void> {
    if (this.removalsFail) throw new BackendError('local', 'injected removal failure', true);
    await this.inner.deletePrefix(prefix);
  }
}

describe.skipIf(Boolean(process.env.TEST_MONGODB_URI))('answers to set requests that no longer apply (embedded store)', () => {
  let service: TestService | undefined;
  let client: GraphQLTestClient;
  let admin: MongoClient | undefined;
  afterEach(async () => {
    await admin?.close();
    await client?.close();
    await service?.destroy();
  });

  it('refuses to cancel a finished set, and answers requests on a character being deleted', async () => {
    service = await startTestService({ IDENTITY: 'off', IMAGE_WIDTH: '64', IMAGE_HEIGHT: '64' });
    client = new GraphQLTestClient(service.url);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Finished Fay', seed: 60 } });
    const id = createCharacter.id;
    await waitFor(async () => (await client.request(EmbeddingStatusDocument, { characterId: id })).embeddingStatus.status === 'completed', 'set completed');

    const cancel = await client.execute(CancelReferenceSetDocument, { characterId: id });
    expect(cancel.errors?.[0]).toMatchObject({ message: expect.stringContaining('already ended (completed)'), extensions: { code: 'BAD_USER_INPUT' } });

    // The delete's last step, removing the record, is held for a while: meanwhile the character is being deleted.
    admin = await MongoClient.connect(`mongodb://${encodeURIComponent(path.join(service.config.embeddedDbDir, 'mongodb.sock'))}`);
    await admin.db('admin').command({
      configureFailPoint: 'failCommand',
      mode: { times: 1 },
      data: { failCommands: ['delete'], namespace: 'charsheet.characters', blockConnection: true, blockTimeMS: 2_000 },
    });
    const deleting = client.execute(DeleteCharacterDocument, { id });
    await waitFor(async () => (await client.execute(CharacterDocument, { id })).errors?.[0]?.extensions?.code === 'NOT_FOUND', 'the character invisible');

    const duringDelete = await Promise.all([
      client.execute(RegenerateVariationDocument, { characterId: id, variation: 'portrait_front' }),
      client.execute(RetryFailedVariationsDocument, { characterId: id }),
      client.execute(CancelReferenceSetDocument, { characterId: id }),
    ]);
    for (const answer of duringDelete) {
      expect(answer.data).toBeNull();
      expect(answer.errors?.[0]).toMatchObject({ message: `character ${id} is being deleted`, extensions: { code: 'BAD_USER_INPUT' } });
    }
    const secondDelete = await client.execute(DeleteCharacterDocument, { id });
    expect(secondDelete).toEqual({ data: { deleteCharacter: true } });
    expect(await deleting).toEqual({ data: { deleteCharacter: true } });

    // Gone for good: like any unknown id.
    const afterwards = await Promise.all([client.execute(DeleteCharacterDocument, { id }), client.execute(RegenerateVariationDocument, { characterId: id, variation: 'portrait_front' })]);
    for (const answer of afterwards) expect(answer.errors?.[0]).toMatchObject({ message: `no character with id ${id}`, extensions: { code: 'NOT_FOUND' } });
  });
});

describe('a delete during a storage outage', () => {
  let service: TestService | undefined;
  let client: GraphQLTestClient;
  let storeRoot: string | undefined;
  afterEach(async () => {
    await client?.close();
    await service?.destroy();
    if (storeRoot) await rm(storeRoot, { recursive: true, force: true });
  });

  it('deletes a character whose files cannot be removed yet, and removes them once the store works again', async () => {
    storeRoot = await mkdtemp(path.join(tmpdir(), 'charsheet-removal-outage-'));
    const store = new RemovalOutageStore(await LocalObjectStore.open(path.join(storeRoot, 'objects'), path.join(storeRoot, 'tmp'), () => 'http://127.0.0.1:9'));
    // The removal sweep runs every SET_LEASE_MS.
    service = await startTestService({ IDENTITY: 'off', IMAGE_WIDTH: '64', IMAGE_HEIGHT: '64', SET_LEASE_MS: '1000' }, { store });
    client = new GraphQLTestClient(service.url);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Stubborn Sam', seed: 70 } });
    await waitFor(async () => (await client.request(EmbeddingStatusDocument, { characterId: createCharacter.id })).embeddingStatus.status === 'completed', 'set completed');
    const folder = path.join(storeRoot, 'objects', 'characters', 'dev', createCharacter.slug);

    store.removalsFail = true;
    expect(await client.execute(DeleteCharacterDocument, { id: createCharacter.id })).toEqual({ data: { deleteCharacter: true } });
    expect((await client.execute(CharacterDocument, { id: createCharacter.id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await client.execute(DeleteCharacterDocument, { id: createCharacter.id })).toEqual({ data: { deleteCharacter: true } });
    await access(folder);

    store.removalsFail = false;
    await waitFor(async () => (await client.execute(DeleteCharacterDocument, { id: createCharacter.id })).errors?.[0]?.extensions?.code === 'NOT_FOUND', 'the removal finished by the sweep');
    await expect(access(folder)).rejects.toThrow();
  });
});
