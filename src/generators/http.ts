// HTTP toward image backends, with one translation of transport outcomes into BackendError so every adapter
// reports the same way: unreachable, timeouts, 429 and 5xx are retryable (with the backend's Retry-After),
// 401/403 and other 4xx are not. Nothing here ever puts a credential or a URL's query string (signed URLs)
// into a message.
import http from 'node:http';
import https from 'node:https';
import { BackendError } from '../domain/errors.js';
import { describeNonImage, inspectImage } from './imageBytes.js';
import type { GeneratedImage } from '../ports.js';

/** Pause advised after a 429 that carries no Retry-After. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 1_000;

/** Retry-After as milliseconds: either delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Scheme, host and path only: user info and query strings may carry credentials or signatures. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** Removes every occurrence of the given secrets from a message that came from elsewhere. */
export function redact(message: string, secrets: readonly (string | undefined)[]): string {
  let result = message;
  for (const secret of secrets) if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
  return result;
}

export interface HttpCall {
  backend: string;
  /** What the request was for, in words ('submitting the job'), used in error messages. */
  what: string;
  url: string;
  init?: HttpInit;
  signal?: AbortSignal;
  /** Secrets that must not leak into a message even if the server echoes them. */
  secrets?: readonly (string | undefined)[];
}

export interface HttpInit {
  method?: string;
  headers?: Record<string, string>;
  /** Text (JSON) or bytes (a multipart upload). */
  body?: string | Uint8Array;
}

/** A fully read HTTP response, with the part of fetch's Response the adapters use. */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Largest response accepted (a RunPod output carries base64 images; anything far beyond is not an answer). */
const MAX_RESPONSE_BYTES = 200 * 1024 * 1024;
const MAX_REDIRECTS = 3;

function answerOf(status: number, headers: http.IncomingHttpHeaders, body: Buffer): HttpAnswer {
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: { get: (name) => [headers[name.toLowerCase()]].flat()[0] ?? null },
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
  };
}

// node:http rather than fetch: for the many small requests of polling and paced submission it costs about
// half the CPU per request (measured against the simulator), which the pacer's slot turnaround feels.
function exchange(url: URL, init: HttpInit, signal: AbortSignal | undefined): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const headers = init.body === undefined ? init.headers : { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) };
    const request = transport.request(url, { method: init.method ?? 'GET', headers, signal }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) request.destroy(new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => resolve(answerOf(response.statusCode ?? 0, response.headers, Buffer.concat(chunks))));
    });
    request.on('error', reject);
    request.end(init.body);
  });
}

/** Thrown for a response with an error status; `status` lets callers single out 404 or 429. */
export class HttpStatusError extends BackendError {
  constructor(
    backend: string,
    message: string,
    retryable: boolean,
    readonly status: number,
    retryAfter?: number,
  ) {
    super(backend, message, retryable, retryAfter);
  }
}

async function bodySnippet(response: HttpAnswer, secrets: HttpCall['secrets']): Promise<string> {
  const text = await response.text().catch(() => '');
  const compact = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return compact ? `: ${redact(compact, secrets ?? [])}` : '';
}

/**
 * Sends the request and reads the whole answer, following a few redirects of GETs (storage links).
 * A network failure becomes a retryable BackendError; an abort rethrows the signal's reason.
 */
export async function send(call: HttpCall): Promise<HttpAnswer> {
  let url = new URL(call.url);
  try {
    for (let redirects = 0; ; redirects++) {
      const answer = await exchange(url, call.init ?? {}, call.signal);
      const location = answer.headers.get('location');
      const method = call.init?.method ?? 'GET';
      if (answer.status < 300 || answer.status >= 400 || !location || method !== 'GET' || redirects >= MAX_REDIRECTS) return answer;
      url = new URL(location, url);
    }
  } catch (error) {
    if (call.signal?.aborted) throw call.signal.reason;
    const cause = error instanceof Error ? error.message : String(error);
    throw new BackendError(call.backend, `${call.what} failed: ${safeUrl(call.url)} is unreachable (${redact(cause, call.secrets ?? [])})`, true);
  }
}

/** Throws the BackendError a non-2xx response stands for. */
export async function failOnStatus(call: HttpCall, response: HttpAnswer): Promise<void> {
  if (response.ok) return;
  const { status } = response;
  const snippet = await bodySnippet(response, call.secrets);
  const where = `${call.what} (${safeUrl(call.url)})`;
  if (status === 401 || status === 403) {
    throw new HttpStatusError(call.backend, `${where} was refused with HTTP ${status}: check the API key and its permissions${snippet}`, false, status);
  }
  if (status === 429) {
    const pause = retryAfterMs(response.headers.get('retry-after')) ?? DEFAULT_RATE_LIMIT_PAUSE_MS;
    throw new HttpStatusError(call.backend, `${where} was rate-limited (HTTP 429)${snippet}`, true, status, pause);
  }
  if (status >= 500 || status === 408) {
    throw new HttpStatusError(call.backend, `${where} failed with HTTP ${status}${snippet}`, true, status, retryAfterMs(response.headers.get('retry-after')));
  }
  throw new HttpStatusError(call.backend, `${where} was rejected with HTTP ${status}${snippet}`, false, status);
}

/** Sends the request and parses a JSON answer; any failure is a BackendError. */
export async function requestJson(call: HttpCall): Promise<unknown> {
  const response = await send(call);
  await failOnStatus(call, response);
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BackendError(call.backend, `${call.what} answered with something that is not JSON (${describeNonImage(new TextEncoder().encode(text))})`, true);
  }
}

/** Checks that `bytes` are an image; otherwise fails with a non-retryable error that says what came back instead. */
export function asGeneratedImage(backend: string, bytes: Uint8Array, source: string): GeneratedImage {
  const facts = inspectImage(bytes);
  if (!facts) throw new BackendError(backend, `the image from ${source} is not a PNG, JPEG or WebP image (${describeNonImage(bytes)})`, false);
  return { bytes, ...facts };
}

/** Downloads an image the backend points to and checks it is one. */
export async function fetchImage(call: HttpCall): Promise<GeneratedImage> {
  const response = await send(call);
  await failOnStatus(call, response);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return asGeneratedImage(call.backend, bytes, safeUrl(call.url));
}
