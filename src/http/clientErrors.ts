// What a client may see of an error. Errors we raise on purpose carry a code (BAD_USER_INPUT, NOT_FOUND, …)
// and a message written for the caller; anything else is an internal failure, whose message (a file path,
// a driver's text) and stack are for the server's log. Only single-user development shows them to clients.
import { type ExecutionResult, type FormattedExecutionResult, GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../logger.js';

export const INTERNAL_ERROR_MESSAGE = 'internal error (the details are in the server log)';

function isInternal(code: unknown): boolean {
  return code === undefined || code === 'INTERNAL_SERVER_ERROR';
}

/** For Apollo's formatError: logs an internal error and, unless `details`, replaces what it says. */
export function clientSafeError(formatted: GraphQLFormattedError, original: unknown, details: boolean, logger: Logger): GraphQLFormattedError {
  if (!isInternal(formatted.extensions?.code)) return formatted;
  logger.error({ err: original }, 'unexpected GraphQL error');
  if (details) return formatted;
  return { message: INTERNAL_ERROR_MESSAGE, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * The same for results sent over graphql-ws, which does not go through Apollo (nor its codes): there an error
 * is internal when a resolver threw something that is not a GraphQL error; errors of the request itself
 * (a variable of the wrong type) carry no code but are the caller's to read.
 */
export function clientSafeResult(result: ExecutionResult, details: boolean, logger: Logger): FormattedExecutionResult {
  const errors = result.errors?.map((error) => {
    const thrown = error.originalError;
    const internal = error.extensions.code === undefined && thrown !== undefined && !(thrown instanceof GraphQLError);
    return internal ? clientSafeError({ ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR' } }, thrown, details, logger) : error.toJSON();
  });
  return { ...(errors ? { errors } : {}), ...(result.data !== undefined ? { data: result.data } : {}), ...(result.extensions ? { extensions: result.extensions } : {}) };
}
