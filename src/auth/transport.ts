// How each transport says "not authenticated": one mapping, so HTTP routes, GraphQL over HTTP and graphql-ws
// agree. graphql-ws closes with 4401 when no credentials came, 4403 when they were refused, and 1013 (try
// again later) when the identity provider could not be reached.
import { GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { HeaderMap } from '@apollo/server';
import type { AuthFailure } from './errors.js';
import { UnauthenticatedError } from './errors.js';

const TRY_AGAIN_LATER = 1013;

/** For Apollo: the error's `extensions.http` sets the response status (401/503) and the challenge header. */
export function graphQLAuthError(failure: AuthFailure): GraphQLError {
  const headers = new HeaderMap(failure.status === 401 ? [['www-authenticate', 'Bearer']] : []);
  return new GraphQLError(failure.message, { extensions: { code: failure.code, http: { status: failure.status, headers } } });
}

export function webSocketCloseFor(error: unknown, failure: AuthFailure): { code: number; reason: string } {
  if (failure.status === 503) return { code: TRY_AGAIN_LATER, reason: 'Authentication unavailable' };
  if (error instanceof UnauthenticatedError && error.reason === 'missing') return { code: CloseCode.Unauthorized, reason: 'Unauthorized' };
  return { code: CloseCode.Forbidden, reason: 'Forbidden' };
}
