// Domain errors → GraphQL errors with `extensions.code`, in one place, for queries, mutations and
// subscriptions alike (a middleware on every resolver class, schema.ts, sees all of them).
import { GraphQLError } from 'graphql';
import { ArgumentValidationError, type MiddlewareFn } from 'type-graphql';
import { BackendError, EncoderUnavailableError, InvalidInputError, NotFoundError, RateLimitedError } from '../domain/errors.js';
import { TimeoutError } from '../support/abort.js';
import { INTERNAL_ERROR_MESSAGE } from '../http/clientErrors.js';

export function toGraphQLError(error: unknown): unknown {
  if (error instanceof GraphQLError) return error;
  if (error instanceof InvalidInputError) return new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', field: error.field } });
  if (error instanceof ArgumentValidationError) return new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
  if (error instanceof NotFoundError) return new GraphQLError(error.message, { extensions: { code: 'NOT_FOUND' } });
  if (error instanceof RateLimitedError) {
    return new GraphQLError(error.message, { extensions: { code: 'RATE_LIMITED', limit: error.limit, max: error.max, retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) } });
  }
  if (error instanceof BackendError) {
    return new GraphQLError(`image generation failed: ${error.message}`, { extensions: { code: 'BACKEND_ERROR', backend: error.backend, retryable: error.retryable } });
  }
  if (error instanceof EncoderUnavailableError) return new GraphQLError(`identity scores are unavailable: ${error.message}`, { extensions: { code: 'IDENTITY_UNAVAILABLE' } });
  if (error instanceof TimeoutError) return new GraphQLError(error.message, { extensions: { code: 'BACKEND_TIMEOUT', retryable: true } });
  return error;
}

/** An error as a client may read it inside data (a batch's per-input outcome): its code, and no internal detail. */
export function clientErrorFields(error: unknown): { code: string; message: string; field: string | null; retryAfterSeconds: number | null; limit: string | null } {
  const mapped = toGraphQLError(error);
  const code = mapped instanceof GraphQLError ? mapped.extensions.code : undefined;
  if (typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR') return { code: 'INTERNAL_SERVER_ERROR', message: INTERNAL_ERROR_MESSAGE, field: null, retryAfterSeconds: null, limit: null };
  const { field, retryAfterSeconds, limit } = (mapped as GraphQLError).extensions;
  return {
    code,
    message: (mapped as GraphQLError).message,
    field: typeof field === 'string' ? field : null,
    retryAfterSeconds: typeof retryAfterSeconds === 'number' ? retryAfterSeconds : null,
    limit: typeof limit === 'string' ? limit : null,
  };
}

export const mapDomainErrors: MiddlewareFn = async (_, next) => {
  try {
    return await next();
  } catch (error) {
    throw toGraphQLError(error);
  }
};
