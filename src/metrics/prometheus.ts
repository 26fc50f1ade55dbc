// The Metrics port on prom-client, in the Prometheus text format. Each service has a Registry of its own (not
// prom-client's global one), so several services in one process, as in the tests, never share or clash over
// a metric. Events (images, retries, requests) move counters and histograms as they happen; state that lives
// elsewhere (sets by status in the database, the pacer's slots) is read when scraped, so it is never stale
// and costs nothing between scrapes.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EMBEDDING_STATUSES, type EmbeddingStatus } from '../domain/statuses.js';
import type { Logger } from '../logger.js';
import type { GraphQLOperationServed, HttpRequestServed, ImageAttempt, ImageFailureCause, ImageKind, RetriedWork } from '../metricsPort.js';
import type { Metrics } from '../ports.js';

/** What the pacer in front of the backend says about its slots (PacedGenerator.stats()). */
export interface PacerState {
  readonly name: string;
  stats(): { inFlight: number; waiting: number; allowedConcurrency: number; backoffs: number };
}

export interface PrometheusSources {
  pacer?: PacerState;
  /** Visible sets per status (CharacterRepository.countSetsByStatus). */
  setCounts?: () => Promise<Record<EmbeddingStatus, number>>;
  logger?: Logger;
}

/** A scrape more often than this reuses the last counts: several Prometheus replicas must not multiply the queries. */
export const SET_COUNTS_MAX_AGE_MS = 1_000;

const KINDS: readonly ImageKind[] = ['avatar', 'variation'];
const CAUSES: readonly ImageFailureCause[] = ['aborted', 'timeout', 'rate_limited', 'retryable', 'permanent'];
const RETRIED: readonly RetriedWork[] = ['generation', 'submission', 'image_write', 'metadata_write', 'database_write'];
const METHODS = new Set(['GET', 'POST', 'HEAD', 'OPTIONS']);

// Seconds. Backends take from ~50 ms (a warm offline render) to minutes (a cold GPU worker).
const BACKEND_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];
// From nothing (a free slot) to the hours a 10,000-variation backlog can wait.
const QUEUE_WAIT_BUCKETS = [0.001, 0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];
// Most requests take milliseconds; createCharacter waits for the avatar.
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const SIMILARITY_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1];

export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly generated: Counter<'backend' | 'kind'>;
  private readonly failed: Counter<'backend' | 'kind' | 'cause'>;
  private readonly backendLatency: Histogram<'backend' | 'kind' | 'outcome'>;
  private readonly queueWait: Histogram<'backend' | 'kind'>;
  private readonly retries: Counter<'work'>;
  private readonly subscriptions: Gauge;
  private readonly httpDuration: Histogram<'route' | 'method' | 'code'>;
  private readonly graphqlDuration: Histogram<'operation_type' | 'outcome'>;
  private readonly identity: Histogram<'backend'>;
  private counts: { at: number; value: Promise<Record<EmbeddingStatus, number>> } | null = null;

  constructor(private readonly sources: PrometheusSources = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.generated = new Counter({ name: 'charsheet_images_generated_total', help: 'Images the backend produced, by backend and kind (avatar or variation).', labelNames: ['backend', 'kind'], registers });
    this.failed = new Counter({ name: 'charsheet_images_failed_total', help: 'Image requests that ended without an image, by backend, kind and cause; cause="aborted" is our own cancel, delete or shutdown.', labelNames: ['backend', 'kind', 'cause'], registers });
    this.backendLatency = new Histogram({ name: 'charsheet_backend_latency_seconds', help: 'Time from a request reaching the backend to its answer, by backend, kind and outcome (generated or failed).', labelNames: ['backend', 'kind', 'outcome'], buckets: BACKEND_BUCKETS, registers });
    this.queueWait = new Histogram({ name: 'charsheet_pacer_queue_wait_seconds', help: "Time an image request waited in the pacer's line before the backend got it, by backend and kind.", labelNames: ['backend', 'kind'], buckets: QUEUE_WAIT_BUCKETS, registers });
    this.retries = new Counter({ name: 'charsheet_retries_total', help: 'Failed work tried again: generation attempts, submissions the backend refused, image writes, metadata.json writes, database writes.', labelNames: ['work'], registers });
    this.subscriptions = new Gauge({ name: 'charsheet_subscriptions_open', help: 'embeddingProgress subscriptions delivering right now.', registers });
    this.httpDuration = new Histogram({ name: 'charsheet_http_request_duration_seconds', help: 'HTTP requests by route (a fixed set), method and status code.', labelNames: ['route', 'method', 'code'], buckets: REQUEST_BUCKETS, registers });
    this.graphqlDuration = new Histogram({ name: 'charsheet_graphql_operation_duration_seconds', help: 'GraphQL requests over HTTP by operation type (none: refused before one ran) and outcome.', labelNames: ['operation_type', 'outcome'], buckets: REQUEST_BUCKETS, registers });
    this.identity = new Histogram({ name: 'charsheet_identity_similarity', help: "Judged images' cosine similarity to their character's identity, by backend.", labelNames: ['backend'], buckets: SIMILARITY_BUCKETS, registers });
    for (const work of RETRIED) this.retries.inc({ work }, 0);
    if (sources.pacer) this.registerPacer(sources.pacer);
    if (sources.setCounts) this.registerSetCounts(sources.setCounts);
  }

  /** The exposition: what GET /metrics answers. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  imageAttempt({ backend, kind, outcome, queueWaitMs, backendMs }: ImageAttempt): void {
    if (outcome === 'generated') this.generated.inc({ backend, kind });
    else this.failed.inc({ backend, kind, cause: outcome });
    if (queueWaitMs !== null) this.queueWait.observe({ backend, kind }, queueWaitMs / 1000);
    // Our own abort says nothing about how fast the backend is.
    if (backendMs !== null && outcome !== 'aborted') this.backendLatency.observe({ backend, kind, outcome: outcome === 'generated' ? 'generated' : 'failed' }, backendMs / 1000);
  }

  retry(work: RetriedWork): void {
    this.retries.inc({ work });
  }

  subscriptionOpened(): () => void {
    this.subscriptions.inc();
    let open = true;
    return () => {
      if (open) this.subscriptions.dec();
      open = false;
    };
  }

  httpRequest({ route, method, status, durationMs }: HttpRequestServed): void {
    this.httpDuration.observe({ route, method: METHODS.has(method) ? method : 'other', code: String(status) }, durationMs / 1000);
  }

  graphqlOperation({ type, outcome, durationMs }: GraphQLOperationServed): void {
    this.graphqlDuration.observe({ operation_type: type, outcome }, durationMs / 1000);
  }

  identityScore({ backend, similarity }: { backend: string; similarity: number }): void {
    if (Number.isFinite(similarity)) this.identity.observe({ backend }, similarity);
  }

  private registerPacer(pacer: PacerState): void {
    const registers = [this.registry];
    const backend = pacer.name;
    // Zeros before the first request, so rate() and increase() see the series start rather than appear.
    for (const kind of KINDS) {
      this.generated.inc({ backend, kind }, 0);
      for (const cause of CAUSES) this.failed.inc({ backend, kind, cause }, 0);
    }
    const gauge = (name: string, help: string, read: (stats: ReturnType<PacerState['stats']>) => number) =>
      new Gauge({ name, help, labelNames: ['backend'], registers, collect: function () { this.set({ backend }, read(pacer.stats())); } });
    gauge('charsheet_pacer_in_flight', 'Image requests at the backend now.', (stats) => stats.inFlight);
    gauge('charsheet_pacer_waiting', "Image requests in the pacer's line now.", (stats) => stats.waiting);
    gauge('charsheet_pacer_limit', 'Requests the pacer allows in flight now (lower than configured after the backend asked to slow down).', (stats) => stats.allowedConcurrency);
    new Counter({ name: 'charsheet_pacer_backoffs_total', help: 'Times the backend asked to slow down and the pacer halved its limit.', labelNames: ['backend'], registers, collect: function () { this.reset(); this.inc({ backend }, pacer.stats().backoffs); } });
  }

  private registerSetCounts(setCounts: () => Promise<Record<EmbeddingStatus, number>>): void {
    const metrics = this;
    new Gauge({
      name: 'charsheet_reference_sets',
      help: 'Reference sets by status, counted in the database (every worker of a deployment reports the same numbers).',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const counts = await metrics.setCountsNow(setCounts);
        if (counts) for (const status of EMBEDDING_STATUSES) this.set({ status }, counts[status]);
      },
    });
  }

  /** The counts, at most SET_COUNTS_MAX_AGE_MS old; null while the database cannot answer (the scrape still succeeds). */
  private async setCountsNow(setCounts: () => Promise<Record<EmbeddingStatus, number>>): Promise<Record<EmbeddingStatus, number> | null> {
    const now = Date.now();
    if (!this.counts || now - this.counts.at > SET_COUNTS_MAX_AGE_MS) this.counts = { at: now, value: setCounts() };
    const pending = this.counts;
    try {
      return await pending.value;
    } catch (error) {
      if (this.counts === pending) this.counts = null;
      this.sources.logger?.warn({ err: error }, 'metrics: could not count reference sets');
      return null;
    }
  }
}
