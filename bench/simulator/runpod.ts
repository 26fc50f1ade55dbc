// A local RunPod serverless endpoint (queue-based), speaking the documented protocol: POST /v2/{id}/run and
// /runsync, GET /status/{job}, POST /cancel/{job}, GET /health, bearer-key auth. N workers take jobs from a
// FIFO queue; each image takes `latencyMs`, plus `coldStartMs` the first time a worker runs. Faults are injected
// per job, and the simulator counts the most jobs it ever held at once, so benchmarks can prove nobody sent
// more than the endpoint's workers could take. A job's image is the offline renderer's drawing of the
// character in its prompt (or of someone else, for a job chosen to drift). An input holding a `workflow` is
// handled as worker-comfyui handles it (runpodWorkers.ts: input.images uploaded, the workflow validated as
// ComfyUI does); every job is recorded with the reference images it carried.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { CharacterImages, type ImageMode } from './characterImages.js';
import type { NodePack } from './comfyNodes.js';
import type { DriftChoice, SimulatedRequest } from './requests.js';
import { receiveJob } from './runpodWorkers.js';
import { findValue, listen, readJson, sendJson } from './server.js';

export type RunPodFault =
  | 'fail' // FAILED with a transient-looking error
  | 'fail-validation' // FAILED because the workflow is invalid (will fail again)
  | 'timed-out' // TIMED_OUT: the endpoint's execution timeout passed
  | 'cancelled' // CANCELLED by someone else
  | 'malformed' // COMPLETED with an output that holds no image
  | 'not-image' // COMPLETED with an "image" that is an HTML page
  | 'hang' // IN_PROGRESS until cancelled
  | 'refuse-429' // the submission is answered 429 with Retry-After
  | 'submit-503' // the submission is answered 503
  | 'status-blip'; // the first GET /status answers 503

export type RunPodOutputShape = 'worker-comfyui' | 's3_url' | 'legacy-message' | 'a1111' | 'image_url' | 'runpod-example';

export interface RunPodSimulatorOptions {
  workers: number;
  latencyMs: number;
  coldStartMs?: number;
  apiKey?: string;
  endpointId?: string;
  outputShape?: RunPodOutputShape;
  /** The fault for the n-th submission (1-based) and its input; undefined for a healthy job. */
  fault?: (submission: number, input: unknown) => RunPodFault | undefined;
  /** Answer POST /run with 429 while this many jobs are queued (RunPod: a queue far beyond its workers). */
  queueLimit?: number;
  retryAfterSeconds?: number;
  /** How long /runsync holds the request before answering with a non-final status. */
  syncWaitMs?: number;
  /** Answer the REST API's endpoint settings (max workers); false answers 403, as for a serverless-only key. */
  restApi?: boolean;
  /** Which jobs draw a different character than their prompt names, as an unconditioned model would. */
  drift?: DriftChoice;
  /** 'character' (default): the offline renderer's drawing; 'solid': single-colour PNGs, for raw speed. */
  images?: ImageMode;
  /** worker-comfyui: custom node packs its ComfyUI has besides the core nodes; default all identity packs. */
  packs?: NodePack[];
  /** worker-comfyui: files in its model folders; a folder not listed accepts any name. */
  models?: Record<string, string[]>;
}

interface Job {
  id: string;
  input: unknown;
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
  fault: RunPodFault | undefined;
  /** What the worker's handler refuses the job with before any image is made (worker-comfyui's checks). */
  refusal?: string;
  request: SimulatedRequest;
  /** The picture, once drawn. */
  bytes?: Buffer;
  submittedAt: number;
  startedAt?: number;
  finishedAt?: number;
  output?: unknown;
  error?: string;
  worker?: Worker;
  timer?: NodeJS.Timeout;
  statusCalls: number;
  onFinal: (() => void)[];
}

interface Worker {
  busy: boolean;
  warm: boolean;
}

export interface RunPodSimulatorStats {
  submissions: number;
  refused: number;
  unauthorized: number;
  completed: number;
  cancelRequests: number;
  statusCalls: number;
  /** The most jobs queued or running at the same time: what a pacer must keep at or under the worker count. */
  peakJobsInSystem: number;
  peakRunning: number;
  /** Sum over jobs of the time a worker spent on them (including cold starts). */
  busyMs: number;
}

const S3_SIGNATURE = 'X-Amz-Signature=5ecre7516nature';
const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

export async function startRunPodSimulator(options: RunPodSimulatorOptions) {
  const apiKey = options.apiKey ?? 'rp_test_key_0123456789';
  const endpointId = options.endpointId ?? 'sim-endpoint';
  const workers: Worker[] = Array.from({ length: options.workers }, () => ({ busy: false, warm: false }));
  const jobs = new Map<string, Job>();
  const queue: Job[] = [];
  const stats: RunPodSimulatorStats = { submissions: 0, refused: 0, unauthorized: 0, completed: 0, cancelRequests: 0, statusCalls: 0, peakJobsInSystem: 0, peakRunning: 0, busyMs: 0 };
  let inSystem = 0;
  let running = 0;
  let base = '';

  const drawer = new CharacterImages(options.images);
  await drawer.warmUp();
  const packs = new Set<NodePack>(['core', ...(options.packs ?? ['ipadapter', 'instantid', 'pulid'])]);
  const requests: SimulatedRequest[] = [];
  const NOT_IMAGE = Buffer.from('<html><body>502 Bad Gateway</body></html>');

  const size = (input: unknown, key: string) => {
    const value = Number(findValue(input, key));
    return Number.isInteger(value) && value > 0 && value <= 4096 ? value : 64;
  };

  const draw = (job: Job): Promise<Buffer> =>
    drawer.draw({ prompt: job.request.prompt, seed: job.request.seed, width: size(job.input, 'width'), height: size(job.input, 'height'), drift: job.request.drifted });

  const outputOf = (job: Job): unknown => {
    if (job.fault === 'malformed') return { result: 'done', note: 'no image here' };
    const bytes = job.fault === 'not-image' ? NOT_IMAGE : job.bytes!;
    const data = bytes.toString('base64');
    const url = `${base}/bucket/${job.id}.png?${S3_SIGNATURE}`;
    switch (options.outputShape ?? 'worker-comfyui') {
      case 'worker-comfyui':
        return { images: [{ filename: 'ComfyUI_00001_.png', type: 'base64', data }] };
      case 's3_url':
        return { images: [{ filename: 'ComfyUI_00001_.png', type: 's3_url', data: url }] };
      case 'legacy-message':
        return { message: data, status: 'success' };
      case 'a1111':
        return { images: [data], parameters: {}, info: '{}' };
      case 'image_url':
        return { image_url: url };
      case 'runpod-example':
        return [{ image: url, seed: findValue(job.input, 'seed') }];
    }
  };

  const settle = (job: Job, status: Job['status']) => {
    job.status = status;
    job.finishedAt = Date.now();
    clearTimeout(job.timer);
    if (job.worker) {
      job.worker.busy = false;
      job.worker.warm = true;
      running -= 1;
      stats.busyMs += job.finishedAt - (job.startedAt ?? job.finishedAt);
    } else {
      queue.splice(queue.indexOf(job), 1);
    }
    inSystem -= 1;
    if (status === 'COMPLETED') {
      job.output = outputOf(job);
      stats.completed += 1;
    }
    if (status === 'FAILED') job.error = job.refusal ?? (job.fault === 'fail-validation' ? 'Workflow validation failed: node 4 ckpt_name not found' : 'CUDA out of memory');
    job.onFinal.splice(0).forEach((notify) => notify());
    dispatch();
  };

  const outcomeOf = (job: Job): Job['status'] => {
    if (job.refusal || job.fault === 'fail' || job.fault === 'fail-validation') return 'FAILED';
    if (job.fault === 'timed-out') return 'TIMED_OUT';
    if (job.fault === 'cancelled') return 'CANCELLED';
    return 'COMPLETED';
  };

  function dispatch(): void {
    for (const worker of workers) {
      if (worker.busy) continue;
      const job = queue.shift();
      if (!job) return;
      worker.busy = true;
      running += 1;
      stats.peakRunning = Math.max(stats.peakRunning, running);
      job.worker = worker;
      job.status = 'IN_PROGRESS';
      job.startedAt = Date.now();
      if (job.fault === 'hang') continue;
      const delay = options.latencyMs + (worker.warm ? 0 : (options.coldStartMs ?? 0));
      // The picture renders while the simulated GPU time runs; the job ends when both are done.
      const outcome = outcomeOf(job);
      const picture = outcome === 'COMPLETED' ? draw(job) : Promise.resolve(undefined);
      const elapsed = new Promise<void>((resolve) => (job.timer = setTimeout(resolve, delay)));
      void Promise.all([picture, elapsed]).then(([bytes]) => {
        job.bytes = bytes;
        if (job.status === 'IN_PROGRESS') settle(job, outcome);
      });
    }
  }

  const view = (job: Job) => ({
    id: job.id,
    status: job.status,
    delayTime: (job.startedAt ?? Date.now()) - job.submittedAt,
    ...(job.startedAt ? { executionTime: (job.finishedAt ?? Date.now()) - job.startedAt } : {}),
    ...(job.output !== undefined ? { output: job.output } : {}),
    ...(job.error !== undefined ? { error: job.error } : {}),
  });

  const submit = async (response: ServerResponse, body: unknown, sync: boolean) => {
    const input = (body as { input?: unknown } | undefined)?.input;
    if (input === undefined || input === null || typeof input !== 'object') return sendJson(response, 400, { error: 'input is required' });
    const submission = stats.submissions + stats.refused + 1;
    const fault = options.fault?.(submission, input);
    const retryAfter = { 'retry-after': String(options.retryAfterSeconds ?? 1) };
    if (fault === 'refuse-429' || (options.queueLimit !== undefined && queue.length >= options.queueLimit)) {
      stats.refused += 1;
      return sendJson(response, 429, { error: 'Too Many Requests' }, retryAfter);
    }
    if (fault === 'submit-503') {
      stats.refused += 1;
      return sendJson(response, 503, { error: 'Service Unavailable' }, retryAfter);
    }
    stats.submissions += 1;
    const { request, refusal } = receiveJob(submission, input, { packs, models: options.models, drift: options.drift });
    requests.push(request);
    const job: Job = { id: `${sync ? 'sync-' : ''}${randomUUID()}`, input, status: 'IN_QUEUE', fault, refusal, request, submittedAt: Date.now(), statusCalls: 0, onFinal: [] };
    jobs.set(job.id, job);
    queue.push(job);
    inSystem += 1;
    stats.peakJobsInSystem = Math.max(stats.peakJobsInSystem, inSystem);
    dispatch();
    if (!sync) return sendJson(response, 200, { id: job.id, status: job.status });
    if (!FINAL.has(job.status)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.syncWaitMs ?? 90_000);
        job.onFinal.push(() => (clearTimeout(timer), resolve()));
      });
    }
    sendJson(response, 200, view(job));
  };

  const listening = await listen(async (request, response, url) => {
    const bucket = /^\/bucket\/([\w-]+)\.png$/.exec(url.pathname);
    if (bucket) {
      const job = jobs.get(bucket[1]!);
      if (!job || !url.search.includes(S3_SIGNATURE)) return sendJson(response, 403, { error: 'AccessDenied' });
      const bytes = job.fault === 'not-image' || !job.bytes ? NOT_IMAGE : job.bytes;
      response.writeHead(200, { 'content-type': job.fault === 'not-image' ? 'text/html' : 'image/png' }).end(bytes);
      return;
    }
    const auth = request.headers.authorization ?? '';
    const authorized = auth === apiKey || auth === `Bearer ${apiKey}`;
    // The management REST API (rest.runpod.io/v1): the endpoint's settings.
    if (request.method === 'GET' && url.pathname === `/v1/endpoints/${endpointId}`) {
      if (!authorized || options.restApi === false) return sendJson(response, authorized ? 403 : 401, { error: 'Unauthorized' });
      return sendJson(response, 200, { id: endpointId, name: 'simulator', workersMax: options.workers, workersMin: 0, idleTimeout: 5, scalerType: 'QUEUE_DELAY', scalerValue: 4 });
    }
    const match = /^\/v2\/([^/]+)\/(run|runsync|status|cancel|health)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match || match[1] !== endpointId) return sendJson(response, 404, { error: 'endpoint not found' });
    if (!authorized) {
      stats.unauthorized += 1;
      return sendJson(response, 401, { error: 'Unauthorized' });
    }
    const [, , operation, jobId] = match;
    const job = jobId ? jobs.get(jobId) : undefined;
    if (operation === 'run' || operation === 'runsync') {
      if (request.method !== 'POST') return sendJson(response, 405, { error: 'method not allowed' });
      return submit(response, await readJson(request), operation === 'runsync');
    }
    if (operation === 'health') {
      return sendJson(response, 200, {
        jobs: { completed: stats.completed, failed: 0, inProgress: running, inQueue: queue.length, retried: 0 },
        workers: { idle: workers.filter((w) => !w.busy).length, running },
      });
    }
    if (!job) return sendJson(response, 404, { error: 'job not found' });
    if (operation === 'status') {
      stats.statusCalls += 1;
      job.statusCalls += 1;
      if (job.fault === 'status-blip' && job.statusCalls === 1) return sendJson(response, 503, { error: 'Service Unavailable' });
      return sendJson(response, 200, view(job));
    }
    stats.cancelRequests += 1;
    if (!FINAL.has(job.status)) settle(job, 'CANCELLED');
    return sendJson(response, 200, { id: job.id, status: job.status });
  });
  base = listening.url;

  return {
    /** Base URL the adapter takes as RUNPOD_BASE_URL. */
    baseUrl: `${listening.url}/v2`,
    /** Base URL the adapter takes as RUNPOD_REST_URL. */
    restUrl: `${listening.url}/v1`,
    url: listening.url,
    apiKey,
    endpointId,
    s3Signature: S3_SIGNATURE,
    stats,
    jobs: () => [...jobs.values()].map((job) => ({ id: job.id, status: job.status, input: job.input, error: job.error })),
    /** Every accepted job, in order: its prompt text, shot, seed, the references it carried, whether it drifted. */
    requests: (): readonly SimulatedRequest[] => requests,
    close: async () => {
      for (const job of jobs.values()) clearTimeout(job.timer);
      await listening.close();
    },
  };
}

export type RunPodSimulator = Awaited<ReturnType<typeof startRunPodSimulator>>;
