// How the pipeline waits before trying again: a failed generation attempt, and a write (an image to the object
// store, a record to the database) that must not be lost and so is tried until it succeeds or work stops.
import { BackendError } from '../domain/errors.js';
import { sleep } from '../support/abort.js';

const MAX_RETRY_DELAY_MS = 60_000;

/** Exponential backoff with jitter, never shorter than what the backend asked for. */
export function retryDelayMs(attempt: number, baseMs: number, error: unknown): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (attempt - 1));
  const jittered = exponential * (0.5 + Math.random() * 0.5);
  const advised = error instanceof BackendError ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(jittered, advised);
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof BackendError) return error.retryable;
  return true;
}

export interface UntilDoneOptions {
  signal: AbortSignal;
  baseDelayMs: number;
  /** Told of each failure before the wait (to record it where users can see it). */
  onFailure(error: unknown, failures: number): Promise<void>;
}

/**
 * Runs `write` until it succeeds; null when `signal` aborts first. For writes whose loss would lose work that is
 * done (a generated image, its record): an outage of any length costs waiting, never a regeneration.
 */
export async function untilDone<T>(write: () => Promise<T>, options: UntilDoneOptions): Promise<{ value: T; failures: number } | null> {
  for (let failures = 0; !options.signal.aborted; ) {
    try {
      return { value: await write(), failures };
    } catch (error) {
      failures += 1;
      await options.onFailure(error, failures).catch(() => undefined);
      const waited = await sleep(retryDelayMs(failures, options.baseDelayMs, error), options.signal).then(
        () => true,
        () => false,
      );
      if (!waited) return null;
    }
  }
  return null;
}
