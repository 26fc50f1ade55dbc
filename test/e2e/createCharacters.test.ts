// createCharacters as a client uses it: one outcome per input in input order, a bad input failing only
// itself, the per-user daily limit still counting input by input, and empty or oversized batches refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CharactersDocument, CreateCharactersDocument } from '../../src/generated/graphql/graphql.js';
import { MAX_BATCH_SIZE } from '../../src/pipeline/createCharacters.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';

const DAILY_LIMIT = 4;

describe('createCharacters', () => {
  let service: TestService;
  let client: GraphQLTestClient;
  beforeAll(async () => {
    service = await startTestService({ USER_MAX_CHARACTERS_PER_DAY: String(DAILY_LIMIT) });
    client = new GraphQLTestClient(service.url);
  });
  afterAll(async () => {
    await client?.close();
    await service?.destroy();
  });

  it('creates the good inputs and reports the bad one by its index, without creating it', async () => {
    const { createCharacters } = await client.request(CreateCharactersDocument, {
      inputs: [{ name: 'Ada', seed: 1 }, { name: '../escape' }, { name: 'Brann', traits: [{ key: 'hair', value: 'red' }] }],
    });
    expect(createCharacters.map((outcome) => outcome.__typename)).toEqual(['CharacterCreated', 'CharacterCreationFailed', 'CharacterCreated']);
    const [first, bad, third] = createCharacters;
    expect(first?.__typename === 'CharacterCreated' && first.character.name).toBe('Ada');
    expect(third?.__typename === 'CharacterCreated' && third.character.name).toBe('Brann');
    expect(bad).toMatchObject({ index: 1, code: 'BAD_USER_INPUT', field: 'name' });
    const { characters } = await client.request(CharactersDocument, {});
    expect(characters.map((character) => character.name).sort()).toEqual(['Ada', 'Brann']);
  });

  it('applies the per-user daily limit to each input, so the inputs past it fail with RATE_LIMITED', async () => {
    const { createCharacters } = await client.request(CreateCharactersDocument, { inputs: [{ name: 'Cid' }, { name: 'Dov' }, { name: 'Eve' }] });
    // Two of the day's four places were used by the test above.
    expect(createCharacters.map((outcome) => outcome.__typename)).toEqual(['CharacterCreated', 'CharacterCreated', 'CharacterCreationFailed']);
    expect(createCharacters[2]).toMatchObject({ index: 2, code: 'RATE_LIMITED', limit: 'charactersPerDay' });
    expect(createCharacters[2]?.__typename === 'CharacterCreationFailed' && createCharacters[2].retryAfterSeconds).toBeGreaterThan(0);
    const { characters } = await client.request(CharactersDocument, {});
    expect(characters).toHaveLength(DAILY_LIMIT);
  });

  it.each([
    ['an empty batch', 0],
    ['an oversized batch', MAX_BATCH_SIZE + 1],
  ])('refuses %s with BAD_USER_INPUT', async (_, size) => {
    const inputs = Array.from({ length: size }, (_, i) => ({ name: `N${i}` }));
    const result = await client.execute(CreateCharactersDocument, { inputs });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(String(size === 0 ? 'at least one' : MAX_BATCH_SIZE));
  });
});
