// ImageGenerator on a RunPod serverless endpoint: fill the input template, submit, follow the job to a final
// status, and turn its output into checked image bytes. The adapter never resubmits a job (the pacer resends
// refused submissions, the pipeline retries variations); it only repeats what is safe: /status polls after a
// network blip. A job past its deadline, or whose caller gave up, is cancelled so it stops costing GPU time.
// A request carrying a reference, with an identity template configured, is sent with that template instead
// (conditioning.ts says how the image travels).
import { BackendError } from '../../domain/errors.js';
import { type Config, DEFAULT_IDENTITY_STRENGTH } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { GeneratedImage, GenerationHooks, ImageGenerator, ImageRequest } from '../../ports.js';
import { sleep } from '../../support/abort.js';
import { describeWorkerError, workerFailureIsRetryable } from '../failures.js';
import { asGeneratedImage, fetchImage, HttpStatusError } from '../http.js';
import type { CapacityAware, CapacityHint } from '../paced.js';
import { conditioningReference } from '../references.js';
import { bundledTemplatePath, checkReferenceSlot, fillTemplate, type Json, loadTemplate } from '../template.js';
import { BACKEND, FINAL_STATUSES, type JobState, RunPodClient, type RunPodEndpoint } from './client.js';
import { checkIdentityTemplate, conditionedInput } from './conditioning.js';
import { imageInOutput } from './output.js';
import { JobDurations, type PollSchedule } from './pollSchedule.js';

export interface RunPodOptions extends RunPodEndpoint {
  /** The `input` object with placeholders (template.ts). */
  inputTemplate: Json;
  /** The `input` for a request with a reference ({{reference_image}}); without it references are ignored. */
  identityTemplate?: Json;
  /** IDENTITY_STRENGTH, for {{identity_strength}}. */
  identityStrength?: number;
  mode: 'run' | 'runsync';
  /** Before any job was seen, polling starts at `firstPollMs` and backs off to `maxPollMs`; then it follows pollSchedule.ts. */
  firstPollMs?: number;
  maxPollMs: number;
  jobTimeoutMs: number;
  logger?: Logger;
}

/** Consecutive failed /status polls after which the endpoint counts as unreachable. */
const MAX_POLL_FAILURES = 8;
/** How long the endpoint's max workers setting is trusted before it is read again (operators change it). */
const SETTINGS_TTL_MS = 60_000;

export class RunPodGenerator implements ImageGenerator, CapacityAware {
  readonly name = BACKEND;
  private readonly client: RunPodClient;
  private maxWorkers: { value: number | undefined; readAt: number } | undefined;
  private readonly durations: JobDurations;

  constructor(private readonly options: RunPodOptions) {
    this.client = new RunPodClient(options);
    this.durations = new JobDurations(options.firstPollMs ?? Math.min(200, options.maxPollMs), options.maxPollMs);
  }

  /** Ready when the endpoint answers GET /health (the key and endpoint id are right, RunPod is reachable). */
  async ready(signal: AbortSignal): Promise<void> {
    await this.client.health(signal);
  }

  /** `hooks.backendDone` is called once the job is final on the endpoint, before its image is decoded or downloaded. */
  async generate(request: ImageRequest, signal?: AbortSignal, hooks?: GenerationHooks): Promise<GeneratedImage> {
    const input = this.inputFor(request);
    const deadline = AbortSignal.timeout(this.options.jobTimeoutMs);
    const stop = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const body = { input, policy: { executionTimeout: Math.max(5_001, this.options.jobTimeoutMs) } };
    const submittedAt = performance.now();
    const schedule = this.durations.schedule();
    let job = await this.guard(() => this.client.submit(body, this.options.mode, stop), deadline, signal, 'no job id had come back, so it could not be cancelled');
    this.options.logger?.debug({ job: job.id, status: job.status, variation: request.variation }, 'runpod job submitted');
    try {
      job = await this.guard(() => this.untilFinal(job, stop, schedule, submittedAt), deadline, signal, `job ${job.id} was cancelled`);
    } catch (error) {
      await this.cancelQuietly(job.id);
      throw error;
    }
    hooks?.backendDone?.();
    if (job.status === 'COMPLETED') this.durations.record(job.durationMs ?? performance.now() - submittedAt);
    return this.imageOf(job, signal);
  }

  private inputFor(request: ImageRequest): Json {
    const identity = this.options.identityTemplate;
    const reference = identity ? conditioningReference(request) : undefined;
    const identityStrength = this.options.identityStrength ?? DEFAULT_IDENTITY_STRENGTH;
    if (!identity || !reference) return fillTemplate(this.options.inputTemplate, request, { identityStrength });
    return conditionedInput(identity, request, reference, identityStrength);
  }

  /** Queue and workers from /health, with the endpoint's max workers setting from the REST API when readable. */
  async capacityHint(signal?: AbortSignal): Promise<CapacityHint | null> {
    const [health, maxWorkers] = await Promise.all([this.client.health(signal), this.endpointMaxWorkers(signal)]);
    return maxWorkers === undefined ? health : { ...health, maxWorkers };
  }

  private async endpointMaxWorkers(signal?: AbortSignal): Promise<number | undefined> {
    if (this.maxWorkers && Date.now() - this.maxWorkers.readAt < SETTINGS_TTL_MS) return this.maxWorkers.value;
    let value: number | undefined;
    try {
      value = await this.client.maxWorkers(signal);
    } catch (error) {
      // A key limited to the serverless API cannot read settings; pacing then keeps its configured limit.
      this.options.logger?.debug({ err: (error as Error).message }, 'runpod endpoint settings unreadable');
    }
    this.maxWorkers = { value, readAt: Date.now() };
    return value;
  }

  /** Runs `step`, turning our own deadline's abort into a retryable timeout error that names the backend. */
  private async guard<T>(step: () => Promise<T>, deadline: AbortSignal, caller: AbortSignal | undefined, outcome: string): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (deadline.aborted && !caller?.aborted) {
        throw new BackendError(BACKEND, `the job did not finish within ${this.options.jobTimeoutMs} ms; ${outcome}`, true);
      }
      throw error;
    }
  }

  private async untilFinal(first: JobState, stop: AbortSignal, schedule: PollSchedule, submittedAt: number): Promise<JobState> {
    let job = first;
    let wait = 0;
    /** What a failed poll's Retry-After asked for, honoured by the next wait. */
    let advised = 0;
    let failures = 0;
    while (!FINAL_STATUSES.has(job.status)) {
      wait = Math.max(schedule.nextWait(performance.now() - submittedAt, wait), advised);
      advised = 0;
      await sleep(wait, stop);
      try {
        job = await this.client.status(job.id, stop);
        failures = 0;
      } catch (error) {
        if (stop.aborted) throw error;
        // A status poll changes nothing on the endpoint, so a transient failure is simply polled again.
        if (error instanceof HttpStatusError && error.status === 404) throw new BackendError(BACKEND, `job ${job.id} is no longer known to the endpoint`, true);
        if (!(error instanceof BackendError) || !error.retryable || ++failures >= MAX_POLL_FAILURES) throw error;
        advised = error.retryAfterMs ?? 0;
        this.options.logger?.debug({ job: job.id, err: error.message }, 'runpod status poll failed; polling again');
      }
    }
    return job;
  }

  private async imageOf(job: JobState, signal?: AbortSignal): Promise<GeneratedImage> {
    switch (job.status) {
      case 'FAILED': {
        const reason = describeWorkerError(job.error);
        throw new BackendError(BACKEND, `job ${job.id} failed on the worker: ${reason}`, workerFailureIsRetryable(reason));
      }
      case 'TIMED_OUT':
        throw new BackendError(BACKEND, `job ${job.id} hit the endpoint's execution timeout`, true);
      case 'CANCELLED':
        throw new BackendError(BACKEND, `job ${job.id} was cancelled on the endpoint`, false);
      default:
        break;
    }
    const source = imageInOutput(job.output);
    if ('problem' in source) throw new BackendError(BACKEND, `job ${job.id}: ${source.problem}`, false);
    if (source.kind === 'base64') return asGeneratedImage(BACKEND, Buffer.from(source.data, 'base64'), `job ${job.id}`);
    // The worker's own storage (S3 and the like): no RunPod credentials go there.
    return fetchImage({ backend: BACKEND, what: `downloading the image of job ${job.id}`, url: source.url, signal });
  }

  private async cancelQuietly(id: string): Promise<void> {
    try {
      await this.client.cancel(id, AbortSignal.timeout(5_000));
      this.options.logger?.info({ job: id }, 'runpod job cancelled');
    } catch (error) {
      this.options.logger?.warn({ job: id, err: (error as Error).message }, 'runpod job could not be cancelled');
    }
  }
}

export function createRunPodGenerator(config: Config, logger?: Logger): RunPodGenerator {
  if (!config.RUNPOD_API_KEY || !config.RUNPOD_ENDPOINT_ID) throw new Error('RUNPOD_API_KEY and RUNPOD_ENDPOINT_ID are required for IMAGE_GENERATOR=runpod');
  const inputTemplate = loadTemplate(config.RUNPOD_INPUT_TEMPLATE ?? bundledTemplatePath('runpod/plain-sdxl.json'), 'RUNPOD_INPUT_TEMPLATE');
  checkReferenceSlot(inputTemplate, 'RUNPOD_INPUT_TEMPLATE', 'plain', 'RUNPOD_IDENTITY_TEMPLATE');
  const identitySource = config.identityConditioning === 'avatar' ? config.RUNPOD_IDENTITY_TEMPLATE : undefined;
  const identityTemplate = identitySource ? loadTemplate(identitySource, 'RUNPOD_IDENTITY_TEMPLATE') : undefined;
  if (identityTemplate) checkIdentityTemplate(identityTemplate, 'RUNPOD_IDENTITY_TEMPLATE');
  const log = logger?.child({ component: 'runpod' });
  if (identityTemplate) log?.info({ template: identitySource, strength: config.IDENTITY_STRENGTH }, 'identity conditioning on: variations are conditioned on the avatar');
  else log?.info(`identity conditioning off (${config.RUNPOD_IDENTITY_TEMPLATE ? 'IDENTITY_CONDITIONING=none' : 'no RUNPOD_IDENTITY_TEMPLATE'}): variations are text-to-image from the prompt alone`);
  return new RunPodGenerator({
    baseUrl: config.RUNPOD_BASE_URL,
    restUrl: config.RUNPOD_REST_URL,
    endpointId: config.RUNPOD_ENDPOINT_ID,
    apiKey: config.RUNPOD_API_KEY,
    inputTemplate,
    identityTemplate,
    identityStrength: config.IDENTITY_STRENGTH,
    mode: config.RUNPOD_MODE,
    maxPollMs: config.RUNPOD_POLL_INTERVAL_MS,
    jobTimeoutMs: config.RUNPOD_JOB_TIMEOUT_MS,
    logger: log,
  });
}
