// Why a caller was not let in. Transports (HTTP, GraphQL over HTTP, graphql-ws) turn these into their own
// status codes through `authFailureOf`, so all of them answer the same way.

/** 'missing': no credentials at all; 'invalid': credentials that do not verify (expired, wrongly signed, …). */
export type UnauthenticatedReason = 'missing' | 'invalid';

export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
  constructor(
    message: string,
    readonly reason: UnauthenticatedReason,
  ) {
    super(message);
  }
}

/**
 * The identity provider could not be asked (JWKS unreachable or broken). Not the caller's fault, so not
 * UNAUTHENTICATED: a client that retries later with the same token succeeds.
 */
export class AuthUnavailableError extends Error {
  override readonly name = 'AuthUnavailableError';
}

export interface AuthFailure {
  status: 401 | 503;
  code: 'UNAUTHENTICATED' | 'AUTH_UNAVAILABLE';
  message: string;
}

/** The HTTP status and error code for an authentication failure; null for any other error. */
export function authFailureOf(error: unknown): AuthFailure | null {
  if (error instanceof UnauthenticatedError) return { status: 401, code: 'UNAUTHENTICATED', message: error.message };
  if (error instanceof AuthUnavailableError) return { status: 503, code: 'AUTH_UNAVAILABLE', message: error.message };
  return null;
}
