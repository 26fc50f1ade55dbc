// Refused exports: a clear GraphQL error with a code, and no archive written. Another user's character is
// NOT_FOUND, and its stored archive is not served to them.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportTrainingSetDocument } from '../../src/generated/graphql/graphql.js';
import { AUDIENCE, hs256Token, ISSUER, SECRET } from '../auth/support/tokens.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { createFinishedCharacter } from './support/exports.js';
import { FailuresByName } from './support/generators.js';

async function exportedFiles(objectsDir: string): Promise<string[]> {
  const entries = await readdir(objectsDir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && entry.parentPath.split(path.sep).includes('exports')).map((entry) => entry.name);
}

const raw = (query: string) => parse(query) as TypedDocumentNode<unknown, Record<string, unknown>>;

describe('refused training-set exports', () => {
  let service: TestService;
  let client: GraphQLTestClient;
  let mira: string;
  let broken: string;

  beforeAll(async () => {
    service = await startTestService({}, { generator: new FailuresByName({ 'Broken Bell': 'all' }) });
    client = new GraphQLTestClient(service.url);
    [mira, broken] = await Promise.all([createFinishedCharacter(client, { name: 'Mira Thorn', seed: 1 }), createFinishedCharacter(client, { name: 'Broken Bell', seed: 2 })]);
  });
  afterAll(async () => {
    await client?.close();
    await service?.destroy();
  });

  it('refuses an unknown format as a GraphQL validation error, inline or in a variable', async () => {
    const inline = await client.execute(raw(`mutation { exportTrainingSet(characterId: "${mira}", format: LORA_MAGIC) { url } }`), {});
    expect(inline.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(inline.errors?.[0]?.message).toMatch(/TrainingSetFormat/);
    const variable = await client.execute(raw('mutation($f: TrainingSetFormat!) { exportTrainingSet(characterId: "' + mira + '", format: $f) { url } }'), { f: 'kohya' });
    expect(variable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await exportedFiles(service.config.objectsDir)).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['a space', 'mira thorn'],
    ['a path', '../../../etc/passwd'],
    ['a slash', 'a/b'],
    ['a control character', 'mira\u0007'],
    ['an oversized word', 'x'.repeat(500)],
    ['uppercase', 'MIRA'],
  ])('refuses a trigger word with %s as BAD_USER_INPUT on triggerWord, writing nothing', async (_, triggerWord) => {
    const result = await client.execute(ExportTrainingSetDocument, { characterId: mira, format: 'KOHYA', triggerWord });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'triggerWord' });
    expect(await exportedFiles(service.config.objectsDir)).toEqual([]);
  });

  it('refuses a set with no completed image, saying why each variation is missing', async () => {
    const result = await client.execute(ExportTrainingSetDocument, { characterId: broken, format: 'DIFFUSERS' });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/^no completed image to export \(portrait_front: generation failed: .*injected failure/);
    expect(await exportedFiles(service.config.objectsDir)).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    const unknown = await client.execute(ExportTrainingSetDocument, { characterId: '0123456789abcdef01234567', format: 'KOHYA' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await client.execute(ExportTrainingSetDocument, { characterId: '../exports', format: 'KOHYA' });
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe("another user's training set", () => {
  let service: TestService;
  const clients: GraphQLTestClient[] = [];
  const bearer = async (username: string) => ({ authorization: `Bearer ${await hs256Token(username)}` });

  beforeAll(async () => {
    service = await startTestService({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await service?.destroy();
  });

  it('is NOT_FOUND to export, and its archive is not served, to anyone but the owner', async () => {
    const aliceHeaders = await bearer('alice');
    const bobHeaders = await bearer('bob');
    const alice = new GraphQLTestClient(service.url, aliceHeaders);
    const bob = new GraphQLTestClient(service.url, bobHeaders);
    clients.push(alice, bob);
    const characterId = await createFinishedCharacter(alice, { name: 'Secret Agent', seed: 5 });
    const { exportTrainingSet } = await alice.request(ExportTrainingSetDocument, { characterId, format: 'KOHYA' });

    const foreign = await bob.execute(ExportTrainingSetDocument, { characterId, format: 'KOHYA' });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(foreign.errors?.[0]?.message).toBe(`no character with id ${characterId}`);

    expect((await fetch(exportTrainingSet.url, { headers: aliceHeaders })).status).toBe(200);
    expect((await fetch(exportTrainingSet.url, { headers: bobHeaders })).status).toBe(404);
    expect((await fetch(exportTrainingSet.url)).status).toBe(401);
  });
});
