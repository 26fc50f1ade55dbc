// GET /metrics: the Prometheus exposition. It carries counts and durations only (no user's data, no ids), so,
// like /health and /ready, it is meant for the deployment's own network and is open by default; with
// METRICS_TOKEN set it answers only `Authorization: Bearer <METRICS_TOKEN>` (what Prometheus sends with
// `authorization: { credentials: ... }`), for a service whose port is reachable from outside.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './body.js';

export const METRICS_PATH = '/metrics';

/** What renders the exposition (the Prometheus adapter). */
export interface MetricsExposition {
  scrape(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsEndpoint {
  exposition: MetricsExposition;
  /** Required bearer token; undefined: open. */
  token: string | undefined;
}

/** Compared as digests: equal lengths for timingSafeEqual, and no timing hint about the token's length. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function authorised(request: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match !== null && sameToken(match[1]!, token);
}

export async function handleMetricsRoute(request: IncomingMessage, response: ServerResponse, endpoint: MetricsEndpoint): Promise<void> {
  if (!authorised(request, endpoint.token)) {
    response.setHeader('www-authenticate', 'Bearer realm="metrics"');
    throw new HttpError(401, 'metrics need Authorization: Bearer <METRICS_TOKEN>', 'UNAUTHENTICATED');
  }
  const { contentType, body } = await endpoint.exposition.scrape();
  response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  response.end(request.method === 'HEAD' ? undefined : body);
}
