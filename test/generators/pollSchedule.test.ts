// RunPod `run` mode's poll schedule as a pure function of the jobs seen: when it polls a job that takes T ms,
// it must notice the end within ~10 % of T, and a job that hangs must not be polled busily.
import { describe, expect, it } from 'vitest';
import { JobDurations, MIN_POLL_MS } from '../../src/generators/runpod/pollSchedule.js';

/** The times (ms after submission) at which a job is polled, until `until`. */
function pollTimes(durations: JobDurations, until: number): number[] {
  const schedule = durations.schedule();
  const times: number[] = [];
  for (let at = 0, wait = 0; at < until; ) {
    wait = schedule.nextWait(at, wait);
    at += wait;
    times.push(at);
  }
  return times;
}

/** How long after finishing at `finishedAt` the job is noticed. */
function noticeDelay(times: number[], finishedAt: number): number {
  return times.find((at) => at >= finishedAt)! - finishedAt;
}

function seen(ms: number[]): JobDurations {
  const durations = new JobDurations(200, 2_000);
  for (const duration of ms) durations.record(duration);
  return durations;
}

describe('RunPod poll schedule', () => {
  it('without history starts at the first wait and backs off to the longest gap', () => {
    const times = pollTimes(seen([]), 20_000);
    const gaps = times.map((at, i) => at - (times[i - 1] ?? 0));
    expect(gaps.slice(0, 4)).toEqual([200, 300, 450, 675]);
    expect(Math.max(...gaps)).toBe(2_000);
  });

  it('after jobs of ~1 s, waits until just before the fastest and notices any end within 5 % of the job\'s time', () => {
    const durations = seen([1_000, 1_050, 980, 1_020, 1_100]);
    const times = pollTimes(durations, 3_000);
    expect(times[0]).toBeCloseTo(0.9 * 980, -1);
    for (let finishedAt = 900; finishedAt <= 1_500; finishedAt += 7) {
      expect(noticeDelay(times, finishedAt), `a job finishing at ${finishedAt} ms`).toBeLessThanOrEqual(Math.max(0.05 * finishedAt, MIN_POLL_MS) + 1);
    }
    // Polls up to the expected end: few, not one every MIN_POLL_MS.
    expect(times.filter((at) => at <= 1_100).length).toBeLessThanOrEqual(6);
  });

  it('backs off on a job far past the recent median instead of polling it busily', () => {
    const times = pollTimes(seen([300, 300, 300]), 600_000);
    const late = times.filter((at) => at > 1_000);
    const gaps = late.slice(1).map((at, i) => at - late[i]!);
    expect(gaps.at(-1)).toBe(2_000);
    // Ten minutes of a hung job: about one poll per longest gap, as before the schedule existed.
    expect(times.length).toBeLessThanOrEqual(600_000 / 2_000 + 20);
  });

  it('follows a change in job times: it remembers only the recent jobs', () => {
    const durations = seen(Array.from({ length: 20 }, () => 5_000));
    for (let i = 0; i < 20; i++) durations.record(500);
    expect(pollTimes(durations, 1_000)[0]).toBeCloseTo(450, -1);
  });
});
