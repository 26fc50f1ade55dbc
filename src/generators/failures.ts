// Whether a failure a GPU worker reports (RunPod FAILED, ComfyUI execution_error) can succeed on retry. Errors
// that say the request itself is wrong (an invalid workflow, a missing model, a bad value) will fail the same
// way again; anything else (out of memory, a crashed worker, a lost connection) may not.
const PERMANENT = /validat|invalid|not found|missing|required|unknown node|no such|bad request|value not in list|prompt has no outputs/i;

export function workerFailureIsRetryable(reason: string): boolean {
  return !PERMANENT.test(reason);
}

/** A worker's error value as a short line of text. */
export function describeWorkerError(error: unknown): string {
  if (typeof error === 'string') return error.slice(0, 300);
  if (error === undefined || error === null) return 'no reason given';
  return JSON.stringify(error).slice(0, 300);
}
