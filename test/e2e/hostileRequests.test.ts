// 1,000 generated malformed or hostile requests against an authenticated service (most with a valid token,
// so they reach the GraphQL parser and resolvers): none may get a 5xx or an internal error, nothing may be
// logged as an unexpected failure, and the server answers normally afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CharactersDocument, CreateCharacterDocument } from '../../src/generated/graphql/graphql.js';
import { AUDIENCE, hs256Token, ISSUER, SECRET } from '../auth/support/tokens.js';
import { hostileHttpRequest, hostileSocketMessages, seededRandom } from '../auth/support/hostile.js';
import { handshake } from '../auth/support/webSocket.js';
import { GatedGenerator } from '../support/generators.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { ERROR_LEVEL, recordingLogger } from '../support/logs.js';
import { startTestService, type TestService } from '../support/service.js';

const HTTP_CASES = 900;
const SOCKET_CASES = 100;
const PARALLEL = 12;
const SEED = 20261124;


async function inParallel<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  }));
}

describe('1,000 hostile requests', () => {
  let service: TestService;
  let headers: Record<string, string>;
  const generator = new GatedGenerator();
  const recorded = recordingLogger('warn');

  beforeAll(async () => {
    service = await startTestService({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, LOG_LEVEL: 'warn', GENERATOR_MAX_CONCURRENCY: '100' }, { generator, logger: recorded.logger });
    headers = { authorization: `Bearer ${await hs256Token('mallory', { expiresIn: 3_600 })}` };
  });
  afterAll(async () => {
    generator.open();
    await service?.destroy();
  });

  it('never answers 5xx or an internal error, logs no unexpected failure, and still serves afterwards', async () => {
    const random = seededRandom(SEED);
    const requests = Array.from({ length: HTTP_CASES }, () => hostileHttpRequest(random, headers));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    await inParallel(requests, PARALLEL, async (request, index) => {
      const response = await fetch(`${service.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
      const text = await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500 || text.includes('INTERNAL_SERVER_ERROR')) failures.push(`#${index} ${request.kind} ${request.method} ${request.path.slice(0, 80)} → ${response.status} ${text.slice(0, 300)}`);
    });

    const socketCases = Array.from({ length: SOCKET_CASES }, () => hostileSocketMessages(random));
    await inParallel(socketCases, PARALLEL, async (messages, index) => {
      const closed = await handshake(service.url, headers, messages, 500);
      // 4400 (bad message) and 4409 (duplicate id) are the protocol's answers to a misbehaving client; 4500/1011 are server faults.
      if (closed.code === 4500 || closed.code === 1011) failures.push(`socket #${index} closed ${closed.code} ${closed.reason}`);
      const internal = closed.messages.find((message) => JSON.stringify(message).includes('INTERNAL_SERVER_ERROR'));
      if (internal) failures.push(`socket #${index} internal error ${JSON.stringify(internal).slice(0, 300)}`);
    });

    expect(failures).toEqual([]);
    expect(recorded.entries.filter((entry) => entry.level >= ERROR_LEVEL)).toEqual([]);
    // The cases really covered refusals of several kinds, not one repeated answer.
    expect([...statuses.keys()].filter((status) => status >= 400).length).toBeGreaterThanOrEqual(4);

    const health = await fetch(`${service.url}/health`);
    expect(health.status).toBe(200);
    const client = new GraphQLTestClient(service.url, { authorization: `Bearer ${await hs256Token('trent')}` });
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'After The Storm', description: 'calm again' } });
    expect((await client.request(CharactersDocument, { limit: 5 })).characters.map((c) => c.id)).toEqual([createCharacter.id]);
    await client.close();
  });
});
