// Readiness, as orchestrators mean it: /health says the process is alive (restart it if not), /ready says it
// can do its work now (send it traffic only if so). Ready = every dependency answers a cheap probe within a
// short deadline; the answer names the one that did not, so an operator knows where to look.
import { TimeoutError, withDeadline } from '../support/abort.js';

/** One dependency's probe: resolves when it answers, rejects saying why not. */
export interface ReadinessCheck {
  name: string;
  probe(signal: AbortSignal): Promise<void>;
}

export interface CheckOutcome {
  ok: boolean;
  /** Why it is not ready; absent when ok. */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckOutcome>;
}

/** Each probe's deadline: an orchestrator polls often and must get an answer, not a hung request. */
export const READY_PROBE_TIMEOUT_MS = 2_000;
const MAX_ERROR_LENGTH = 200;

async function outcomeOf(check: ReadinessCheck, timeoutMs: number): Promise<CheckOutcome> {
  try {
    await withDeadline((signal) => check.probe(signal), timeoutMs, check.name);
    return { ok: true };
  } catch (error) {
    if (error instanceof TimeoutError) return { ok: false, error: `no answer within ${timeoutMs} ms` };
    return { ok: false, error: (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH) };
  }
}

/** A port that may say whether it is ready (ports.ts: the optional `ready`); one without is always ready. */
export interface MayProbe {
  ready?(signal: AbortSignal): Promise<void>;
}

/** One check per named port, probing its `ready` when it has one. */
export function portChecks(ports: Record<string, MayProbe>): ReadinessCheck[] {
  return Object.entries(ports).map(([name, port]) => ({ name, probe: async (signal) => port.ready?.(signal) }));
}

/** Runs every probe at once, each bounded by `timeoutMs`. */
export async function readiness(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<Readiness> {
  const outcomes = await Promise.all(checks.map(async (check) => [check.name, await outcomeOf(check, timeoutMs)] as const));
  return { ready: outcomes.every(([, outcome]) => outcome.ok), checks: Object.fromEntries(outcomes) };
}
