// Deadlines and waits that respect cancellation, shared by the pipeline and the adapters.

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * Runs `task` with a signal that aborts when `ms` pass or `parent` aborts, and rejects at once in both cases
 * (with a TimeoutError at the deadline, with the parent's reason on abort) even if the task ignores its
 * signal, so neither a hung backend nor a shutdown can be held up by it.
 */
export async function withDeadline<T>(task: (signal: AbortSignal) => Promise<T>, ms: number, what: string, parent?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutError(`${what} did not finish within ${ms} ms`)), ms);
  const onParentAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, { once: true });
  if (parent?.aborted) controller.abort(parent.reason);
  const aborted = new Promise<never>((_, reject) => {
    if (controller.signal.aborted) reject(controller.signal.reason);
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  try {
    return await Promise.race([task(controller.signal), aborted]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
