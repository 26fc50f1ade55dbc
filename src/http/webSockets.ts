// graphql-ws on the HTTP server's /graphql path. The upgrade is handled here rather than by `ws` itself so
// the Origin is checked before any socket opens (origins.ts), and so the HTTP server's own errors (a port
// in use) are not re-emitted on the WebSocket server, where graphql-ws prints them with console.error.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Authenticator } from '../auth/authenticator.js';
import { authFailureOf } from '../auth/errors.js';
import { graphQLAuthError, webSocketCloseFor } from '../auth/transport.js';
import type { GraphQLContext, Services } from '../graphql/context.js';
import { type QueryLimits, subscriptionArgs } from '../graphql/limits.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../ports.js';
import { clientSafeResult } from './clientErrors.js';
import type { OriginPolicy } from './origins.js';

export interface WebSocketOptions {
  path: string;
  schema: GraphQLSchema;
  services: Services;
  authenticator: Authenticator;
  logger: Logger;
  origins: OriginPolicy;
  maxPayload: number;
  queryLimits: QueryLimits;
  /** Internal error messages reach clients (single-user development only). */
  errorDetails: boolean;
  /** Counts subscriptions open; absent: not counted. */
  metrics?: Pick<Metrics, 'subscriptionOpened'>;
}

/** Refuses an upgrade with an HTTP answer in GraphQL's error shape, then drops the connection. */
function refuseUpgrade(socket: Duplex, status: number, statusText: string, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  socket.end(`HTTP/1.1 ${status} ${statusText}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

export function attachGraphQLWebSockets(server: Server, options: WebSocketOptions): { dispose(): Promise<void> } {
  const { schema, services, authenticator, logger } = options;
  // ws accepts 100 MiB messages by default; a subscribe message is held to the HTTP body cap.
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
  // Per connection: each open subscription's closer, called when graphql-ws completes it (it does so for a
  // client's complete, the stream's end, and a socket that closed abruptly alike).
  const openSubscriptions = new WeakMap<object, Map<string, () => void>>();
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
      onOperation: (ctx, id, _payload, _args, result) => {
        if (!options.metrics || !(Symbol.asyncIterator in result)) return;
        const open = openSubscriptions.get(ctx.extra) ?? new Map<string, () => void>();
        openSubscriptions.set(ctx.extra, open);
        open.set(id, options.metrics.subscriptionOpened());
      },
      onComplete: (ctx, id) => {
        const open = openSubscriptions.get(ctx.extra);
        open?.get(id)?.();
        open?.delete(id);
      },
      onNext: (_ctx, _id, _payload, _args, result) => clientSafeResult(result, options.errorDetails, logger),
      context: (ctx): GraphQLContext => ({ viewer: ctx.extra.viewer as GraphQLContext['viewer'], services }),
    },
    webSockets,
  );
  // After graphql-ws's own connection handler, which logs a socket's protocol errors (a message over
  // maxPayload, a malformed frame) with console.error, outside the logs: ws closes such a socket itself
  // (1009, 1002), so what remains is to say so in the log.
  webSockets.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (error: Error & { code?: string }) => logger.warn({ code: error.code, reason: error.message }, 'WebSocket closed on a protocol error'));
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = (request.url ?? '').split('?')[0];
    if (pathname !== options.path) return refuseUpgrade(socket, 404, 'Not Found', 'NOT_FOUND', `no WebSocket endpoint at ${pathname}`);
    if (!options.origins.allows(request)) {
      logger.info({ origin: request.headers.origin }, 'WebSocket from another site refused');
      return refuseUpgrade(socket, 403, 'Forbidden', 'FORBIDDEN', 'this origin may not open a WebSocket here (ALLOWED_ORIGINS)');
    }
    webSockets.handleUpgrade(request, socket, head, (webSocket) => webSockets.emit('connection', webSocket, request));
  });

  return {
    dispose: async () => {
      await subscriptions.dispose();
      webSockets.close();
    },
  };
}
