// What the page tells a person when something fails. Errors the service raises for the caller (a field to
// fix, a limit reached, a backend that failed) carry a message written for them; anything else (an internal
// error, a proxy's 502, an unreachable service) would only show server internals, so it is said plainly.
import { GraphQLRequestError } from './api.js';

const CODES_FOR_PEOPLE = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'BACKEND_ERROR', 'BACKEND_TIMEOUT']);

export const SERVER_TROUBLE = 'Something went wrong on the server. Please try again in a moment.';
export const UNREACHABLE = 'The service cannot be reached. Check the connection and try again.';

export function userMessage(error: unknown): string {
  if (error instanceof GraphQLRequestError) return error.code && CODES_FOR_PEOPLE.has(error.code) ? error.message : SERVER_TROUBLE;
  // fetch rejects with a TypeError when no answer came at all.
  if (error instanceof TypeError) return UNREACHABLE;
  return SERVER_TROUBLE;
}
