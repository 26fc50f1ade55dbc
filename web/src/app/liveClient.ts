// The subscription connection: graphql-ws over the page's own host. It retries forever with a capped backoff
// and re-subscribes on its own; listeners hear every (re)connection so watchers can catch up with what
// they missed while the socket was down.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { GRAPHQL_PATH, GraphQLRequestError } from './api.js';
import { authHeaders } from './credentials.js';
import { userMessage } from './userMessages.js';

export type ConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface SubscriptionHandlers<TData> {
  next(data: TData): void;
  error(message: string): void;
  complete(): void;
}

const MAX_RETRY_WAIT_MS = 5_000;
const FORBIDDEN_CLOSE_CODE = 4403;

export class LiveClient {
  private readonly client: Client;
  private readonly connectedListeners = new Set<() => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private everConnected = false;

  constructor(url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`) {
    this.client = createClient({
      url,
      lazy: true,
      // Read at every (re)connection, so a reconnect carries the current token.
      connectionParams: () => authHeaders(),
      // A dropped network is not a reason to give up: the sheet must fill in once the network is back. Refused
      // credentials are (graphql-ws already gives up on 4401 and other protocol errors): say so instead.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: (reason) => !(isCloseEvent(reason) && reason.code === FORBIDDEN_CLOSE_CODE),
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(MAX_RETRY_WAIT_MS, 250 * 2 ** retries))),
      keepAlive: 10_000,
      on: {
        connecting: () => this.setState(this.everConnected ? 'reconnecting' : 'connecting'),
        connected: () => {
          this.everConnected = true;
          this.setState('live');
          for (const listener of this.connectedListeners) listener();
        },
        closed: () => this.setState(navigator.onLine ? 'idle' : 'offline'),
      },
    });
    // A socket can outlive a network change without noticing; start over on a fresh one when the network is back.
    window.addEventListener('online', () => this.client.terminate());
    window.addEventListener('offline', () => this.setState('offline'));
  }

  /** Called on every connection, the first one included. Returns the unsubscribe function. */
  onConnected(listener: () => void): () => void {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  subscribe<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    handlers: SubscriptionHandlers<TData>,
  ): () => void {
    return this.client.subscribe<TData>(
      { query: print(document), variables },
      {
        next: (result) => {
          if (result.errors?.length) handlers.error(messageOf(result.errors));
          else if (result.data) handlers.next(result.data);
        },
        error: (error) => handlers.error(describeError(error)),
        complete: () => handlers.complete(),
      },
    );
  }

  private setState(state: ConnectionState): void {
    for (const listener of this.stateListeners) listener(state);
  }
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'number';
}

/** The first GraphQL error, said as the page says any failed request. */
function messageOf(errors: readonly { message?: string; extensions?: { code?: unknown } }[]): string {
  const [first] = errors;
  const code = first?.extensions?.code;
  return userMessage(new GraphQLRequestError(first?.message ?? '', typeof code === 'string' ? code : undefined));
}

function describeError(error: unknown): string {
  if (Array.isArray(error)) return messageOf(error);
  if (error instanceof Error) return error.message;
  if (isCloseEvent(error) && error.reason) return `the live connection was closed: ${error.reason}`;
  return 'the live connection failed';
}
