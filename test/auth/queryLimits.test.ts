// The depth/cost/token limits refuse documents that would exhaust the server and let every real one through:
// the shipped operations, and the introspection query GraphiQL and codegen send.
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { getIntrospectionQuery, type GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { queryLimitRule, subscriptionArgs, type QueryLimits } from '../../src/graphql/limits.js';
import { buildGraphQLSchema } from '../../src/graphql/schema.js';
import { InProcessProgressBus } from '../../src/progress/inProcess.js';

const config = loadConfig({ NODE_ENV: 'test' });
const limits: QueryLimits = { maxDepth: config.GRAPHQL_MAX_DEPTH, maxCost: config.GRAPHQL_MAX_COST, maxTokens: config.GRAPHQL_MAX_TOKENS };

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGraphQLSchema(new InProcessProgressBus());
});

function limitErrors(query: string, custom: QueryLimits = limits): string[] {
  return validationErrors(query, custom).map((error) => error.message);
}

function validationErrors(query: string, custom: QueryLimits = limits) {
  return validate(schema, parse(query, { maxTokens: custom.maxTokens }), [...specifiedRules, queryLimitRule(custom)]);
}

const nested = (field: string, levels: number, leaf: string) => `${`${field} { `.repeat(levels)}${leaf}${' }'.repeat(levels)}`;

describe('GraphQL query limits (defaults)', () => {
  it('let the shipped operations and the standard introspection query through', async () => {
    const operations = await readFile(new URL('../../operations/charsheet.graphql', import.meta.url), 'utf8');
    expect(limitErrors(operations)).toEqual([]);
    expect(limitErrors(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }))).toEqual([]);
  });

  it('refuse introspection nested past the depth limit', () => {
    const deep = `{ __schema { types { ${nested('ofType', 30, 'name')} } } }`;
    expect(limitErrors(deep)).toEqual([expect.stringMatching(/^query depth \d+ exceeds the limit of 20$/)]);
  });

  it('refuse lists nested inside lists once the estimated cost is too high', () => {
    const fanOut = `{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`;
    expect(limitErrors(fanOut)).toContainEqual(expect.stringMatching(/^estimated query cost \d+ exceeds the limit of 100000$/));
  });

  it('count aliases: many copies of a large page add up', () => {
    const page = 'characters(limit: 100) { variations { url prompt seed status } traits { key value } }';
    const aliased = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: ${page}`).join(' ')} }`;
    expect(limitErrors(aliased)).toEqual([expect.stringContaining('estimated query cost')]);
    expect(limitErrors(`{ ${page} }`)).toEqual([]);
  });

  it('measure a fragment bomb in linear time and refuse it', () => {
    // Each fragment spreads the previous one twice: 2^30 fields when expanded.
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i + 1} on Character { ...F${i} ...F${i} }`).join('\n');
    const bomb = `query { characters(limit: 1) { ...F30 } }\nfragment F0 on Character { id name }\n${fragments}`;
    expect(limitErrors(bomb)).toEqual([expect.stringContaining('estimated query cost')]);
  });

  it('survive cyclic fragments, which graphql itself reports', () => {
    const cyclic = '{ characters { ...A } } fragment A on Character { ...B } fragment B on Character { ...A }';
    expect(limitErrors(cyclic).some((message) => message.includes('Cannot spread fragment'))).toBe(true);
  });

  it('stop parsing past the token limit', () => {
    const long = `{ ${'__typename '.repeat(limits.maxTokens)} }`;
    expect(() => parse(long, { maxTokens: limits.maxTokens })).toThrow(/contains more th\w+ 10000 tokens/);
  });
});

describe('GraphQL query limits at their boundaries', () => {
  const tight = (overrides: Partial<QueryLimits>): QueryLimits => ({ ...limits, ...overrides });
  // Depth 5: characters > variations > identity > rejected > seed; cost 1 + 2 × (1 + 10 × (1 + 1 + 10 × 1)).
  const query = '{ characters(limit: 2) { variations { identity { rejected { seed } } } } }';

  it.each([
    ['depth', 'maxDepth', 5, 'query depth 5 exceeds the limit of 4'],
    ['cost', 'maxCost', 243, 'estimated query cost 243 exceeds the limit of 242'],
  ] as const)('let a document exactly at the %s limit through and refuse it one below, naming both and the operation', (limit, setting, measured, message) => {
    expect(limitErrors(query, tight({ [setting]: measured }))).toEqual([]);
    const [refusal, ...others] = validationErrors(query, tight({ [setting]: measured - 1 }));
    expect(others).toEqual([]);
    expect(refusal?.message).toBe(message);
    expect(refusal?.extensions).toEqual({ limit, max: measured - 1 });
    expect(refusal?.locations).toEqual([{ line: 1, column: 1 }]);
  });

  it('measure __type like any other field of the query type', () => {
    const typeQuery = '{ __type(name: "Character") { fields { type { name } } } }';
    expect(limitErrors(typeQuery, tight({ maxDepth: 3 }))).toEqual(['query depth 4 exceeds the limit of 3']);
  });

  it('leave __schema below the query type to graphql, which refuses it, without a depth refusal of their own', () => {
    const misplaced = '{ characters { __schema { types { fields { name } } } } }';
    expect(limitErrors(misplaced, tight({ maxDepth: 3 }))).toEqual(['Cannot query field "__schema" on type "Character".']);
  });
});

describe('subscriptionArgs (graphql-ws)', () => {
  it('refuses a subscription past the token limit, as HTTP does', () => {
    const long = `subscription { ${'__typename '.repeat(200)} }`;
    expect(subscriptionArgs(schema, { query: long }, { ...limits, maxTokens: 100 })).toEqual([expect.objectContaining({ message: expect.stringMatching(/more th\w+ 100 tokens/) })]);
  });

  it('answers a malformed or oversized document with errors instead of throwing', () => {
    expect(subscriptionArgs(schema, { query: 'subscription {' }, limits)).toEqual([expect.objectContaining({ message: expect.stringContaining('Syntax Error') })]);
    const deep = `{ __schema { types { ${nested('ofType', 30, 'name')} } } }`;
    expect(subscriptionArgs(schema, { query: deep }, limits)).toEqual([expect.objectContaining({ message: expect.stringContaining('query depth') })]);
  });

  it('passes a valid subscription through with its variables', () => {
    const args = subscriptionArgs(schema, { query: 'subscription P($id: ID!) { embeddingProgress(characterId: $id) { kind } }', variables: { id: 'x' } }, limits);
    expect(args).toMatchObject({ variableValues: { id: 'x' } });
  });
});
