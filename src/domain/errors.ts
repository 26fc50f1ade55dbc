// Typed errors. The domain raises these; graphql/ maps them to `extensions.code`, http/ to status codes.

/** The caller sent something we refuse (GraphQL BAD_USER_INPUT, HTTP 400). */
export class InvalidInputError extends Error {
  override readonly name: string = 'InvalidInputError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** No such thing, or not visible to the caller (GraphQL NOT_FOUND, HTTP 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/**
 * An external backend (image generator, object store) failed. `retryable` says whether the same request can
 * succeed later (timeouts, 429, 5xx), so the pipeline retries only what can succeed on retry.
 * Messages must never contain secrets (API keys, signed URLs).
 */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly backend: string,
    message: string,
    readonly retryable: boolean,
    /** Backend-advised wait before a retry (e.g. from Retry-After), in milliseconds. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(`${backend}: ${message}`, options);
  }
}

/** The caller reached a per-user limit (GraphQL RATE_LIMITED); the same request can succeed after `retryAfterMs`. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    message: string,
    /** Which limit, as named in extensions: 'charactersInGeneration' or 'charactersPerDay'. */
    readonly limit: string,
    readonly max: number,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** Bytes given as an image that are not one we can read: not PNG/JPEG/WebP, truncated, or too large. */
export class InvalidImageError extends InvalidInputError {
  override readonly name: string = 'InvalidImageError';
}

/**
 * The identity encoder cannot run (its model files are missing, WebAssembly failed, its thread died). Callers
 * record images as "not judged" with this message as the cause; it is not the image's fault.
 */
export class EncoderUnavailableError extends Error {
  override readonly name = 'EncoderUnavailableError';
}
