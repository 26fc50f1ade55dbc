// The CLI's way to the service: queries and mutations over GraphQL HTTP, subscriptions over graphql-ws, both
// typed by the codegen'd documents, plus downloads of stored files. Transport failures become CliErrors with
// the exit code a script can act on.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, type GraphQLFormattedError, print } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CliError, EXIT } from './exitCodes.js';

export interface Connection {
  /** The service's base URL, e.g. http://localhost:4000 */
  url: string;
  token?: string;
}

const AUTH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

function errorFrom(errors: readonly GraphQLFormattedError[]): CliError {
  const first = errors[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : undefined;
  const message = errors.map((error) => error.message).join('; ');
  return new CliError(message, code && AUTH_CODES.has(code) ? EXIT.unreachable : EXIT.failed, code);
}

/** graphql-ws rejects with the socket's CloseEvent (4401 without credentials, 4403 refused ones). */
function closeReason(event: unknown): string {
  const { code, reason } = (event ?? {}) as { code?: unknown; reason?: unknown };
  return typeof code === 'number' ? `the connection closed with ${code}${reason ? ` ${String(reason)}` : ''}` : String(event);
}

export class ServiceClient {
  private socket: Client | null = null;
  private readonly base: URL;

  constructor(private readonly connection: Connection) {
    try {
      this.base = new URL(connection.url);
    } catch {
      throw new CliError(`--url ${JSON.stringify(connection.url)} is not a URL`, EXIT.usage);
    }
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') throw new CliError(`--url must be http:// or https:// (got ${this.base.protocol})`, EXIT.usage);
  }

  private get headers(): Record<string, string> {
    return this.connection.token ? { authorization: `Bearer ${this.connection.token}` } : {};
  }

  private endpoint(): URL {
    return new URL('graphql', this.base.href.endsWith('/') ? this.base : `${this.base.href}/`);
  }

  /** The operation's data; a GraphQL error or an unreachable service throws a CliError. */
  async request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<TData> {
    let response: Response;
    try {
      response = await fetch(this.endpoint(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...this.headers },
        body: JSON.stringify({ query: print(document), variables }),
      });
    } catch (error) {
      throw this.unreachable(error);
    }
    const body = (await response.json().catch(() => null)) as ExecutionResult<TData> | null;
    if (body?.errors?.length) throw errorFrom(body.errors);
    if (!response.ok || !body?.data) throw new CliError(`the service answered HTTP ${response.status}`, response.status === 401 || response.status === 403 ? EXIT.unreachable : EXIT.failed);
    return body.data;
  }

  /** Events of a subscription until the service completes it; an error event throws a CliError. */
  async *subscribe<TData, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): AsyncGenerator<TData> {
    this.socket ??= createClient({
      url: this.endpoint().href.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: this.headers,
      lazy: true,
      retryAttempts: 3,
    });
    try {
      for await (const result of this.socket.iterate({ query: print(document), variables }) as AsyncIterableIterator<ExecutionResult<TData>>) {
        if (result.errors?.length) throw errorFrom(result.errors);
        if (result.data) yield result.data;
      }
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw this.unreachable(error);
    }
  }

  /**
   * A stored file. The token goes only to the service's own origin (local storage under /files/); a file on a
   * CDN (Cloudinary) is fetched without it, so credentials never leave for another host.
   */
  async download(fileUrl: string): Promise<Uint8Array> {
    const target = new URL(fileUrl, this.base);
    const headers = target.origin === this.base.origin ? this.headers : {};
    let response: Response;
    try {
      response = await fetch(target, { headers });
    } catch (error) {
      throw this.unreachable(error);
    }
    if (!response.ok) throw new CliError(`downloading ${target.pathname} answered HTTP ${response.status}`, EXIT.failed);
    return new Uint8Array(await response.arrayBuffer());
  }

  private unreachable(error: unknown): CliError {
    // fetch's own message is always 'fetch failed'; what went wrong (ECONNREFUSED, bad port) is in its cause.
    const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
    const reason = error instanceof Error ? (cause?.code ?? cause?.message ?? error.message) : closeReason(error);
    return new CliError(`cannot reach the service at ${this.base.origin}: ${reason}`, EXIT.unreachable);
  }

  async close(): Promise<void> {
    await this.socket?.dispose();
  }
}
