// The Metrics port: what the pipeline, the pacer's wrapper and the HTTP edge tell an observer. Plain types,
// re-exported by ports.ts; the Prometheus adapter (src/metrics/prometheus.ts) implements it, and code that is
// given none (unit tests, METRICS=off) reports nothing. Every field that becomes a label is drawn from a
// fixed vocabulary or from configuration (a backend's name), never from a request: each distinct label value
// is a time series Prometheus keeps, so a user's input or an id as a label would grow it without bound.

/** What was asked of the backend: the avatar createCharacter waits for, or a background variation. */
export type ImageKind = 'avatar' | 'variation';

/**
 * Why an image request ended without an image. 'aborted': we gave up on it ourselves (cancel, delete, lease
 * lost, shutdown), not the backend's fault; 'timeout': its deadline passed; 'rate_limited': the backend said
 * to slow down; 'retryable' / 'permanent': another backend failure that may or cannot succeed on retry.
 */
export type ImageFailureCause = 'aborted' | 'timeout' | 'rate_limited' | 'retryable' | 'permanent';

export interface ImageAttempt {
  /** The generator's configured name ('offline', 'runpod', 'comfyui'). */
  backend: string;
  kind: ImageKind;
  /** 'generated', or why not. */
  outcome: 'generated' | ImageFailureCause;
  /** Time in the pacer's line before the backend got the request; null when it never got it. */
  queueWaitMs: number | null;
  /** Time from reaching the backend to its answer; null when it never got it. */
  backendMs: number | null;
}

/**
 * Work that is tried again after a failure: a generation attempt (pipeline/retries.ts), a submission the
 * backend refused and the pacer resent, a store, metadata.json or database write through an outage.
 */
export type RetriedWork = 'generation' | 'submission' | 'image_write' | 'metadata_write' | 'database_write';

/** The HTTP routes as a fixed set; 'web' is the bundled client, 'unmatched' every path that found no route. */
export type HttpRoute = 'graphql' | 'health' | 'ready' | 'metrics' | 'files' | 'embedding_status' | 'web' | 'unmatched';

export interface HttpRequestServed {
  route: HttpRoute;
  /** GET, POST, HEAD, OPTIONS, or 'other'. */
  method: string;
  status: number;
  durationMs: number;
}

export interface GraphQLOperationServed {
  /** The executed operation's type; 'none' when the request never got to one (unparseable, invalid, refused). */
  type: 'query' | 'mutation' | 'subscription' | 'none';
  outcome: 'ok' | 'error';
  durationMs: number;
}

export interface Metrics {
  /** One call of `generate` ended (ImageGenerator port): generated, or failed with a cause. */
  imageAttempt(attempt: ImageAttempt): void;
  /** A failed piece of work is about to be tried again. */
  retry(work: RetriedWork): void;
  /** A progress subscription started delivering; call the returned function once when it ends. */
  subscriptionOpened(): () => void;
  httpRequest(request: HttpRequestServed): void;
  graphqlOperation(operation: GraphQLOperationServed): void;
  /**
   * One judged image's cosine similarity to its character (0..1), by backend.
   * The set's identity review reports each kept image once, when it records the set's findings.
   */
  identityScore(score: { backend: string; similarity: number }): void;
}
