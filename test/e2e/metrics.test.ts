// /metrics as Prometheus scrapes it: valid text format, behind METRICS_TOKEN when one is set, counters and
// histograms that move by exactly what a set did, a subscription gauge that follows clients, and labels that
// never take a path, an id or an operation name from a request.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateCharacterDocument, EmbeddingProgressDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { ScriptedGenerator } from '../support/generators.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { type Exposition, scrape } from '../support/prometheus.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

const TOKEN = 'metrics-token-for-the-test';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const BACKEND = 'scripted-offline';

describe('/metrics', () => {
  let service: TestService;
  let client: GraphQLTestClient;
  const generator = new ScriptedGenerator();
  const metrics = () => scrape(service.url, AUTH);

  beforeAll(async () => {
    service = await startTestService({ METRICS_TOKEN: TOKEN, IMAGE_WIDTH: '64', IMAGE_HEIGHT: '64', VARIATION_MAX_ATTEMPTS: '2' }, { generator });
    client = new GraphQLTestClient(service.url);
  });
  afterAll(async () => {
    await client?.close();
    await service?.destroy();
  });

  async function createSet(name: string): Promise<string> {
    return (await client.request(CreateCharacterDocument, { input: { name, traits: [{ key: 'hair', value: 'grey' }], seed: 7 } })).createCharacter.id;
  }

  async function finished(id: string): Promise<void> {
    await waitFor(async () => ['completed', 'failed'].includes((await client.request(EmbeddingStatusDocument, { characterId: id })).embeddingStatus.status), 'the set finishes');
  }

  it('answers only the bearer token when METRICS_TOKEN is set', async () => {
    const without = await fetch(`${service.url}/metrics`);
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await fetch(`${service.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
    const scraped = await metrics();
    // Default process metrics come along, from this service's own registry.
    expect(scraped.family('process_cpu_user_seconds_total').type).toBe('COUNTER');
    expect(scraped.family('nodejs_eventloop_lag_seconds').type).toBe('GAUGE');
  });

  it('counts a set: 1 avatar and 10 variations generated, 11 latencies and waits, the set completed', async () => {
    const before = await metrics();
    const id = await createSet('Counted');
    await finished(id);
    let after: Exposition = before;
    await waitFor(async () => {
      after = await metrics();
      return after.value('charsheet_reference_sets', { status: 'completed' }) === before.value('charsheet_reference_sets', { status: 'completed' }) + 1;
    }, 'the completed set is counted');
    const moved = (read: (scraped: Exposition) => number) => read(after) - read(before);

    expect(moved((s) => s.value('charsheet_images_generated_total', { backend: BACKEND, kind: 'variation' }))).toBe(10);
    expect(moved((s) => s.value('charsheet_images_generated_total', { backend: BACKEND, kind: 'avatar' }))).toBe(1);
    expect(moved((s) => s.value('charsheet_images_failed_total'))).toBe(0);
    expect(moved((s) => s.count('charsheet_backend_latency_seconds', { backend: BACKEND, outcome: 'generated' }))).toBe(11);
    expect(moved((s) => s.count('charsheet_pacer_queue_wait_seconds', { backend: BACKEND }))).toBe(11);
    expect(moved((s) => s.count('charsheet_graphql_operation_duration_seconds', { operation_type: 'mutation', outcome: 'ok' }))).toBe(1);
    expect(moved((s) => s.count('charsheet_http_request_duration_seconds', { route: 'graphql', method: 'POST', code: '200' }))).toBeGreaterThanOrEqual(2);
    expect(after.value('charsheet_reference_sets', { status: 'generating' })).toBe(0);
    expect(after.value('charsheet_pacer_in_flight', { backend: BACKEND })).toBe(0);
    expect(after.value('charsheet_pacer_limit', { backend: BACKEND })).toBeGreaterThanOrEqual(1);
    expect(after.family('charsheet_backend_latency_seconds').type).toBe('HISTOGRAM');
  });

  it('counts failed attempts by cause, and the retry between them', async () => {
    generator.failing.add('portrait_front');
    const before = await metrics();
    await finished(await createSet('Failing'));
    generator.failing.clear();
    const after = await metrics();
    const moved = (read: (scraped: Exposition) => number) => read(after) - read(before);

    // VARIATION_MAX_ATTEMPTS=2: two retryable failures, one retry between them.
    expect(moved((s) => s.value('charsheet_images_failed_total', { backend: BACKEND, kind: 'variation', cause: 'retryable' }))).toBe(2);
    expect(moved((s) => s.value('charsheet_retries_total', { work: 'generation' }))).toBe(1);
    expect(moved((s) => s.value('charsheet_images_generated_total', { backend: BACKEND, kind: 'variation' }))).toBe(9);
    expect(moved((s) => s.count('charsheet_backend_latency_seconds', { backend: BACKEND, outcome: 'failed' }))).toBe(2);
  });

  it('follows subscriptions: up when one opens, down when the client completes it or its socket drops', async () => {
    generator.hold();
    const id = await createSet('Watched');
    const open = async () => (await metrics()).value('charsheet_subscriptions_open');
    const base = await open();

    const completing = client.subscribe(EmbeddingProgressDocument, { characterId: id });
    void completing.next();
    await waitFor(async () => (await open()) === base + 1, 'the subscription is counted');
    const dropping = new GraphQLTestClient(service.url);
    void dropping.subscribe(EmbeddingProgressDocument, { characterId: id }).next();
    await waitFor(async () => (await open()) === base + 2, 'the second subscription is counted');

    await completing.return?.();
    await waitFor(async () => (await open()) === base + 1, 'a completed subscription is no longer counted');
    await dropping.close();
    await waitFor(async () => (await open()) === base, 'a dropped socket\'s subscription is no longer counted');
    generator.release();
    await finished(id);
  });

  it('keeps labels to fixed sets whatever requests carry', async () => {
    const marker = randomUUID();
    await fetch(`${service.url}/nowhere/${marker}`);
    await fetch(`${service.url}/api/characters/${marker}/embedding-status`);
    await fetch(`${service.url}/files/${marker}.png`);
    await fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `query Q_${marker.replace(/-/g, '')} { __typename }`, operationName: `Q_${marker.replace(/-/g, '')}` }) });
    await fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query": "${marker}` });
    await rawRequest(service.port, 'PROPFIND', `/${marker}`);

    const scraped = await metrics();
    expect(scraped.text).not.toContain(marker);
    expect(scraped.text).not.toContain(marker.replace(/-/g, ''));
    const http = scraped.labelSets('charsheet_http_request_duration_seconds');
    expect(new Set(http.map((labels) => labels.route))).toSatisfy((routes: Set<string>) => [...routes].every((route) => ['graphql', 'health', 'ready', 'metrics', 'files', 'embedding_status', 'web', 'unmatched'].includes(route)));
    expect(http.some((labels) => labels.method === 'other' && labels.route === 'unmatched')).toBe(true);
    expect(http.every((labels) => ['GET', 'POST', 'HEAD', 'OPTIONS', 'other'].includes(labels.method!))).toBe(true);
    const operations = scraped.labelSets('charsheet_graphql_operation_duration_seconds');
    expect(operations.every((labels) => ['query', 'mutation', 'subscription', 'none'].includes(labels.operation_type!) && ['ok', 'error'].includes(labels.outcome!))).toBe(true);
  });
});

describe('/metrics with METRICS=off', () => {
  it('is not there, while /health is', async () => {
    const service = await startTestService({ METRICS: 'off' });
    try {
      expect((await fetch(`${service.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${service.url}/health`)).status).toBe(200);
    } finally {
      await service.destroy();
    }
  });
});

/** A request with a method fetch refuses to send. */
function rawRequest(port: number, method: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end();
  });
}
