// Issue 6's costs: what token verification and the GraphQL document limits add to a
// request, and how quickly hostile documents are turned away. Figures are latencies on a shared machine.
import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createAuthenticator } from '../src/auth/index.js';
import { loadConfig } from '../src/config.js';
import { queryLimitRule } from '../src/graphql/limits.js';
import { buildGraphQLSchema } from '../src/graphql/schema.js';
import { InProcessProgressBus } from '../src/progress/inProcess.js';
import { percentile, printTable, withBenchService } from './support.js';

const ISSUER = 'https://login.bench';
const AUDIENCE = 'charsheet';
const SECRET = 'bench-secret-with-at-least-thirty-two-characters';
const JWT_ENV = { AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE };

async function timed(times: number, work: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

function token(sign: SignJWT, key: Parameters<SignJWT['sign']>[0]): Promise<string> {
  return sign.setSubject('bench-user').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('1h').sign(key);
}

async function post(url: string, headers: Record<string, string>, body: unknown): Promise<number> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

const HOSTILE_DOCUMENTS = [
  '{'.repeat(200_000),
  `{ ${'__typename '.repeat(100_000)}}`,
  `{ ${Array.from({ length: 3_000 }, (_, i) => `a${i}: characters(limit: 100) { id }`).join(' ')} }`,
  `{ characters(limit: 100) { ...F40 } } fragment F0 on Character { id } ${Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Character { ...F${i} ...F${i} }`).join(' ')}`,
  `{ __schema { types { ${'ofType { '.repeat(3_000)}name${' }'.repeat(3_000)} } } }`,
];

export async function run(): Promise<void> {
  // 1. Token verification in process.
  const hs256 = createAuthenticator(loadConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: SECRET, ...JWT_ENV }));
  const hsHeaders = { authorization: `Bearer ${await token(new SignJWT().setProtectedHeader({ alg: 'HS256' }), new TextEncoder().encode(SECRET))}` };
  await timed(200, () => hs256.fromHeaders(hsHeaders));
  const hsVerify = await timed(5_000, () => hs256.fromHeaders(hsHeaders));

  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256' };
  const jwksServer = createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
  const es256 = createAuthenticator(loadConfig({ NODE_ENV: 'test', AUTH_JWKS_URL: jwksUrl, ...JWT_ENV }));
  const esHeaders = { authorization: `Bearer ${await token(new SignJWT().setProtectedHeader({ alg: 'ES256', kid: 'bench' }), privateKey)}` };
  await timed(200, () => es256.fromHeaders(esHeaders));
  const esVerify = await timed(5_000, () => es256.fromHeaders(esHeaders));
  jwksServer.close();

  // 2. Document limits on the largest legitimate document: the introspection query.
  const schema = await buildGraphQLSchema(new InProcessProgressBus());
  const introspection = parse(getIntrospectionQuery());
  const rule = queryLimitRule({ maxDepth: 20, maxCost: 100_000 });
  const plain = await timed(200, async () => validate(schema, introspection));
  const limited = await timed(200, async () => validate(schema, introspection, [...specifiedRules, rule]));
  const limitOverhead = percentile(limited, 50) - percentile(plain, 50);

  // 3. Over HTTP: a small query, dev mode vs authenticated.
  const small = { query: '{ characters(limit: 1) { id } }' };
  const measureQuery = async (url: string, headers: Record<string, string>) => {
    await timed(50, () => post(url, headers, small));
    return timed(500, () => post(url, headers, small));
  };
  const dev = await withBenchService({}, {}, async (service) => ({ query: await measureQuery(service.url, {}) }));
  const authed = await withBenchService({ AUTH_JWT_SECRET: SECRET, ...JWT_ENV }, {}, async (service) => {
    const figures = { query: await measureQuery(service.url, hsHeaders) };
    // 4. Hostile documents, each sent 20 times: all must be refused (4xx), quickly.
    const hostile: number[] = [];
    let refused = 0;
    for (const query of HOSTILE_DOCUMENTS) {
      for (let i = 0; i < 20; i++) {
        const started = performance.now();
        const status = await post(service.url, hsHeaders, { query });
        hostile.push(performance.now() - started);
        if (status >= 400 && status < 500) refused++;
      }
    }
    return { ...figures, hostile: hostile.sort((a, b) => a - b), refused };
  });

  const ms = (value: number) => `${value.toFixed(3)} ms`;
  const queryOverhead = percentile(authed.query, 50) - percentile(dev.query, 50);
  printTable('accounts and access (issue 6)', [
    { metric: 'HS256 token verification p50', value: ms(percentile(hsVerify, 50)), target: '-', ok: null },
    { metric: 'HS256 token verification p99', value: ms(percentile(hsVerify, 99)), target: '≤ 1 ms', ok: percentile(hsVerify, 99) <= 1 },
    { metric: 'ES256 token verification (JWKS cached) p50', value: ms(percentile(esVerify, 50)), target: '-', ok: null },
    { metric: 'ES256 token verification (JWKS cached) p99', value: ms(percentile(esVerify, 99)), target: '≤ 1 ms', ok: percentile(esVerify, 99) <= 1 },
    { metric: 'depth/cost rule on the introspection query', value: ms(limitOverhead), target: '≤ 2 ms', ok: limitOverhead <= 2 },
    { metric: 'small query p50, dev mode', value: ms(percentile(dev.query, 50)), target: '-', ok: null },
    { metric: 'small query p50, bearer token: added', value: ms(queryOverhead), target: '≤ 1 ms', ok: queryOverhead <= 1 },
    { metric: `hostile documents refused (of ${HOSTILE_DOCUMENTS.length * 20})`, value: String(authed.refused), target: `${HOSTILE_DOCUMENTS.length * 20}`, ok: authed.refused === HOSTILE_DOCUMENTS.length * 20 },
    { metric: 'hostile document answer p99', value: ms(percentile(authed.hostile, 99)), target: '≤ 100 ms', ok: percentile(authed.hostile, 99) <= 100 },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
