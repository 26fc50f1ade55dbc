// Bad input gets a clear GraphQL error with a code (or an HTTP 4xx), never a 500, and never a file outside
// the character's storage folder.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CharacterDocument, CreateCharacterDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { rawGet } from '../support/rawHttp.js';
import { startTestService, type TestService } from '../support/service.js';

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

describe('bad input', () => {
  let service: TestService;
  let client: GraphQLTestClient;
  beforeAll(async () => {
    service = await startTestService();
    client = new GraphQLTestClient(service.url);
  });
  afterAll(async () => {
    await client?.close();
    await service?.destroy();
  });

  it.each([
    ['an empty name', { name: '' }],
    ['an oversized name', { name: 'n'.repeat(5000) }],
    ['a name escaping the folder', { name: '../../etc' }],
    ['a name with a slash', { name: 'a/b' }],
    ['a NUL byte', { name: 'a\u0000b' }],
    ['a right-to-left override', { name: 'txt.\u202Eexe' }],
    ['an oversized description', { name: 'A', description: 'd'.repeat(10_000) }],
    ['a negative seed', { name: 'A', seed: -5 }],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_, input) => {
    const before = await listFiles(service.config.objectsDir);
    const result = await client.execute(CreateCharacterDocument, { input });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message.length).toBeGreaterThan(5);
    expect(await listFiles(service.config.objectsDir)).toEqual(before);
  });

  it('keeps unusual but harmless display names as given, stored under a safe slug', async () => {
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Zoë «龍» O\'Neil' } });
    expect(createCharacter.name).toBe('Zoë «龍» O\'Neil');
    expect(createCharacter.slug).toMatch(/^zoe-o-neil-[0-9a-f]{8}$/);
    const files = await listFiles(service.config.objectsDir);
    expect(files.every((file) => file.startsWith(`characters${path.sep}dev${path.sep}`))).toBe(true);
  });

  it.each([56, 57, 64, 73, 99, 100])('creates a character with a %i-character name, in a safe folder', async (length) => {
    const name = Array.from({ length }, (_, i) => (i % 7 === 6 ? ' ' : 'abcdefghij'[i % 10])).join('').replace(/ $/, 'z');
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name } });
    expect(createCharacter.name).toBe(name);
    expect(createCharacter.slug.length).toBeLessThanOrEqual(64);
    expect(createCharacter.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*-[0-9a-f]{8}$/);
    const files = await listFiles(path.join(service.config.objectsDir, 'characters', 'dev', createCharacter.slug));
    expect(files).toContain(path.join('avatar', 'avatar.png'));
  });

  it.each([
    ['joined emoji', '🧙‍♀️ Mira 👩🏽‍🚀', /^mira-[0-9a-f]{8}$/],
    ['flags and a keycap', '🇫🇷 🏳️‍🌈 Agent 0️⃣', /^agent-0-[0-9a-f]{8}$/],
    ['Persian with a ZWNJ', 'می‌خواهم', /^character-[0-9a-f]{8}$/],
    ['a Hindi conjunct', 'क्‍षमा', /^character-[0-9a-f]{8}$/],
  ])('keeps a name with %s as given', async (_, name, slug) => {
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name } });
    expect(createCharacter.name).toBe(name);
    expect(createCharacter.slug).toMatch(slug);
  });

  it.each([
    ['a left-to-right isolate', 'Mira⁦Thorn⁩'],
    ['a zero-width joiner between scripts', 'pay‍рal'],
  ])('refuses %s with BAD_USER_INPUT', async (_, name) => {
    const result = await client.execute(CreateCharacterDocument, { input: { name } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers NOT_FOUND for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    const unknown = await client.execute(EmbeddingStatusDocument, { characterId: '0123456789abcdef01234567' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await client.execute(CharacterDocument, { id: "'; drop table --" });
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers the REST route with 404 and 400, in JSON', async () => {
    const unknown = await fetch(`${service.url}/api/characters/0123456789abcdef01234567/embedding-status`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ success: false, code: 'NOT_FOUND' });
    const malformed = await fetch(`${service.url}/api/characters/%2E%2E%2Fetc/embedding-status`);
    expect(malformed.status).toBe(400);
  });

  it('refuses oversized bodies and broken JSON with 4xx', async () => {
    const huge = await fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ __typename }`, pad: 'x'.repeat(2_000_000) }) });
    expect(huge.status).toBe(413);
    const broken = await fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(broken.status).toBe(400);
  });

  it('never serves files outside the object store', async () => {
    // Sent raw: fetch would normalise the `..` away before the server saw it.
    for (const probe of ['/files/../package.json', '/files/%2e%2e/%2e%2e/package.json', '/files/characters/../../package.json', '/files/..%2F..%2Fpackage.json', '/files/characters%2F..%2F..%2Fpackage.json']) {
      const response = await rawGet(service.url, probe);
      expect(response.status, probe).toBe(404);
    }
  });
});
