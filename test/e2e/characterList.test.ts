// The caller's characters come in pages, newest first: `offset` skips the newest, so pages follow each other
// without overlap or gaps; an offset out of range is the caller's error.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CharactersDocument, CreateCharacterDocument } from '../../src/generated/graphql/graphql.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';

describe('characters, page by page', () => {
  let service: TestService;
  let client: GraphQLTestClient;
  const names = ['First', 'Second', 'Third', 'Fourth', 'Fifth'];
  beforeAll(async () => {
    service = await startTestService();
    client = new GraphQLTestClient(service.url);
    for (const name of names) await client.request(CreateCharacterDocument, { input: { name } });
  });
  afterAll(async () => {
    await client?.close();
    await service?.destroy();
  });

  const page = async (limit: number, offset: number) => (await client.request(CharactersDocument, { limit, offset })).characters.map((character) => character.name);

  it('pages newest first without overlap', async () => {
    expect(await page(2, 0)).toEqual(['Fifth', 'Fourth']);
    expect(await page(2, 2)).toEqual(['Third', 'Second']);
    expect(await page(2, 4)).toEqual(['First']);
    expect(await page(2, 6)).toEqual([]);
    // Without offset: the first page, as before.
    expect((await client.request(CharactersDocument, { limit: 3 })).characters.map((character) => character.name)).toEqual(['Fifth', 'Fourth', 'Third']);
  });

  it('keeps two same-named characters created in the same second in folders of their own (slug suffix from the id\'s end)', async () => {
    // An ObjectId starts with its creation second: the pair must share it for the test to mean anything.
    let pair: { id: string; slug: string; avatarUrl: string }[] = [];
    for (let tries = 0; tries < 3; tries++) {
      // Sent together: the id is drawn as a request arrives, before the avatar is generated.
      pair = await Promise.all([7, 8].map(async (seed) => (await client.request(CreateCharacterDocument, { input: { name: 'Twin', seed } })).createCharacter));
      if (pair[0]!.id.slice(0, 8) === pair[1]!.id.slice(0, 8)) break;
    }
    expect(pair[0]!.id.slice(0, 8)).toBe(pair[1]!.id.slice(0, 8));
    expect(pair[0]!.slug).not.toBe(pair[1]!.slug);
    const folders = pair.map((character) => path.posix.dirname(path.posix.dirname(new URL(character.avatarUrl).pathname)));
    expect(folders[0]).not.toBe(folders[1]);
    const avatars = await Promise.all(pair.map(async (character) => Buffer.from(await (await fetch(`${service.url}${new URL(character.avatarUrl).pathname}`)).arrayBuffer())));
    expect(avatars[0]!.equals(avatars[1]!)).toBe(false);
  });

  it('refuses a negative or huge offset with BAD_USER_INPUT', async () => {
    for (const offset of [-1, 100_001]) {
      const result = await client.execute(CharactersDocument, { limit: 2, offset });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'offset' });
    }
  });
});
