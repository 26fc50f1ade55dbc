// One HTTP server: Apollo (POST/GET /graphql), graphql-ws subscriptions on the same port and path, the seed's
// REST status route, stored files, /health, /ready and /metrics. Routing is a handful of prefixes, so no web framework.
// Other sites' pages get CORS headers only when ALLOWED_ORIGINS names them (origins.ts).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import type { Authenticator } from '../auth/authenticator.js';
import { authFailureOf } from '../auth/errors.js';
import { mayReadStoredFile } from '../auth/fileAccess.js';
import type { Viewer } from '../pipeline/characterAccess.js';
import type { QueryLimits } from '../graphql/limits.js';
import type { Services } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../ports.js';
import { LOCAL_FILES_ROUTE } from '../storage/local.js';
import { HttpError } from './body.js';
import { createGraphQLHttpHandler, sendGraphQLError } from './graphqlHttp.js';
import type { OriginPolicy } from './origins.js';
import { handleMetricsRoute, METRICS_PATH, type MetricsEndpoint } from './metricsRoute.js';
import { readiness, READY_PROBE_TIMEOUT_MS, type ReadinessCheck } from './readiness.js';
import { timeRequest } from './requestMetrics.js';
import { sendJson } from './respond.js';
import { handleEmbeddingStatusRoute, EMBEDDING_STATUS_ROUTE } from './embeddingStatusRoute.js';
import { serveFile } from './staticFiles.js';
import { attachGraphQLWebSockets } from './webSockets.js';
import { defaultWebRoot, WebClient } from './webClient.js';

export const GRAPHQL_PATH = '/graphql';

export interface HttpServerOptions {
  schema: GraphQLSchema;
  services: Services;
  authenticator: Authenticator;
  logger: Logger;
  /** Folder behind /files/ when images are stored on local disk; null when a cloud store serves them. */
  localFilesRoot: string | null;
  maxBodyBytes: number;
  /** Depth, cost and token limits on GraphQL documents, over HTTP and WebSocket. */
  queryLimits: QueryLimits;
  /** Our offline GraphQL playground at GET /graphql for browsers (Apollo's CDN landing page is always off); off in production. */
  landingPage: boolean;
  /** Which other sites' pages may call the API from a browser, over HTTP (CORS) and WebSocket. */
  origins: OriginPolicy;
  /** Stack traces and internal error messages reach clients: single-user development outside production only. */
  errorDetails: boolean;
  /** What /ready probes: the database, the queue, the object store, the generator. */
  readinessChecks: readonly ReadinessCheck[];
  /** Told how long each request and GraphQL operation took, and of subscriptions opening and closing; absent: nothing is measured. */
  metrics?: Pick<Metrics, 'httpRequest' | 'graphqlOperation' | 'subscriptionOpened'>;
  /** GET /metrics; absent: no such route (METRICS=off). */
  metricsEndpoint?: MetricsEndpoint;
  /** The built web client's folder; defaults to dist/web of this package. */
  webRoot?: string;
}

export interface RunningHttpServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Listens, or rejects with the listen error (EADDRINUSE, EACCES) for the caller to report. */
function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startHttpServer(options: HttpServerOptions, host: string, port: number): Promise<RunningHttpServer> {
  const { services, logger, origins } = options;
  const server = createServer();
  const webSockets = attachGraphQLWebSockets(server, { ...options, path: GRAPHQL_PATH, maxPayload: options.maxBodyBytes });
  const graphql = await createGraphQLHttpHandler(server, { ...options, drainWebSockets: webSockets.dispose });
  const webClient = new WebClient({ root: options.webRoot ?? defaultWebRoot(), playground: options.landingPage, logger }, GRAPHQL_PATH);

  async function viewerOf(headers: IncomingHttpHeaders): Promise<Viewer> {
    try {
      return await options.authenticator.fromHeaders(headers);
    } catch (error) {
      const failure = authFailureOf(error);
      throw failure ? new HttpError(failure.status, failure.message, failure.code) : error;
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse, pathname: string, search: string): Promise<void> {
    if (await webClient.handle(request, response, pathname)) return;
    if (pathname === GRAPHQL_PATH) return graphql.handle(request, response, search);
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, 'method not allowed', 'METHOD_NOT_ALLOWED');
    const statusMatch = EMBEDDING_STATUS_ROUTE.exec(pathname);
    if (statusMatch?.[1]) return handleEmbeddingStatusRoute(response, services, await viewerOf(request.headers), safeDecode(statusMatch[1]) ?? '');
    if (pathname === '/health') return sendJson(response, 200, { status: 'ok' });
    if (pathname === '/ready') {
      const state = await readiness(options.readinessChecks, READY_PROBE_TIMEOUT_MS);
      return sendJson(response, state.ready ? 200 : 503, { status: state.ready ? 'ready' : 'not ready', checks: state.checks });
    }
    if (pathname === METRICS_PATH && options.metricsEndpoint) return handleMetricsRoute(request, response, options.metricsEndpoint);
    if (options.localFilesRoot && pathname.startsWith(LOCAL_FILES_ROUTE)) {
      // Images are private to their owner (docs/auth.md): authenticated like the API, never kept by shared caches.
      const relativePath = pathname.slice(LOCAL_FILES_ROUTE.length);
      const key = safeDecode(relativePath);
      if (key !== null && (await mayReadStoredFile(services.characters, await viewerOf(request.headers), key))) {
        if (await serveFile(response, options.localFilesRoot, relativePath, 'private, max-age=300')) return;
      }
    }
    throw new HttpError(404, `no route for ${pathname}`, 'NOT_FOUND');
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    let url: URL;
    try {
      url = requestUrl(request.url);
    } catch (error) {
      if (options.metrics) timeRequest(request, response, null, options.metrics);
      return sendRestError(response, error as HttpError);
    }
    if (options.metrics) timeRequest(request, response, url.pathname, options.metrics);
    for (const [name, value] of Object.entries(origins.corsHeaders(request))) response.setHeader(name, value as string);
    const preflight = request.method === 'OPTIONS' ? origins.preflightHeaders(request) : null;
    if (preflight) return void response.writeHead(204, preflight).end();
    route(request, response, url.pathname, url.search).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      if (url.pathname === GRAPHQL_PATH) return sendGraphQLError(response, error, logger);
      if (error instanceof HttpError) return sendRestError(response, error);
      logger.error({ err: error, url: request.url }, 'request failed');
      sendJson(response, 500, { success: false, code: 'INTERNAL_SERVER_ERROR', message: 'internal error' });
    });
  });

  await listen(server, host, port).catch(async (error: unknown) => {
    // The listen error is what the caller must hear about, not one from stopping a server that never ran.
    await graphql.stop().catch(() => undefined);
    throw error;
  });
  // Past listening, a server error (rare: the socket failing) is logged, not printed raw or left uncaught.
  server.on('error', (error) => logger.error({ err: error }, 'HTTP server error'));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: actualPort,
    close: () => graphql.stop(),
  };
}

function sendRestError(response: ServerResponse, error: HttpError): void {
  sendJson(response, error.status, { success: false, code: error.code, message: error.message });
}

/** A malformed percent-encoding is the client's mistake (404/400), not a server error. */
function safeDecode(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/**
 * The request target as a path on this server. Resolving it against a base would read `//host/x` as another
 * host, and would throw (a 500) on targets such as `//a@)`; a target that is not a path is the client's error.
 */
function requestUrl(target: string | undefined): URL {
  if (!target?.startsWith('/')) throw new HttpError(400, 'the request target must be a path', 'BAD_REQUEST');
  try {
    return new URL(`http://localhost${target}`);
  } catch {
    throw new HttpError(400, 'malformed request target', 'BAD_REQUEST');
  }
}
