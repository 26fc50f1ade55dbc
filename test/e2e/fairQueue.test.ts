// Sets waiting for a worker start in their owners' order, not in arrival order: an owner's first waiting set goes
// before another owner's second, however early that second one arrived. Seen as a client sees it: which set
// turns 'generating' when a slot frees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelReferenceSetDocument, CreateCharacterDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { AUDIENCE, hs256Token, ISSUER, SECRET } from '../auth/support/tokens.js';
import { GatedGenerator } from '../support/generators.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

describe('the queue of waiting sets', () => {
  let service: TestService;
  const generator = new GatedGenerator();
  const clients: GraphQLTestClient[] = [];
  const userClient = async (username: string) => {
    const client = new GraphQLTestClient(service.url, { authorization: `Bearer ${await hs256Token(username)}` });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // Two workers: the in-process queue keeps the second for an owner running no set.
    service = await startTestService({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, WORKER_CONCURRENCY: '2', USER_MAX_GENERATING: '10', GENERATOR_MAX_CONCURRENCY: '100' }, { generator });
  });
  afterAll(async () => {
    generator.open();
    await Promise.all(clients.map((client) => client.close()));
    await service?.destroy();
  });

  it("starts another owner's first set before an owner's second, though the second arrived first", async () => {
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map(userClient));
    const create = async (client: GraphQLTestClient, name: string) => (await client.request(CreateCharacterDocument, { input: { name } })).createCharacter.id;
    const statusOf = async (client: GraphQLTestClient, id: string) => (await client.request(EmbeddingStatusDocument, { characterId: id })).embeddingStatus.status;
    const generating = (client: GraphQLTestClient, id: string, what: string) => waitFor(async () => (await statusOf(client, id)) === 'generating', what);
    /** Waits for a freed slot to be taken by one of the waiting sets, then answers each one's status. */
    const nextStarted = async (waiting: [GraphQLTestClient, string][]) => {
      let statuses: string[] = [];
      await waitFor(async () => {
        statuses = await Promise.all(waiting.map(([client, id]) => statusOf(client, id)));
        return statuses.includes('generating');
      }, 'a waiting set generating once a slot freed');
      return statuses;
    };

    const aliceFirst = await create(alice, 'Alice One');
    await generating(alice, aliceFirst, "alice's first set generating");
    const aliceSecond = await create(alice, 'Alice Two');
    const aliceThird = await create(alice, 'Alice Three');
    const bobFirst = await create(bob, 'Bob One');
    await generating(bob, bobFirst, "bob's set generating in the slot kept for others");
    const carolFirst = await create(carol, 'Carol One');
    expect(await Promise.all([statusOf(alice, aliceSecond), statusOf(alice, aliceThird), statusOf(carol, carolFirst)])).toEqual(['pending', 'pending', 'pending']);

    await alice.request(CancelReferenceSetDocument, { characterId: aliceFirst });
    expect(await nextStarted([[carol, carolFirst], [alice, aliceSecond], [alice, aliceThird]])).toEqual(['generating', 'pending', 'pending']);

    await bob.request(CancelReferenceSetDocument, { characterId: bobFirst });
    expect(await nextStarted([[alice, aliceSecond], [alice, aliceThird]])).toEqual(['generating', 'pending']);
  });
});
