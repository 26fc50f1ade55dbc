// One HTTP server: Apollo (POST/GET /graphql), graphql-ws subscriptions on the same port and path, the seed's
// REST status route, stored files, and health. Routing is a handful of prefixes, so no web framework.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { IncomingHttpHeaders } from 'node:http';
import type { Authenticator } from '../auth/authenticator.js';
import { authFailureOf } from '../auth/errors.js';
import { mayReadStoredFile } from '../auth/fileAccess.js';
import { graphQLAuthError, webSocketCloseFor } from '../auth/transport.js';
import type { Viewer } from '../pipeline/characterAccess.js';
import { apolloQueryLimits, nestingError, type QueryLimits, subscriptionArgs } from '../graphql/limits.js';
import type { GraphQLContext, Services } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import { LOCAL_FILES_ROUTE } from '../storage/local.js';
import { HttpError, parseJsonBody, readBody } from './body.js';
import { sendJson } from './respond.js';
import { handleEmbeddingStatusRoute, EMBEDDING_STATUS_ROUTE } from './embeddingStatusRoute.js';
import { serveFile } from './staticFiles.js';
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
  /** The built web client's folder; defaults to dist/web of this package. */
  webRoot?: string;
}

export interface RunningHttpServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions, host: string, port: number): Promise<RunningHttpServer> {
  const { schema, services, authenticator, logger } = options;
  const server = createServer();
  // ws accepts 100 MiB messages by default; a subscribe message is held to the HTTP body cap.
  const webSockets = new WebSocketServer({ server, path: GRAPHQL_PATH, maxPayload: options.maxBodyBytes });
  const subscriptions = useServer<Record<string, unknown>, { viewer?: GraphQLContext['viewer'] }>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          ctx.extra.viewer = await authenticator.fromConnectionParams(ctx.connectionParams);
          return true;
        } catch (error) {
          const failure = authFailureOf(error);
          if (!failure) throw error;
          const close = webSocketCloseFor(error, failure);
          ctx.extra.socket.close(close.code, close.reason);
          return false;
        }
      },
      // Checked again per operation, so a token that expired while the socket stayed open stops working.
      onSubscribe: async (ctx, _id, payload) => {
        try {
          await authenticator.fromConnectionParams(ctx.connectionParams);
        } catch (error) {
          const failure = authFailureOf(error);
          if (!failure) throw error;
          const close = webSocketCloseFor(error, failure);
          ctx.extra.socket.close(close.code, close.reason);
          return [graphQLAuthError(failure)];
        }
        return subscriptionArgs(schema, payload, options.queryLimits);
      },
      context: (ctx): GraphQLContext => ({ viewer: ctx.extra.viewer as GraphQLContext['viewer'], services }),
    },
    webSockets,
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: true,
    ...apolloQueryLimits(options.queryLimits),
    // main.ts owns SIGINT/SIGTERM; Apollo's own handlers (on outside NODE_ENV=test) raced it and hung shutdown.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      { serverWillStart: async () => ({ drainServer: async () => void (await subscriptions.dispose()) }) },
      // Apollo's landing page loads from a CDN; the web client serves a bundled playground instead.
      (await import('@apollo/server/plugin/disabled')).ApolloServerPluginLandingPageDisabled(),
    ],
    formatError: (formatted, error) => {
      if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error }, 'unexpected GraphQL error');
      return formatted;
    },
  });
  await apollo.start();
  const webClient = new WebClient({ root: options.webRoot ?? defaultWebRoot(), playground: options.landingPage }, GRAPHQL_PATH);

  async function handleGraphQL(request: IncomingMessage, response: ServerResponse, search: string): Promise<void> {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = parseJsonBody(await readBody(request, options.maxBodyBytes), request.headers['content-type']);
    const source = typeof (body as { query?: unknown } | undefined)?.query === 'string' ? (body as { query: string }).query : new URLSearchParams(search).get('query');
    const tooDeep = source === null ? null : nestingError(source, options.queryLimits);
    if (tooDeep) return sendJson(response, 400, { errors: [tooDeep.toJSON()] });
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'GET', headers, search, body },
      // Apollo asks for the context only to run an operation.
      context: async () => {
        try {
          return { viewer: await authenticator.fromHeaders(request.headers), services };
        } catch (error) {
          const failure = authFailureOf(error);
          throw failure ? graphQLAuthError(failure) : error;
        }
      },
    });
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of result.headers) responseHeaders[name] = value;
    response.writeHead(result.status ?? 200, responseHeaders);
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }

  async function viewerOf(headers: IncomingHttpHeaders): Promise<Viewer> {
    try {
      return await authenticator.fromHeaders(headers);
    } catch (error) {
      const failure = authFailureOf(error);
      throw failure ? new HttpError(failure.status, failure.message, failure.code) : error;
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = requestUrl(request.url);
    if (await webClient.handle(request, response, url.pathname)) return;
    if (url.pathname === GRAPHQL_PATH) return handleGraphQL(request, response, url.search);
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, 'method not allowed', 'METHOD_NOT_ALLOWED');
    const statusMatch = EMBEDDING_STATUS_ROUTE.exec(url.pathname);
    if (statusMatch?.[1]) return handleEmbeddingStatusRoute(response, services, await viewerOf(request.headers), safeDecode(statusMatch[1]) ?? '');
    if (url.pathname === '/health') return sendJson(response, 200, { status: 'ok' });
    if (options.localFilesRoot && url.pathname.startsWith(LOCAL_FILES_ROUTE)) {
      // Images are private to their owner (docs/auth.md): authenticated like the API, never kept by shared caches.
      const relativePath = url.pathname.slice(LOCAL_FILES_ROUTE.length);
      const key = safeDecode(relativePath);
      if (key !== null && (await mayReadStoredFile(services.characters, await viewerOf(request.headers), key))) {
        if (await serveFile(response, options.localFilesRoot, relativePath, 'private, max-age=300')) return;
      }
    }
    throw new HttpError(404, `no route for ${url.pathname}`, 'NOT_FOUND');
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    route(request, response).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      if (error instanceof HttpError) return sendJson(response, error.status, { success: false, code: error.code, message: error.message });
      logger.error({ err: error, url: request.url }, 'request failed');
      sendJson(response, 500, { success: false, code: 'INTERNAL_SERVER_ERROR', message: 'internal error' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: actualPort,
    close: async () => {
      await apollo.stop();
      webSockets.close();
    },
  };
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
