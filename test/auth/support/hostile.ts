// Generators of malformed and hostile requests for the robustness test: random bytes, wrong JSON shapes,
// garbled and deep documents, fragment bombs, huge strings, random variables, odd routes and headers.
// Deterministic (seeded), so a failure names a case that can be replayed.

export interface HostileHttpRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export type Random = () => number;

/** mulberry32: small, fast, good enough to spread cases. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random: Random, max: number) => Math.floor(random() * max);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)] as T;

const ALPHABET = ['a', 'Z', '{', '}', '(', ')', ':', '$', '!', '"', '\\', '.', '…', '#', '@', ' ', '\n', '\u0000', '\u202e', '龍', '😀', '\ud800', '%', '/'];
export function randomText(random: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += pick(random, ALPHABET);
  return text;
}

/** Plain JSON values of any shape, for variables where a string or an object is expected. */
function randomValue(random: Random, depth = 0): unknown {
  switch (int(random, depth > 2 ? 6 : 8)) {
    case 0: return null;
    case 1: return int(random, 2) ? Number.MAX_SAFE_INTEGER : -int(random, 1e9);
    case 2: return random() * 1e300;
    case 3: return randomText(random, int(random, 40));
    case 4: return int(random, 2) === 0;
    case 5: return 'x'.repeat(int(random, 200_000));
    case 6: return Array.from({ length: int(random, 5) }, () => randomValue(random, depth + 1));
    default: return Object.fromEntries(Array.from({ length: int(random, 4) }, () => [randomText(random, 5), randomValue(random, depth + 1)]));
  }
}

const VALID_DOCUMENTS = [
  'mutation C($input: CreateCharacterInput!) { createCharacter(input: $input) { id name avatarUrl variations { type status } } }',
  'query Q($id: ID!) { character(id: $id) { id name traits { key value } } }',
  'query L($limit: Int!) { characters(limit: $limit) { id name } }',
  'query S($characterId: ID!) { embeddingStatus(characterId: $characterId) { status totalImages images { type url } } }',
  '{ __schema { types { name fields { name } } } }',
];

function garble(random: Random, text: string): string {
  const chars = [...text];
  for (let edits = 1 + int(random, 6); edits > 0; edits--) {
    const at = int(random, chars.length + 1);
    const op = int(random, 3);
    if (op === 0) chars.splice(at, 1);
    else if (op === 1) chars.splice(at, 0, pick(random, ALPHABET));
    else chars.splice(at, 1, pick(random, ALPHABET));
  }
  return chars.join('');
}

/** Documents built to be expensive: deep, wide, self-multiplying. */
function expensiveDocument(random: Random): string {
  const n = 1 + int(random, 60_000);
  switch (int(random, 7)) {
    case 0: return '{'.repeat(n);
    case 1: return `${'{ characters { traits '.repeat(Math.min(n, 20_000))}`;
    case 2: return `{ __schema { types { ${'ofType { '.repeat(Math.min(n, 5_000))}name${' }'.repeat(Math.min(n, 5_000))} } } }`;
    case 3: {
      const levels = 10 + int(random, 40);
      const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i + 1} on Character { ...F${i} ...F${i} }`).join(' ');
      return `{ characters(limit: 100) { ...F${levels} } } fragment F0 on Character { id name variations { url } } ${fragments}`;
    }
    case 4: return `{ ${Array.from({ length: Math.min(n, 5_000) }, (_, i) => `a${i}: characters(limit: 100) { id }`).join(' ')} }`;
    case 5: return `{ ${'__typename '.repeat(Math.min(n, 100_000))}}`;
    default: return `query { characters ${'@skip(if: false) '.repeat(Math.min(n, 20_000))}{ id } }`;
  }
}

function graphQLBody(random: Random): { kind: string; body: string } {
  switch (int(random, 8)) {
    case 0: return { kind: 'random bytes', body: randomText(random, int(random, 3_000)) };
    case 1: return { kind: 'wrong JSON shape', body: JSON.stringify(pick(random, [[], null, 42, 'query', { query: 42 }, { query: null, variables: [] }, { query: '{ __typename }', variables: 'x' }, { query: '{ __typename }', operationName: 5 }, { query: '{ __typename }', extensions: 'x' }, [{ query: '{ __typename }' }, { query: '{ __typename }' }]])) };
    case 2: return { kind: 'garbled document', body: JSON.stringify({ query: garble(random, pick(random, VALID_DOCUMENTS)), variables: randomValue(random) }) };
    case 3: return { kind: 'expensive document', body: JSON.stringify({ query: expensiveDocument(random) }) };
    case 4: {
      const name = pick(random, [randomText(random, int(random, 300)), 'n'.repeat(int(random, 600_000)), '', null, 7]);
      const input = { name, description: int(random, 2) ? 'd'.repeat(int(random, 300_000)) : randomValue(random), traits: int(random, 2) ? Array.from({ length: int(random, 20_000) }, (_, i) => ({ key: `k${i}`, value: 'v' })) : randomValue(random), style: randomValue(random), seed: randomValue(random) };
      return { kind: 'hostile createCharacter input', body: JSON.stringify({ query: VALID_DOCUMENTS[0], variables: { input } }) };
    }
    case 5: return { kind: 'random ids', body: JSON.stringify({ query: pick(random, VALID_DOCUMENTS.slice(1, 4)), variables: { id: randomValue(random), characterId: pick(random, [randomText(random, 24), '0'.repeat(24), randomValue(random)]), limit: randomValue(random) } }) };
    case 6: return { kind: 'unknown operation name', body: JSON.stringify({ query: VALID_DOCUMENTS.join('\n'), operationName: randomText(random, 8) }) };
    default: return { kind: 'lone surrogates and NULs', body: `{"query":"{ character(id: \\"\\ud800\\u0000\\") { id } }","variables":{"x":"\\udfff"}}` };
  }
}

/** One hostile HTTP request; `credentials` are the headers of a valid user, used for most requests. */
export function hostileHttpRequest(random: Random, credentials: Record<string, string>): HostileHttpRequest {
  const headers: Record<string, string> = int(random, 5) === 0
    ? { authorization: pick(random, ['Bearer', 'Bearer ' + 'A'.repeat(int(random, 12_000)), 'Bearer a.b.c', `Basic ${randomText(random, 20)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJyb290In0.', randomText(random, 50)]).replace(/[^\x20-\x7e]/g, '?') }
    : { ...credentials };
  const route = int(random, 10);
  if (route < 7) {
    const { kind, body } = graphQLBody(random);
    return { kind, method: 'POST', path: '/graphql', headers: { ...headers, 'content-type': pick(random, ['application/json', 'application/json', 'application/json', 'text/plain', 'application/graphql', 'multipart/form-data; boundary=x']) }, body };
  }
  if (route === 7) {
    const query = encodeURIComponent((int(random, 2) ? garble(random, pick(random, VALID_DOCUMENTS)) : expensiveDocument(random).slice(0, 6_000)).replace(/\ud800/g, ''));
    return { kind: 'GET /graphql', method: 'GET', path: `/graphql?query=${query}&variables=${encodeURIComponent(randomText(random, 20).replace(/\ud800/g, ''))}`, headers: { ...headers, 'apollo-require-preflight': 'true' } };
  }
  const path = pick(random, [
    `/api/characters/${encodeURIComponent(randomText(random, 30).replace(/\ud800/g, ''))}/embedding-status`,
    '/api/characters/%E0%A4%A/embedding-status',
    `/files/${randomText(random, 40).replace(/[?#]/g, '')}`,
    '/files/%E0%A4%A',
    '/files/characters/../../etc/passwd',
    `/${randomText(random, 10).replace(/[?#]/g, '')}`,
  ]);
  return { kind: 'other route', method: pick(random, ['GET', 'GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']), path, headers };
}

/** Messages a hostile client sends on an acknowledged graphql-ws socket. */
export function hostileSocketMessages(random: Random): unknown[] {
  const subscribe = (query: unknown, variables: unknown = {}) => ({ id: randomText(random, 4), type: 'subscribe', payload: { query, variables } });
  switch (int(random, 6)) {
    case 0: return [randomText(random, int(random, 500))];
    case 1: return [subscribe(garble(random, 'subscription P($characterId: ID!) { embeddingProgress(characterId: $characterId) { kind status } }'), { characterId: randomValue(random) })];
    case 2: return [subscribe(expensiveDocument(random).slice(0, 400_000))];
    case 3: return [subscribe(randomValue(random))];
    case 4: return [{ type: 'connection_init' }, { type: randomText(random, 6) }];
    default: return [subscribe(pick(random, VALID_DOCUMENTS), randomValue(random)), { id: 'x', type: 'complete' }];
  }
}
