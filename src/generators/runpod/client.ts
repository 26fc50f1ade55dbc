// RunPod's serverless protocol for one queue-based endpoint: submit (/run or /runsync), /status, /cancel and
// /health, each answer checked and every failure a BackendError from http.ts. A 429 on submission means the
// job was never accepted, so it becomes a SubmissionRefusedError the pacer may resend.
import { BackendError } from '../../domain/errors.js';
import { failOnStatus, type HttpCall, type HttpInit, HttpStatusError, requestJson, send } from '../http.js';
import { type CapacityHint, SubmissionRefusedError } from '../paced.js';

export const BACKEND = 'runpod';

export const JOB_STATUSES = ['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
/** Request body limits of RunPod's serverless API (docs.runpod.io: 10 MB for /run, 20 MB for /runsync). */
const PAYLOAD_LIMIT_BYTES = { run: 10_000_000, runsync: 20_000_000 } as const;
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

export interface JobState {
  id: string;
  status: JobStatus;
  output?: unknown;
  error?: unknown;
  /** Time in the endpoint's queue plus on the worker (delayTime + executionTime), when the answer gives both. */
  durationMs?: number;
}

export interface RunPodEndpoint {
  /** Serverless API root (https://api.runpod.ai/v2). */
  baseUrl: string;
  /** Management REST API root (https://rest.runpod.io/v1), where the endpoint's settings are read. */
  restUrl?: string;
  endpointId: string;
  apiKey: string;
}

function asJobState(body: unknown, what: string): JobState {
  const record = (body ?? {}) as Record<string, unknown>;
  const status = record.status;
  if (typeof record.id !== 'string' || !JOB_STATUSES.includes(status as JobStatus)) {
    throw new BackendError(BACKEND, `${what} answered without a job id and a known status (got status ${JSON.stringify(status)?.slice(0, 40)})`, true);
  }
  const { delayTime, executionTime } = record;
  const timed = typeof delayTime === 'number' && typeof executionTime === 'number' && Number.isFinite(delayTime + executionTime);
  return { id: record.id, status: status as JobStatus, output: record.output, error: record.error, ...(timed ? { durationMs: delayTime + executionTime } : {}) };
}

export class RunPodClient {
  private readonly root: string;

  constructor(private readonly endpoint: RunPodEndpoint) {
    this.root = `${endpoint.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(endpoint.endpointId)}`;
  }

  private call(what: string, path: string, init: HttpInit, signal?: AbortSignal, root = this.root): HttpCall {
    return {
      backend: BACKEND,
      what,
      url: `${root}${path}`,
      init: { ...init, headers: { authorization: `Bearer ${this.endpoint.apiKey}`, 'content-type': 'application/json', accept: 'application/json' } },
      signal,
      secrets: [this.endpoint.apiKey],
    };
  }

  /** POST /run or /runsync. /runsync may answer before the job is final; the caller then polls /status. */
  async submit(body: unknown, mode: 'run' | 'runsync', signal?: AbortSignal): Promise<JobState> {
    const text = JSON.stringify(body);
    const size = Buffer.byteLength(text);
    // RunPod refuses larger bodies; saying so here names the cause (usually a large reference image) instead of a bare 413.
    if (size > PAYLOAD_LIMIT_BYTES[mode]) {
      throw new BackendError(BACKEND, `the job's request is ${(size / 1e6).toFixed(1)} MB, over RunPod's ${PAYLOAD_LIMIT_BYTES[mode] / 1e6} MB limit for /${mode} (a reference image that large will not fit)`, false);
    }
    const call = this.call('submitting the job', `/${mode}`, { method: 'POST', body: text }, signal);
    const response = await send(call);
    try {
      await failOnStatus(call, response);
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 429) {
        throw new SubmissionRefusedError(BACKEND, error.message.replace(/^runpod: /, ''), true, error.retryAfterMs);
      }
      if (error instanceof HttpStatusError && error.status === 404) {
        throw new BackendError(BACKEND, `endpoint ${this.endpoint.endpointId} was not found (HTTP 404): check RUNPOD_ENDPOINT_ID`, false);
      }
      throw error;
    }
    return asJobState(await response.json().catch(() => null), 'submitting the job');
  }

  async status(id: string, signal?: AbortSignal): Promise<JobState> {
    return asJobState(await requestJson(this.call(`checking job ${id}`, `/status/${encodeURIComponent(id)}`, { method: 'GET' }, signal)), `checking job ${id}`);
  }

  async cancel(id: string, signal?: AbortSignal): Promise<void> {
    await requestJson(this.call(`cancelling job ${id}`, `/cancel/${encodeURIComponent(id)}`, { method: 'POST' }, signal));
  }

  /** The endpoint's max workers setting, from the REST API's GET /endpoints/{id}; undefined when absent. */
  async maxWorkers(signal?: AbortSignal): Promise<number | undefined> {
    if (!this.endpoint.restUrl) return undefined;
    const rest = this.endpoint.restUrl.replace(/\/+$/, '');
    const body = (await requestJson(this.call('reading endpoint settings', `/endpoints/${encodeURIComponent(this.endpoint.endpointId)}`, { method: 'GET' }, signal, rest))) as { workersMax?: unknown };
    return typeof body.workersMax === 'number' && body.workersMax >= 1 ? body.workersMax : undefined;
  }

  /** Workers able to take jobs and jobs waiting, from GET /health. */
  async health(signal?: AbortSignal): Promise<CapacityHint> {
    const body = (await requestJson(this.call('reading endpoint health', '/health', { method: 'GET' }, signal))) as {
      jobs?: { inQueue?: unknown };
      workers?: Record<string, unknown>;
    };
    const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
    const workers = body.workers ?? {};
    return { workers: count(workers.idle) + count(workers.running) + count(workers.initializing), queued: count(body.jobs?.inQueue) };
  }
}
