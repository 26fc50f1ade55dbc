// Background threads (the identity encoder) run at a lower CPU priority than the event loop that answers
// requests: on a machine with fewer free cores than busy threads, the kernel then hands the core to a request
// first and to inference with what is left, so a set being scored does not lengthen createCharacter's tail.
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How much nicer than the rest of the process a background thread runs: it yields to the event loop, and still has any idle core. */
export const BACKGROUND_NICENESS = 10;
/** Linux's lowest priority. */
const NICEST = 19;

/**
 * Lowers the calling thread's priority by BACKGROUND_NICENESS. On Linux niceness is per thread, addressed by
 * the thread's id, which /proc/thread-self names; elsewhere (or where the kernel refuses) the thread keeps its
 * priority: this is a latency refinement, not a requirement.
 */
export function deprioritizeThisThread(): void {
  if (process.platform !== 'linux') return;
  try {
    const threadId = Number(path.basename(readlinkSync('/proc/thread-self')));
    // Relative to what the thread inherited: a service started under `nice` keeps its background threads below itself.
    os.setPriority(threadId, Math.min(NICEST, os.getPriority(threadId) + BACKGROUND_NICENESS));
  } catch {
    // not Linux's /proc, or a kernel that refuses: the thread runs at the process's priority
  }
}
