// When to ask /status about a job, fitted to the jobs seen lately. The first poll waits until just before the
// fastest recent job would have finished (nothing to learn earlier); from then on each wait is a tenth of the
// time the job has taken so far, so a finished job is noticed within 5 % of its own time whenever it
// finishes. Once a job runs well past the recent median (a hung job, or a cold worker), the waits double up to
// the configured longest gap: a stuck job is not polled busily while the job timeout runs.

/** Jobs remembered: enough for a steady median, few enough to follow a change of model or GPU within a set. */
const REMEMBERED = 20;
/** The first poll comes at this share of the fastest recent job's time. */
const FIRST_POLL_SHARE = 0.9;
/** Each wait near the expected finish is this share of the job's time so far: the most delay in noticing it. */
const NOTICE_SHARE = 0.05;
/** Past this many medians a job counts as late, and the waits back off. */
const LATE_AFTER_MEDIANS = 1.5;
/** The shortest wait between polls: below it /status calls would cost more than the time they save. */
export const MIN_POLL_MS = 20;

export interface PollSchedule {
  /** How long to wait before the next poll of a job submitted `elapsedMs` ago, whose last wait was `lastWaitMs` (0 before the first poll). */
  nextWait(elapsedMs: number, lastWaitMs: number): number;
}

export class JobDurations {
  private readonly recent: number[] = [];

  constructor(
    /** Without history: the first wait, then ×1.5 per poll up to `maxPollMs` (RUNPOD_POLL_INTERVAL_MS). */
    private readonly firstPollMs: number,
    private readonly maxPollMs: number,
  ) {}

  /** A job that finished `durationMs` after it was submitted. */
  record(durationMs: number): void {
    if (!(durationMs > 0) || !Number.isFinite(durationMs)) return;
    this.recent.push(durationMs);
    if (this.recent.length > REMEMBERED) this.recent.shift();
  }

  /** The schedule for a job submitted now, fixed from what is known at its submission. */
  schedule(): PollSchedule {
    const clamp = (ms: number) => Math.max(MIN_POLL_MS, Math.min(this.maxPollMs, Math.ceil(ms)));
    if (this.recent.length === 0) {
      return { nextWait: (_elapsed, last) => (last === 0 ? clamp(this.firstPollMs) : clamp(last * 1.5)) };
    }
    const sorted = [...this.recent].sort((a, b) => a - b);
    const fastest = sorted[0]!;
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return {
      nextWait: (elapsed, last) => {
        if (last === 0) return clamp(Math.max(FIRST_POLL_SHARE * fastest - elapsed, 0));
        if (elapsed > LATE_AFTER_MEDIANS * median) return clamp(Math.max(last * 2, NOTICE_SHARE * elapsed));
        return clamp(NOTICE_SHARE * elapsed);
      },
    };
  }
}
