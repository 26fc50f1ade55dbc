// Durations of HTTP requests and GraphQL operations for the Metrics port. Labels come from fixed sets only: the
// route is classified from the path (never the path itself, which holds ids and whatever a client sends) and
// a GraphQL operation by its type (never its name, which the client chooses).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLOperationServed, HttpRoute } from '../metricsPort.js';
import type { Metrics } from '../ports.js';
import { LOCAL_FILES_ROUTE } from '../storage/local.js';
import { EMBEDDING_STATUS_ROUTE } from './embeddingStatusRoute.js';

const EXACT: Record<string, HttpRoute> = { '/graphql': 'graphql', '/health': 'health', '/ready': 'ready', '/metrics': 'metrics' };

/** The route a request was answered by; `status` tells the web client's files from paths that matched nothing. */
export function routeLabel(pathname: string | null, status: number): HttpRoute {
  if (pathname === null) return 'unmatched';
  const exact = EXACT[pathname];
  if (exact) return exact;
  if (pathname.startsWith(LOCAL_FILES_ROUTE)) return 'files';
  if (EMBEDDING_STATUS_ROUTE.test(pathname)) return 'embedding_status';
  return status === 404 || status === 405 ? 'unmatched' : 'web';
}

/** Reports the request once its answer is sent or its connection closes, whichever comes first. */
export function timeRequest(request: IncomingMessage, response: ServerResponse, pathname: string | null, metrics: Pick<Metrics, 'httpRequest'>): void {
  const started = performance.now();
  response.once('close', () => metrics.httpRequest({ route: routeLabel(pathname, response.statusCode), method: request.method ?? 'other', status: response.statusCode, durationMs: performance.now() - started }));
}

/** An Apollo plugin timing each request it executes, by operation type and whether it answered errors. */
export function graphQLMetricsPlugin(metrics: Pick<Metrics, 'graphqlOperation'>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      let type: GraphQLOperationServed['type'] = 'none';
      return {
        async didResolveOperation({ operation }) {
          type = operation?.operation ?? type;
        },
        async willSendResponse({ response, errors }) {
          const answeredErrors = response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
          metrics.graphqlOperation({ type, outcome: answeredErrors || (errors?.length ?? 0) > 0 ? 'error' : 'ok', durationMs: performance.now() - started });
        },
      };
    },
  };
}
