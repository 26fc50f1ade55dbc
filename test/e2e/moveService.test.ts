// Moving the service: stopped, then started on the same DATA_DIR on another port behind another public address
// (PUBLIC_URL naming a proxy in front of it). Every link it hands out still works, for the sets it made and for
// a record an older version wrote, which stored absolute URLs of an address that no longer exists.
import { cp } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { CharacterDocument, CharactersDocument, CreateCharacterDocument, EmbeddingProgressDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { openChildDatabase } from '../support/childDatabase.js';
import { type ChildService, startChildService } from '../support/childService.js';
import { collect, GraphQLTestClient } from '../support/graphqlClient.js';
import { testMongoUri } from '../support/service.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';
import { waitFor } from '../support/waitFor.js';

const PNG_SIGNATURE = '89504e470d0a1a0a';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function expectPng(url: string): Promise<void> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  expect(Buffer.from(await response.arrayBuffer()).subarray(0, 8).toString('hex'), url).toBe(PNG_SIGNATURE);
}

/** A completed set's document as the first versions stored it: absolute URLs beside the keys, no event numbers. */
function legacyDocument(id: Types.ObjectId, slug: string, oldBase: string, at: Date) {
  const key = (file: string) => `characters/dev/${slug}/${file}`;
  const url = (file: string) => `${oldBase}/files/${key(file)}`;
  const variations = VARIATION_TYPES.map((type, n) => ({
    type,
    seed: 3_000 + n + 1,
    prompt: `Legacy Lena, ${type}`,
    status: 'completed',
    attempts: 1,
    url: url(`embeddings/${type}.png`),
    key: key(`embeddings/${type}.png`),
    bytes: 1_000,
    width: 512,
    height: 512,
    generationMs: 15,
    startedAt: at,
    completedAt: at,
  }));
  return {
    _id: id,
    ownerUsername: 'dev',
    ownerSlug: 'dev',
    name: 'Legacy Lena',
    slug,
    description: 'stored by an older version',
    traits: [],
    style: 'digital illustration',
    baseSeed: 3_000,
    avatarUrl: url('avatar/avatar.png'),
    avatarKey: key('avatar/avatar.png'),
    embeddings: {
      imageEmbeddings: {
        metadataUrl: url('embeddings/metadata.json'),
        totalImages: 10,
        cloudinaryUrls: variations.map((variation) => variation.url),
        version: '1.0',
        status: 'completed',
        generationStartedAt: at,
        generationCompletedAt: at,
      },
    },
    variations,
    createdAt: at,
    updatedAt: at,
  };
}

describe('restart on another port and another PUBLIC_URL', () => {
  let dataDir: string | undefined;
  let running: ChildService | undefined;
  let proxy: TcpProxy | undefined;
  afterAll(async () => {
    await running?.stop();
    await proxy?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves every image it ever handed out, including records that stored absolute URLs', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-move-'));
    const mongoUri = testMongoUri();
    const env = { DATA_DIR: dataDir, IMAGE_WIDTH: '64', IMAGE_HEIGHT: '64', IDENTITY: 'off', ...(mongoUri ? { MONGODB_URI: mongoUri } : {}) };
    running = await startChildService(env);
    let client = new GraphQLTestClient(running.url);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Moving Mira', seed: 2_000 } });
    await waitFor(async () => (await client.request(EmbeddingStatusDocument, { characterId: createCharacter.id })).embeddingStatus.status === 'completed', 'set completed');
    const firstBase = running.url;
    await client.close();
    await running.stop();

    // The new home: another port, reached through another address.
    const port = await freePort();
    proxy = await startTcpProxy('127.0.0.1', port);
    const publicUrl = `http://127.0.0.1:${proxy.port}`;
    running = await startChildService({ ...env, PORT: String(port), PUBLIC_URL: publicUrl });
    client = new GraphQLTestClient(publicUrl);

    // An older version's record, beside files laid out as it laid them out.
    const legacyId = new Types.ObjectId();
    const legacySlug = `legacy-lena-${legacyId.toHexString().slice(-8)}`;
    const objects = path.join(dataDir, 'objects', 'characters', 'dev');
    await cp(path.join(objects, createCharacter.slug), path.join(objects, legacySlug), { recursive: true });
    const database = await openChildDatabase(running, mongoUri);
    await database.characters.insertOne(legacyDocument(legacyId, legacySlug, 'http://old-host.invalid:4000', new Date(Date.now() - 86_400_000)));
    await database.close();

    const { characters } = await client.request(CharactersDocument, {});
    expect(characters.map((character) => character.name).sort()).toEqual(['Legacy Lena', 'Moving Mira']);
    for (const id of [createCharacter.id, legacyId.toHexString()]) {
      const { character } = await client.request(CharacterDocument, { id });
      const set = character!.embeddings.imageEmbeddings;
      const urls = [character!.avatarUrl, ...character!.variations.map((variation) => variation.url!), ...set.cloudinaryUrls];
      expect(urls).toHaveLength(21);
      for (const url of urls) {
        expect(url.startsWith(`${publicUrl}/files/`), `${url} is not under PUBLIC_URL`).toBe(true);
        await expectPng(url);
      }
      expect(set.metadataUrl!.startsWith(`${publicUrl}/files/`)).toBe(true);
      expect((await fetch(set.metadataUrl!)).status).toBe(200);
      // The progress stream's replay hands out the same working links.
      const replay = (await collect(client.subscribe(EmbeddingProgressDocument, { characterId: id }))).map((event) => event.data!.embeddingProgress);
      expect(replay.map((event) => event.kind)).toEqual([...VARIATION_TYPES.map(() => 'variation'), 'done']);
      expect(replay.slice(0, 10).map((event) => event.url).sort()).toEqual(character!.variations.map((variation) => variation.url).sort());
    }
    // Nothing points at the addresses the service no longer has.
    const { character } = await client.request(CharacterDocument, { id: createCharacter.id });
    expect(JSON.stringify(character)).not.toContain(firstBase);
    await client.close();
  });
});
