// Two users and an admin on one authenticated service: B cannot read, list, subscribe to or download A's
// characters through any route; bad or missing tokens are refused the same way everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/apiKeys.js';
import { CharacterDocument, CharactersDocument, CreateCharacterDocument, EmbeddingProgressDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { asymmetricToken, AUDIENCE, hs256Token, ISSUER, SECRET, signingKey, startJwksServer, type JwksServer, type SigningKey } from '../auth/support/tokens.js';
import { handshake } from '../auth/support/webSocket.js';
import { GatedGenerator } from '../support/generators.js';
import { collect, GraphQLTestClient } from '../support/graphqlClient.js';
import { rawGet } from '../support/rawHttp.js';
import { startTestService, type TestService } from '../support/service.js';

const API_KEY = 'backend-key-0123456789-abcdefghijklmnopqrstuvwxyz';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('accounts and access, end to end', () => {
  let service: TestService;
  const generator = new GatedGenerator();
  const clients: GraphQLTestClient[] = [];
  let alice: GraphQLTestClient;
  let bob: GraphQLTestClient;
  let admin: GraphQLTestClient;
  let aliceHeaders: Record<string, string>;
  let bobHeaders: Record<string, string>;
  let aliceCharacter: { id: string; avatarUrl: string; slug: string };

  const client = (headers: Record<string, string>) => {
    const created = new GraphQLTestClient(service.url, headers);
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    service = await startTestService(
      { AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, AUTH_API_KEYS: `backend:${hashApiKey(API_KEY)}`, USER_MAX_GENERATING: '2', GENERATOR_MAX_CONCURRENCY: '100' },
      { generator },
    );
    aliceHeaders = bearer(await hs256Token('alice'));
    bobHeaders = bearer(await hs256Token('bob'));
    alice = client(aliceHeaders);
    bob = client(bobHeaders);
    admin = client(bearer(await hs256Token('ops', { claims: { roles: ['charsheet-admin'] } })));
    ({ createCharacter: aliceCharacter } = await alice.request(CreateCharacterDocument, { input: { name: 'Secret Agent', description: 'a spy', seed: 3 } }));
  });
  afterAll(async () => {
    generator.open();
    await Promise.all(clients.map((c) => c.close()));
    await service?.destroy();
  });

  it("answers NOT_FOUND for A's character to B, through every query", async () => {
    expect((await alice.request(CharacterDocument, { id: aliceCharacter.id })).character.ownerUsername).toBe('alice');
    for (const result of [await bob.execute(CharacterDocument, { id: aliceCharacter.id }), await bob.execute(EmbeddingStatusDocument, { characterId: aliceCharacter.id })]) {
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  it("lists only the caller's own characters; the admin sees all", async () => {
    await bob.request(CreateCharacterDocument, { input: { name: 'Bob Own', description: 'a baker' } });
    const bobs = (await bob.request(CharactersDocument, { limit: 100 })).characters.map((c) => c.name);
    expect(bobs).toEqual(['Bob Own']);
    const all = (await admin.request(CharactersDocument, { limit: 100 })).characters.map((c) => c.name);
    expect(all).toEqual(expect.arrayContaining(['Bob Own', 'Secret Agent']));
    expect((await admin.request(CharacterDocument, { id: aliceCharacter.id })).character.name).toBe('Secret Agent');
  });

  it("refuses B a subscription to A's progress with NOT_FOUND", async () => {
    const events = await collect(bob.subscribe(EmbeddingProgressDocument, { characterId: aliceCharacter.id }));
    expect(events).toHaveLength(1);
    expect(events[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it("answers 404 to B on the REST status route, and 200 to A", async () => {
    const route = `${service.url}/api/characters/${aliceCharacter.id}/embedding-status`;
    expect((await fetch(route, { headers: bobHeaders })).status).toBe(404);
    expect((await fetch(route, { headers: aliceHeaders })).status).toBe(200);
    expect((await fetch(route)).status).toBe(401);
  });

  it("serves A's stored images to A only, and lists no folder to anyone", async () => {
    // The path on this server: stored URLs carry the configured public base, not the test's random port.
    const avatar = `${service.url}${new URL(aliceCharacter.avatarUrl).pathname}`;
    expect((await fetch(avatar, { headers: aliceHeaders })).status).toBe(200);
    expect((await fetch(avatar, { headers: bobHeaders })).status).toBe(404);
    expect((await fetch(avatar)).status).toBe(401);
    const folder = avatar.slice(0, avatar.lastIndexOf('/'));
    for (const listing of [`${service.url}/files/`, `${service.url}/files/characters/`, `${service.url}/files/characters/alice/`, `${folder}/`, folder]) {
      const response = await fetch(listing, { headers: aliceHeaders });
      expect(response.status, listing).toBe(404);
      expect(await response.text()).not.toContain('.png');
    }
  });

  it("does not serve alice's images to 'Alice': usernames differ by case, storage folders do not (owner match is case-sensitive)", async () => {
    const avatar = new URL(aliceCharacter.avatarUrl).pathname;
    expect((await rawGet(service.url, avatar, aliceHeaders)).status).toBe(200);
    expect((await rawGet(service.url, avatar, bearer(await hs256Token('Alice')))).status).toBe(404);
  });

  // The server's URL parser folds `..` and `%2e%2e` segments itself; what survives it are encoded slashes,
  // which reach the local store's guard (resolveObjectPath) inside a folder the caller may read.
  it.each([
    ['a plain ..', (folder: string) => `${folder}/../../../../../../../../../etc/passwd`],
    ['%2e%2e segments', (folder: string) => `${folder}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd`],
    ['encoded slashes', (folder: string) => `${folder}/..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd`],
    ['encoded dots and slashes', (folder: string) => `${folder}/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd`],
    ['a traversal outside /files/', () => '/files/../package.json'],
  ])('answers 404 to the owner for a path-traversal probe sent raw (%s): the store guard, not the client, refuses', async (_, probe) => {
    const avatar = new URL(aliceCharacter.avatarUrl).pathname;
    const response = await rawGet(service.url, probe(avatar.slice(0, avatar.lastIndexOf('/'))), aliceHeaders);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('root:');
  });

  it.each([
    ['missing', async () => ({})],
    ['expired', async () => bearer(await hs256Token('alice', { expiresIn: -600 }))],
    ['wrongly signed', async () => bearer(await hs256Token('alice', { secret: 'not-the-secret-but-long-enough-for-hs256!!' }))],
    ['for another audience', async () => bearer(await hs256Token('alice', { audience: 'another-service' }))],
    ['an unknown API key', async () => ({ 'x-api-key': 'guessed-key', 'x-on-behalf-of': 'alice' })],
  ])('refuses a %s credential with UNAUTHENTICATED (HTTP 401)', async (_, headers) => {
    const response = await fetch(`${service.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await headers()) },
      body: JSON.stringify({ query: 'query { characters { id name } }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    const body = (await response.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('lets the app backend act for a user with an API key', async () => {
    const backend = client({ 'x-api-key': API_KEY, 'x-on-behalf-of': 'alice' });
    const { characters } = await backend.request(CharactersDocument, { limit: 10 });
    expect(characters.map((c) => c.id)).toContain(aliceCharacter.id);
  });

  it('closes a WebSocket with 4401 without a token and 4403 with a bad one; accepts a good one', async () => {
    expect(await handshake(service.url, undefined)).toMatchObject({ code: 4401, reason: 'Unauthorized' });
    expect(await handshake(service.url, { authorization: `Bearer ${await hs256Token('alice', { expiresIn: -600 })}` })).toMatchObject({ code: 4403, reason: 'Forbidden' });
    expect((await handshake(service.url, { authorization: 'Bearer not.a.token' })).code).toBe(4403);
    const accepted = await handshake(service.url, aliceHeaders, [], 300);
    expect(accepted.messages.map((m) => m.type)).toEqual(['connection_ack']);
    expect(accepted.code).toBe(1000);
  });

  it('refuses creation beyond the per-user limit with RATE_LIMITED and a retry time, for that user only', async () => {
    // Alice already has one set held in generation; the limit is 2.
    await alice.request(CreateCharacterDocument, { input: { name: 'Second', description: 'another' } });
    const refused = await alice.execute(CreateCharacterDocument, { input: { name: 'Third', description: 'one too many' } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'charactersInGeneration', max: 2 });
    expect(refused.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    const carol = client(bearer(await hs256Token('carol')));
    await expect(carol.request(CreateCharacterDocument, { input: { name: 'Carol One', description: 'a pilot' } })).resolves.toBeDefined();
  });
});

describe('tokens verified against a JWKS, end to end', () => {
  let service: TestService;
  let jwks: JwksServer;
  let key: SigningKey;
  beforeAll(async () => {
    key = await signingKey('ES256', 'login-2026');
    jwks = await startJwksServer([key]);
    service = await startTestService({ AUTH_JWKS_URL: jwks.url, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    await service?.destroy();
    await jwks?.close();
  });

  const query = (headers: Record<string, string>) =>
    fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ characters { id } }' }) });

  it('accepts a token signed by a key of the set and refuses one signed by any other key', async () => {
    expect((await query(bearer(await asymmetricToken(key, 'dana')))).status).toBe(200);
    const impostor = await signingKey('ES256', 'login-2026');
    const refused = await query(bearer(await asymmetricToken(impostor, 'dana')));
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});
