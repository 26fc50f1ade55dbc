// Queries and mutations over HTTP POST, typed by the codegen documents from operations/charsheet.graphql.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { authHeaders } from './credentials.js';

export const GRAPHQL_PATH = '/graphql';

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A request the server answered with errors; `code` is the first error's extensions.code. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

export async function request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<TData> {
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() },
    body: JSON.stringify({ query: print(document), variables }),
  });
  let result: GraphQLResponse<TData>;
  try {
    result = (await response.json()) as GraphQLResponse<TData>;
  } catch {
    throw new GraphQLRequestError(`the server answered ${response.status} without a GraphQL result`, undefined);
  }
  const [firstError] = result.errors ?? [];
  if (firstError || !result.data) {
    throw new GraphQLRequestError(firstError?.message ?? 'empty response', firstError?.extensions?.code);
  }
  return result.data;
}
