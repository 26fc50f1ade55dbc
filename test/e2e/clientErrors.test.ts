// What a client receives when something fails. Every /graphql failure, including those refused before
// GraphQL runs (malformed JSON, a body too large), has GraphQL's error shape; with authentication on, no
// answer carries a stack trace, an internal error's own text, or a path on the server's disk — and neither
// does a variation's recorded error nor metadata.json.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CharacterDocument, type CharacterQuery, CreateCharacterDocument } from '../../src/generated/graphql/graphql.js';
import type { ObjectStore } from '../../src/ports.js';
import { LocalObjectStore } from '../../src/storage/local.js';
import { AUDIENCE, hs256Token, ISSUER, SECRET } from '../auth/support/tokens.js';
import { GatedGenerator } from '../support/generators.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

const SERVER_PATH = '/srv/charsheet/objects/characters/ada/x/avatar/avatar.png';

describe('errors as clients see them, with authentication on', () => {
  let service: TestService;
  let client: GraphQLTestClient;
  let authorization: string;
  let objectsRoot: string;
  let failNextPut = false;
  const generator = new GatedGenerator();

  beforeAll(async () => {
    objectsRoot = await mkdtemp(path.join(tmpdir(), 'charsheet-objects-'));
    const local = await LocalObjectStore.open(path.join(objectsRoot, 'objects'), path.join(objectsRoot, 'tmp'), () => 'http://127.0.0.1');
    // The local store, except that one write can fail the way an unexpected error would: with a path in it.
    const store: ObjectStore = {
      name: 'local',
      put: async (key, body, type) => {
        if (!failNextPut) return local.put(key, body, type);
        failNextPut = false;
        throw new Error(`ENOENT: no such file or directory, open '${SERVER_PATH}'`);
      },
      get: (key) => local.get(key),
      url: (key, version) => local.url(key, version),
      delete: (key) => local.delete(key),
      deletePrefix: (prefix) => local.deletePrefix(prefix),
    };
    // Apollo decides on stack traces from the process's NODE_ENV, which vitest sets to 'test' (where Apollo
    // hides them anyway); run as an operator would outside production. This file has its own process.
    process.env.NODE_ENV = 'development';
    service = await startTestService({ NODE_ENV: 'development', AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, RETRY_BASE_DELAY_MS: '1' }, { generator, store });
    authorization = `Bearer ${await hs256Token('ada')}`;
    client = new GraphQLTestClient(service.url, { authorization });
  });
  afterAll(async () => {
    generator.open();
    await client?.close();
    await service?.destroy();
    await rm(objectsRoot, { recursive: true, force: true });
  });

  async function graphqlFailure(init: RequestInit & { search?: string }) {
    const response = await fetch(`${service.url}/graphql${init.search ?? ''}`, { ...init, headers: { authorization, ...(init.headers as Record<string, string>) } });
    const text = await response.text();
    expect(text).not.toMatch(/stacktrace|\s+at |file:\/\/|\/work\/|node_modules/);
    const body = JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[]; success?: unknown };
    expect(body.success).toBeUndefined();
    expect(body.errors?.[0]?.message.length).toBeGreaterThan(5);
    return { status: response.status, code: body.errors?.[0]?.extensions?.code };
  }

  it.each([
    ['malformed JSON', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' }, 400, 'BAD_REQUEST'],
    ['a body over MAX_BODY_BYTES', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(1_100_000) }) }, 413, 'PAYLOAD_TOO_LARGE'],
    ['a text/plain body', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' }, 400, 'BAD_REQUEST'],
    ['a JSON body without a query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, 400, 'BAD_REQUEST'],
    ['a batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"query":"{ __typename }"}]' }, 400, 'BAD_REQUEST'],
    ['GET without a query', { method: 'GET', headers: { 'apollo-require-preflight': 'true' } }, 400, 'BAD_REQUEST'],
    ['GET from a plain link (CSRF prevention)', { method: 'GET', search: '?query=%7B__typename%7D' }, 400, 'BAD_REQUEST'],
    ['PUT', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }, 405, 'BAD_REQUEST'],
    ['an unknown field', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ nope }"}' }, 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown character', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ character(id: \\"0123456789abcdef01234567\\") { id } }"}' }, 200, 'NOT_FOUND'],
  ])('answers %s in GraphQL error shape, without a stack trace', async (_, init, status, code) => {
    expect(await graphqlFailure(init)).toEqual({ status, code });
  });

  it('hides an internal error behind a generic message, without its path', async () => {
    failNextPut = true;
    const result = await client.execute(CreateCharacterDocument, { input: { name: 'Broken Store' } });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(result)).not.toContain('/srv/');
    expect(JSON.stringify(result)).not.toContain('ENOENT');
  });

  it('shows a failed write of the local store without the server folder, while it is retried and in metadata.json', async () => {
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Mira Thorn' } });
    // A folder where the front portrait must go: its write fails (EISDIR) until the folder is removed.
    const objects = path.join(objectsRoot, 'objects');
    const blocked = path.join(objects, 'characters', 'ada', createCharacter.slug, 'embeddings', 'portrait_front.png');
    await mkdir(blocked, { recursive: true });
    await writeFile(path.join(blocked, 'keep'), '');
    generator.open();
    const expected = `local: writing characters/ada/${createCharacter.slug}/embeddings/portrait_front.png failed (EISDIR)`;
    let pending: CharacterQuery['character']['embeddings']['imageEmbeddings']['pendingWrites'] = [];
    await waitFor(async () => {
      ({ pendingWrites: pending } = (await client.request(CharacterDocument, { id: createCharacter.id })).character.embeddings.imageEmbeddings);
      return pending.some((write) => write.retries >= 2);
    }, 'the failed write shown as pending');
    expect(pending).toEqual([expect.objectContaining({ what: 'portrait_front', error: expected })]);
    expect(await readdir(blocked)).toEqual(['keep']);

    await rm(blocked, { recursive: true });
    await waitFor(async () => (await client.request(CharacterDocument, { id: createCharacter.id })).character.embeddings.imageEmbeddings.status === 'completed', 'the set completes');
    const metadata = await readFile(path.join(objects, 'characters', 'ada', createCharacter.slug, 'embeddings', 'metadata.json'), 'utf8');
    expect(metadata).not.toContain(objectsRoot);
    expect(metadata).not.toContain(tmpdir());
    // The failed attempts left no temporary files behind.
    expect((await readdir(path.join(objectsRoot, 'tmp'), { recursive: true })).filter((file) => String(file).endsWith('.tmp'))).toEqual([]);
  });
});
