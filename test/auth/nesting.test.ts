// A document nested thousands of levels deep overflows graphql-js's recursive parser before any validation
// rule runs; it must be refused up front with a 400, never answered with a 500.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { nestingDepth, nestingError } from '../../src/graphql/limits.js';
import { startTestService, type TestService } from '../support/service.js';

const DEEP = `{ __schema { types { ${'ofType { '.repeat(3_000)}name${' }'.repeat(3_000)} } } }`;

describe('bracket nesting', () => {
  it('counts brackets, not those inside strings, block strings or comments', () => {
    expect(nestingDepth('{ a { b(x: [1, [2]]) } }')).toBe(5);
    expect(nestingDepth('{ a(s: "{{{{\\"{{") # {{{{\n }')).toBe(2);
    expect(nestingDepth('{ a(s: """ {{{ \\""" {{ """) }')).toBe(2);
  });

  it.each([
    ['brackets closed before the next opens', '{ a } { b } (c) [d] { e }', 1],
    ['a comment ended by a carriage return', '{ # {{{\r { a } }', 2],
    ['a comment ended by a newline', '{ # {{{\n { a } }', 2],
    ['brackets after a string', '{ a(s: "x", m: [[1]]) }', 4],
    ['a string never closed', '{ a(s: "abc', 2],
    ['a comment that runs to the end of the document', '{ a } # { {', 1],
    ['a block string holding a lone quote', '{ a(s: """ " { """) }', 2],
    ['brackets right after a block string', '{ a(s: """x""", t: [[1]]) }', 4],
    ['a bracket right after a string', '{ a(l: ["x"], m: [1]) }', 3],
  ])('measures %s', (_, source, depth) => {
    expect(nestingDepth(source)).toBe(depth);
  });

  it('allows four brackets per level of the depth limit, and never fewer than 64', () => {
    const nestedTo = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const limits = { maxDepth: 20, maxCost: 100_000, maxTokens: 10_000 };
    expect(nestingError(nestedTo(80), limits)).toBeNull();
    const refusal = nestingError(nestedTo(81), limits);
    expect(refusal?.message).toBe('document nested 81 levels deep; at most 80 brackets may nest');
    expect(refusal?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'nesting', max: 80 });
    expect(nestingError(nestedTo(64), { ...limits, maxDepth: 10 })).toBeNull();
    expect(nestingError(nestedTo(65), { ...limits, maxDepth: 10 })?.extensions).toMatchObject({ max: 64 });
  });

  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => {
    await service?.destroy();
  });

  describe('over HTTP', () => {
    async function post(query: string): Promise<Response> {
      return fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    }

    it('refuses a 3,000-level document with 400 and a validation code, then still answers', async () => {
      const response = await post(DEEP);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.errors[0]?.message).toMatch(/nested 3\d{3} levels deep/);
      expect((await post('{ __typename }')).status).toBe(200);
    });

    it('refuses it as a GET query too', async () => {
      const deep = `{ __schema { types { ${'ofType { '.repeat(300)}name${' }'.repeat(300)} } } }`;
      const response = await fetch(`${service.url}/graphql?query=${encodeURIComponent(deep)}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(response.status).toBe(400);
    });
  });

  describe('over graphql-ws', () => {
    it('refuses a 3,000-level document with an error, and the same socket still answers', async () => {
      const client = createClient({ url: `${service.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
      const run = (query: string) =>
        new Promise<{ data?: unknown; errors?: unknown }>((resolve) => {
          let data: unknown;
          client.subscribe({ query }, { next: (result) => (data = result.data), error: (errors) => resolve({ errors }), complete: () => resolve({ data }) });
        });
      try {
        const refused = await run(DEEP);
        expect(refused.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/nested 3\d{3} levels deep/) })]);
        expect(await run('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
      } finally {
        await client.dispose();
      }
    });
  });
});
