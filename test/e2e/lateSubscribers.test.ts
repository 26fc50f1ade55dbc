// Subscribers that join a set at any moment (before its first image, in the middle, after its end), each on
// its own graphql-ws connection as separate clients would: every one receives the 10 variation events and one
// `done`, each once, in sequence order, with what happened before it joined marked as replayed, and without
// calling embeddingStatus to catch up. A reconnecting client's `after` gets exactly the rest.
import { afterEach, describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { CreateCharacterDocument, EmbeddingProgressDocument, EmbeddingStatusDocument, type EmbeddingProgressSubscription } from '../../src/generated/graphql/graphql.js';
import { ScriptedGenerator } from '../support/generators.js';
import { collect, GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

type ProgressEvent = EmbeddingProgressSubscription['embeddingProgress'];

describe('subscribers joining a set late', () => {
  let service: TestService | undefined;
  const clients: GraphQLTestClient[] = [];
  const generator = new ScriptedGenerator();
  afterEach(async () => {
    generator.release();
    await Promise.all(clients.map((client) => client.close()));
    await service?.destroy();
  });

  /** A new client (its own WebSocket) that subscribes now and collects until the server completes the stream. */
  function join(characterId: string, after?: number): Promise<ProgressEvent[]> {
    const client = new GraphQLTestClient(service!.url);
    clients.push(client);
    return collect(client.subscribe(EmbeddingProgressDocument, { characterId, after })).then((results) =>
      results.map((result) => {
        expect(result.errors).toBeUndefined();
        return result.data!.embeddingProgress;
      }),
    );
  }

  function expectWholeSet(events: ProgressEvent[], who: string): void {
    const sequences = events.map((event) => event.sequence);
    expect(sequences, `${who}: sequence order, no duplicate`).toEqual([...sequences].sort((a, b) => a - b).filter((sequence, i, all) => all.indexOf(sequence) === i));
    expect(events.map((event) => event.kind), who).toEqual([...VARIATION_TYPES.map(() => 'variation'), 'done']);
    expect(events.map((event) => event.variation).slice(0, 10).sort(), who).toEqual([...VARIATION_TYPES].sort());
    expect(events.at(-1), who).toMatchObject({ status: 'completed', completed: 10, failed: 0, total: 10 });
    // Counts grow one image at a time, replayed or live.
    expect(events.slice(0, 10).map((event) => event.completed), who).toEqual(VARIATION_TYPES.map((_, i) => i + 1));
    for (const event of events.slice(0, 10)) expect(event.url, who).toMatch(/\/files\/characters\/.+\.png/);
  }

  it('gives every subscriber the whole set once, wherever it joined', async () => {
    service = await startTestService({ GENERATOR_MAX_CONCURRENCY: '1' }, { generator });
    const client = new GraphQLTestClient(service.url);
    clients.push(client);
    const completed = async (id: string) => (await client.request(EmbeddingStatusDocument, { characterId: id })).embeddingStatus.completed;
    generator.hold();
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Late Subscriber', seed: 1_200 } });
    const id = createCharacter.id;

    await waitFor(async () => generator.held.length === 1, 'the first request at the backend');
    const fromStart = join(id);
    for (let stored = 1; stored <= 3; stored++) {
      await waitFor(async () => generator.held.length === 1, 'a request at the backend');
      generator.letThrough();
      await waitFor(async () => (await completed(id)) === stored, `image ${stored} stored`);
    }
    const afterThree = join(id);
    // The rest lands while the late subscriber is still being set up: replay and live must meet without a gap.
    generator.release();
    const [early, middle] = await Promise.all([fromStart, afterThree]);
    const afterEnd = await join(id);

    expectWholeSet(early, 'joined before the first image');
    expectWholeSet(middle, 'joined after three images');
    expectWholeSet(afterEnd, 'joined after the end');
    expect(middle.filter((event) => event.replayed).length, 'the three stored before joining are replayed').toBeGreaterThanOrEqual(3);
    expect(afterEnd.every((event) => event.replayed)).toBe(true);
    // All three saw the same history.
    expect(middle.map((event) => event.sequence)).toEqual(early.map((event) => event.sequence));
    expect(afterEnd.map((event) => [event.sequence, event.variation, event.url])).toEqual(early.map((event) => [event.sequence, event.variation, event.url]));

    // A client reconnecting with the last number it has gets exactly what it missed.
    const resumed = await join(id, early[4]!.sequence);
    expect(resumed.map((event) => event.sequence)).toEqual(early.slice(5).map((event) => event.sequence));
  });
});
