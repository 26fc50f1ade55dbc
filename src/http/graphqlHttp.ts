// GraphQL over HTTP (POST and GET /graphql) through Apollo. Every answer of this route, including the ones
// given before Apollo sees the request (a body too large, malformed JSON), has GraphQL's error shape
// `{ errors: [{ message, extensions: { code } }] }`, so a GraphQL client can read every failure the same way.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Authenticator } from '../auth/authenticator.js';
import { authFailureOf } from '../auth/errors.js';
import { graphQLAuthError } from '../auth/transport.js';
import type { GraphQLContext, Services } from '../graphql/context.js';
import { apolloQueryLimits, nestingError, type QueryLimits } from '../graphql/limits.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../ports.js';
import { HttpError, parseJsonBody, readBody } from './body.js';
import { clientSafeError, INTERNAL_ERROR_MESSAGE } from './clientErrors.js';
import { graphQLMetricsPlugin } from './requestMetrics.js';
import { sendJson } from './respond.js';

export interface GraphQLHttpOptions {
  schema: GraphQLSchema;
  services: Services;
  authenticator: Authenticator;
  logger: Logger;
  maxBodyBytes: number;
  queryLimits: QueryLimits;
  /** Stack traces and internal error messages reach clients (single-user development only). */
  errorDetails: boolean;
  /** Stops the WebSocket side when Apollo drains the HTTP server. */
  drainWebSockets: () => Promise<void>;
  metrics?: Pick<Metrics, 'graphqlOperation'>;
}

export interface GraphQLHttpHandler {
  handle(request: IncomingMessage, response: ServerResponse, search: string): Promise<void>;
  stop(): Promise<void>;
}

/** An error of this route in GraphQL's shape; anything but an HttpError is internal and logged. */
export function sendGraphQLError(response: ServerResponse, error: unknown, logger: Logger): void {
  if (error instanceof HttpError) return sendJson(response, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
  logger.error({ err: error }, 'GraphQL request failed');
  sendJson(response, 500, { errors: [{ message: INTERNAL_ERROR_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}

export async function createGraphQLHttpHandler(server: Server, options: GraphQLHttpOptions): Promise<GraphQLHttpHandler> {
  const { services, authenticator, logger } = options;
  const apollo = new ApolloServer<GraphQLContext>({
    schema: options.schema,
    introspection: true,
    ...apolloQueryLimits(options.queryLimits),
    // Apollo's default shows stack traces (with our absolute file paths) whenever NODE_ENV is not production.
    includeStacktraceInErrorResponses: options.errorDetails,
    // main.ts owns SIGINT/SIGTERM; Apollo's own handlers (on outside NODE_ENV=test) raced it and hung shutdown.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      { serverWillStart: async () => ({ drainServer: options.drainWebSockets }) },
      // Apollo's landing page loads from a CDN; the web client serves a bundled playground instead.
      ApolloServerPluginLandingPageDisabled(),
      ...(options.metrics ? [graphQLMetricsPlugin(options.metrics)] : []),
    ],
    formatError: (formatted, error) => clientSafeError(formatted, error, options.errorDetails, logger),
  });
  await apollo.start();

  async function handle(request: IncomingMessage, response: ServerResponse, search: string): Promise<void> {
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
    for (const [name, value] of result.headers) response.setHeader(name, value);
    response.writeHead(result.status ?? 200);
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }

  return { handle, stop: () => apollo.stop() };
}
