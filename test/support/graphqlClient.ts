// A small GraphQL client for e2e tests: queries and mutations over HTTP POST, subscriptions over graphql-ws,
// both typed by the codegen documents.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export class GraphQLTestClient {
  private wsClient: Client | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The raw result, errors included, for tests that assert on errors. */
  async execute<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<ExecutionResult<TData>> {
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return (await response.json()) as ExecutionResult<TData>;
  }

  /** The data; throws with the server's messages when the result has errors. */
  async request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<TData> {
    const result = await this.execute(document, variables);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  /** Subscribes over graphql-ws; the iterator ends when the server completes the subscription. */
  subscribe<TData, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): AsyncIterableIterator<ExecutionResult<TData>> {
    this.wsClient ??= createClient({
      url: `${this.baseUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { ...this.headers },
      lazy: true,
    });
    return this.wsClient.iterate({ query: print(document), variables }) as AsyncIterableIterator<ExecutionResult<TData>>;
  }

  async close(): Promise<void> {
    await this.wsClient?.dispose();
  }
}

/** Collects every event until the stream ends (or `limit` events), failing loudly on a stuck stream. */
export async function collect<T>(events: AsyncIterableIterator<ExecutionResult<T>>, limit = 100): Promise<ExecutionResult<T>[]> {
  const received: ExecutionResult<T>[] = [];
  for await (const event of events) {
    received.push(event);
    if (received.length >= limit) break;
  }
  return received;
}
