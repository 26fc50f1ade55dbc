// Pacing toward an image backend, as configuration rather than code: at most `maxConcurrency` requests in
// flight, submissions at least `minSpacingMs` apart. Avatars (a user waits for them) go first and have
// `avatarReserve` slots background variations never take, so an avatar does not wait for a background image;
// waiting requests of each kind are shared fairly between their owners (fairLine.ts). The pacer
// also listens to the backend: a request answered with "slow down" (a BackendError carrying retryAfterMs, which
// adapters set on HTTP 429 and on 5xx with Retry-After) halves the concurrency it allows and pauses new
// submissions for the advised time; each success then adds back a fraction of a slot (AIMD, as TCP does), so
// a set finishes in about one image's time when the backend has room and backs off cleanly when it has none.
import { BackendError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { GeneratedImage, GenerationHooks, ImageGenerator, ImageRequest } from '../ports.js';
import { withDeadline } from '../support/abort.js';
import { FairLine } from './fairLine.js';

/**
 * The backend refused to take the request at all (HTTP 429 on submission): nothing started on its side, so the
 * pacer may send it again once the pause is over without risking a duplicate image or a second bill.
 */
export class SubmissionRefusedError extends BackendError {}

/** What a backend can say about its own load (RunPod: GET /health). */
export interface CapacityHint {
  /** Workers able to take jobs now or soon (idle, running, initializing). */
  workers: number;
  /** Jobs waiting in the backend's queue, from every client of the endpoint. */
  queued: number;
  /** The most workers the backend will ever run (RunPod: the endpoint's max workers setting), when known. */
  maxWorkers?: number;
}

/** A generator that can report its backend's load; the pacer asks it now and then while busy. */
export interface CapacityAware {
  capacityHint(signal?: AbortSignal): Promise<CapacityHint | null>;
}

export interface PacingOptions {
  /** Requests in flight at once at most; also the ceiling adaptive back-off recovers to. */
  maxConcurrency: number;
  /** Minimum gap between two submissions (the seed system used 2000 ms); 0 for none. */
  minSpacingMs: number;
  /** Halve concurrency and pause on "slow down" answers; default true. */
  adaptive?: boolean;
  /** Times one request is sent again after a SubmissionRefusedError before the refusal is returned; default 5. */
  maxResubmits?: number;
  /** Least time between two capacity probes of a CapacityAware backend; default 5000 ms. */
  capacityProbeMs?: number;
  /**
   * Let a CapacityAware backend's maxWorkers replace maxConcurrency (used when the operator set no limit, so
   * the pacer keeps exactly as many requests in flight as the endpoint can run); default false.
   */
  followBackendLimit?: boolean;
  /**
   * Slots only avatars may use, so an avatar never waits for a background image; default 1. Never more than
   * the allowed concurrency minus one: background work always keeps a slot.
   */
  avatarReserve?: number;
  /** How many requests an owner joining the line may go ahead of owners already served (fairLine.ts); default 10, one set. */
  ownerCredit?: number;
  logger?: Logger;
}

export interface PacingStats {
  inFlight: number;
  waiting: number;
  /** The most requests that were ever in flight at once. */
  peakInFlight: number;
  /** How many requests the pacer allows in flight right now (≤ maxConcurrency after back-off). */
  allowedConcurrency: number;
  /** How many times back-off reduced the allowed concurrency. */
  backoffs: number;
}

interface Waiter {
  resolve: (submission: number) => void;
  reject: (reason: unknown) => void;
  /** A user is waiting for this one (the avatar of createCharacter), not a background set. */
  urgent: boolean;
  owner: string;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

function isSlowDown(error: unknown): error is BackendError & { retryAfterMs: number } {
  return error instanceof BackendError && error.retryAfterMs !== undefined;
}

function isCapacityAware(generator: ImageGenerator): generator is ImageGenerator & CapacityAware {
  return typeof (generator as Partial<CapacityAware>).capacityHint === 'function';
}

export class PacedGenerator implements ImageGenerator {
  readonly name: string;
  /** The ceiling: the configured maxConcurrency, or the backend's own limit when following it. */
  private maxConcurrency: number;
  private readonly followBackendLimit: boolean;
  private readonly minSpacingMs: number;
  private readonly adaptive: boolean;
  private readonly maxResubmits: number;
  private readonly capacityProbeMs: number;
  private readonly avatarReserve: number;
  /** Avatars waiting, and background variations waiting: each shared fairly between owners. */
  private readonly urgent: FairLine<Waiter>;
  private readonly background: FairLine<Waiter>;
  private inFlight = 0;
  private backgroundInFlight = 0;
  private peakInFlight = 0;
  private backoffs = 0;
  /** Allowed concurrency as a real number: additive increase adds fractions of a slot per success. */
  private window: number;
  private lastSubmitAt = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  /** Submissions granted so far; a request is known by its number, to tell old answers from new ones. */
  private submissions = 0;
  private lastDecreaseAfter = -1;
  private wakeTimer: NodeJS.Timeout | undefined;
  private lastProbeAt = Number.NEGATIVE_INFINITY;
  private probing = false;
  private lastQueued = 0;
  private readonly logger: Logger | undefined;

  constructor(
    private readonly inner: ImageGenerator,
    options: PacingOptions,
  ) {
    if (!Number.isInteger(options.maxConcurrency) || options.maxConcurrency < 1) throw new RangeError('maxConcurrency must be an integer ≥ 1');
    if (!(options.minSpacingMs >= 0)) throw new RangeError('minSpacingMs must be ≥ 0');
    this.name = inner.name;
    this.maxConcurrency = options.maxConcurrency;
    this.minSpacingMs = options.minSpacingMs;
    this.adaptive = options.adaptive ?? true;
    this.maxResubmits = options.maxResubmits ?? 5;
    this.capacityProbeMs = options.capacityProbeMs ?? 5_000;
    this.followBackendLimit = options.followBackendLimit ?? false;
    this.avatarReserve = options.avatarReserve ?? 1;
    if (!Number.isInteger(this.avatarReserve) || this.avatarReserve < 0) throw new RangeError('avatarReserve must be an integer ≥ 0');
    const credit = options.ownerCredit ?? 10;
    this.urgent = new FairLine(credit);
    this.background = new FairLine(credit);
    this.logger = options.logger;
    this.window = this.maxConcurrency;
  }

  /** `hooks.dispatched` is called once, when the request first leaves the line for the backend. */
  async generate(request: ImageRequest, signal?: AbortSignal, hooks?: GenerationHooks): Promise<GeneratedImage> {
    for (let resubmits = 0; ; resubmits++) {
      const urgent = request.variation === 'avatar';
      const submission = await this.acquire(signal, resubmits > 0, urgent, request.owner ?? '');
      if (resubmits === 0) hooks?.dispatched?.();
      else hooks?.resubmitted?.();
      let held = true;
      const backendDone = () => {
        if (held) this.release(urgent);
        held = false;
      };
      // Generators that do not report it ignore the hook; the slot is then freed when they return.
      const innerHooks: GenerationHooks = { backendDone };
      try {
        // The deadline starts now that the request reaches the backend, not while it waited for a slot.
        const image =
          request.timeoutMs === undefined
            ? await this.inner.generate(request, signal, innerHooks)
            : await withDeadline((bounded) => this.inner.generate(request, bounded, innerHooks), request.timeoutMs, `${this.name}: ${request.variation}`, signal);
        this.onSuccess(submission);
        return image;
      } catch (error) {
        if (isSlowDown(error)) this.slowDown(error.retryAfterMs, submission, error.message);
        const mayResend = error instanceof SubmissionRefusedError && resubmits < this.maxResubmits && !signal?.aborted;
        if (!mayResend) throw error;
      } finally {
        backendDone();
      }
    }
  }

  stats(): PacingStats {
    return {
      inFlight: this.inFlight,
      waiting: this.urgent.length + this.background.length,
      peakInFlight: this.peakInFlight,
      allowedConcurrency: this.allowed(),
      backoffs: this.backoffs,
    };
  }

  /** Readiness is the backend's: the pacer itself is always ready. */
  ready(signal: AbortSignal): Promise<void> {
    return this.inner.ready?.(signal) ?? Promise.resolve();
  }

  /** Frees what the inner generator holds (a socket), when it holds anything. */
  close(): void {
    this.inner.close?.();
  }

  private allowed(): number {
    return Math.max(1, Math.floor(this.window));
  }

  /**
   * Waits for a slot: avatars before background variations (createCharacter answers a user who waits for it,
   * while reference sets can queue), each kind shared fairly between owners, and a resent request at the head
   * of its kind's line (it was first in line once already).
   */
  private acquire(signal: AbortSignal | undefined, resent: boolean, urgent: boolean, owner: string): Promise<number> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // A waiter is one small record: with 1,000 sets in flight, 10,000 of them wait here at once.
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, urgent, owner, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => this.withdraw(waiter);
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      const line = this.lineOf(waiter);
      if (resent) line.pushResent(waiter);
      else line.push(owner, waiter);
      this.pump();
    });
  }

  private lineOf(waiter: Waiter): FairLine<Waiter> {
    return waiter.urgent ? this.urgent : this.background;
  }

  /** An aborted waiter leaves the line at once, so a shutdown never waits for its turn. */
  private withdraw(waiter: Waiter): void {
    this.lineOf(waiter).remove(waiter.owner, waiter);
    waiter.reject(waiter.signal?.reason);
    this.pump();
  }

  private release(urgent: boolean): void {
    this.inFlight -= 1;
    if (!urgent) this.backgroundInFlight -= 1;
    this.pump();
  }

  /** The line whose head may have a slot now: avatars up to the limit, background work short of the avatars' reserve. */
  private nextLine(): FairLine<Waiter> | null {
    const allowed = this.allowed();
    if (this.inFlight >= allowed) return null;
    if (this.urgent.length > 0) return this.urgent;
    const reserve = Math.min(this.avatarReserve, allowed - 1);
    return this.background.length > 0 && this.backgroundInFlight < allowed - reserve ? this.background : null;
  }

  /** Grants slots to waiters while concurrency, spacing and any pause allow; otherwise sleeps until they do. */
  private pump(): void {
    for (let line = this.nextLine(); line; line = this.nextLine()) {
      const now = Date.now();
      const notBefore = Math.max(this.lastSubmitAt + this.minSpacingMs, this.pausedUntil);
      if (now < notBefore) {
        this.wakeAt(notBefore - now);
        return;
      }
      const waiter = line.shift()!;
      this.inFlight += 1;
      if (!waiter.urgent) this.backgroundInFlight += 1;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      this.lastSubmitAt = now;
      this.submissions += 1;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(this.submissions);
    }
    if (this.inFlight > 0) this.probeCapacity();
  }

  private wakeAt(delayMs: number): void {
    if (this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.pump();
    }, delayMs);
  }

  private onSuccess(submission: number): void {
    // An answer to a request sent before the last back-off says nothing about the reduced window.
    if (!this.adaptive || this.window >= this.maxConcurrency || submission <= this.lastDecreaseAfter) return;
    // One slot back per window's worth of successes: about one more in flight per round trip.
    this.window = Math.min(this.maxConcurrency, this.window + 1 / this.allowed());
  }

  /**
   * Pauses submissions for `pauseMs` and halves the window, at most once per round trip: answers to requests
   * sent before the last decrease describe the load that caused it, not new load. `evidence` is the number of
   * the submission the signal is about (or the last one sent when a probe started).
   */
  private slowDown(pauseMs: number, evidence: number, why: string): void {
    if (!this.adaptive) return;
    const now = Date.now();
    if (pauseMs > 0 && now + pauseMs > this.pausedUntil) {
      this.pausedUntil = now + pauseMs;
      if (this.wakeTimer) {
        clearTimeout(this.wakeTimer);
        this.wakeTimer = undefined;
      }
    }
    if (evidence <= this.lastDecreaseAfter) return;
    const before = this.allowed();
    this.window = Math.max(1, this.window / 2);
    this.lastDecreaseAfter = this.submissions;
    this.backoffs += 1;
    this.logger?.warn({ backend: this.name, from: before, to: this.allowed(), pauseMs, why }, 'backend asked to slow down');
  }

  private adoptCeiling(ceiling: number): void {
    if (ceiling === this.maxConcurrency) return;
    // Not backed off: run at the new ceiling at once. Backed off: keep recovering, now toward the new ceiling.
    const atCeiling = this.window >= this.maxConcurrency;
    this.logger?.info({ backend: this.name, from: this.maxConcurrency, to: ceiling }, 'in-flight limit follows the backend');
    this.maxConcurrency = ceiling;
    this.window = atCeiling ? ceiling : Math.min(this.window, ceiling);
    this.pump();
  }

  /**
   * Asks a CapacityAware backend about its queue now and then. A growing queue longer than both the workers and
   * our own requests in flight is congestion from other clients: backing off leaves them room and avoids 429s.
   * A queue of only our own requests (workers scaling up from zero) is not: they are within the limit already.
   */
  private probeCapacity(): void {
    const inner = this.inner;
    if ((!this.adaptive && !this.followBackendLimit) || !isCapacityAware(inner) || this.probing) return;
    const startedAt = Date.now();
    if (startedAt - this.lastProbeAt < this.capacityProbeMs) return;
    this.probing = true;
    this.lastProbeAt = startedAt;
    const evidence = this.submissions;
    inner
      .capacityHint()
      .then((hint) => {
        if (!hint) return;
        if (this.followBackendLimit && hint.maxWorkers !== undefined && hint.maxWorkers >= 1) this.adoptCeiling(Math.floor(hint.maxWorkers));
        if (!this.adaptive) return;
        const growing = hint.queued > this.lastQueued;
        this.lastQueued = hint.queued;
        if (growing && hint.queued > hint.workers && hint.queued > this.inFlight) this.slowDown(0, evidence, `queue grew to ${hint.queued} with ${hint.workers} workers`);
      })
      .catch((error: unknown) => this.logger?.debug({ err: error, backend: this.name }, 'capacity probe failed'))
      .finally(() => {
        this.probing = false;
      });
  }
}
