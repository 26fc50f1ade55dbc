// ImageGenerator on a self-hosted ComfyUI: POST /prompt with the configured workflow, learn of completion
// from /ws (polling /history when the socket is missing or silent), read the outputs from /history and the
// bytes from /view. A prompt whose caller gives up is removed from the queue, or interrupted if it is the
// one running (checked in /queue first, so another client's prompt is never interrupted). A request carrying a
// reference, with an identity workflow configured, uploads it (once: uploads.ts) and runs that workflow instead.
import { randomUUID } from 'node:crypto';
import { type Config, DEFAULT_IDENTITY_STRENGTH } from '../../config.js';
import { BackendError } from '../../domain/errors.js';
import type { Logger } from '../../logger.js';
import type { GeneratedImage, GenerationHooks, ImageGenerator, ImageRequest, ReferenceImage } from '../../ports.js';
import { describeWorkerError, workerFailureIsRetryable } from '../failures.js';
import { failOnStatus, fetchImage, type HttpCall, type HttpInit, requestJson, send } from '../http.js';
import { conditioningReference } from '../references.js';
import { bundledTemplatePath, checkReferenceSlot, loadTemplate } from '../template.js';
import { ComfyEvents } from './events.js';
import { ReferenceUploads, UPLOAD_SUBFOLDER } from './uploads.js';
import { checkIdentityWorkflow, checkWorkflow, type Workflow, workflowFor, type WorkflowNodes } from './workflow.js';

const BACKEND = 'comfyui';

export interface ComfyUiOptions {
  url: string;
  workflow: Workflow;
  /** Run instead of `workflow` for a request with a reference; without it references are ignored. */
  identityWorkflow?: Workflow;
  /** IDENTITY_STRENGTH, for the identity workflow's {{identity_strength}}. */
  identityStrength?: number;
  nodes: WorkflowNodes;
  /** The node whose images are the result; default the first that saved any. */
  outputNode?: string;
  maxPollMs: number;
  logger?: Logger;
}

interface HistoryImage {
  filename: string;
  subfolder?: string;
  type?: string;
}

interface HistoryEntry {
  outputs?: Record<string, { images?: HistoryImage[] }>;
  status?: { status_str?: string; completed?: boolean; messages?: [string, Record<string, unknown>][] };
}

/** `rejected`: the 400's reasons in words; `answer`: its body as sent (the words are cut short). */
type Submission = { promptId: string } | { rejected: string; answer: string };

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** ComfyUI's 400 answer to /prompt: {error: {message, details}, node_errors: {id: {class_type, errors: [{message, details}]}}}. */
function describeRejection(body: unknown): string {
  const { error, node_errors: nodeErrors } = (body ?? {}) as { error?: { message?: unknown; details?: unknown }; node_errors?: Record<string, { class_type?: unknown; errors?: { message?: unknown; details?: unknown }[] }> };
  const parts = [error?.message, error?.details].filter((part) => typeof part === 'string' && part !== '');
  for (const [id, node] of Object.entries(nodeErrors ?? {})) {
    const problems = (node.errors ?? []).map((problem) => [problem.message, problem.details].filter(Boolean).join(': '));
    parts.push(`node ${id} (${String(node.class_type)}): ${problems.join('; ')}`);
  }
  return parts.length > 0 ? parts.join('; ').slice(0, 400) : 'no reason given';
}

export class ComfyUiGenerator implements ImageGenerator {
  readonly name = BACKEND;
  private readonly root: string;
  private readonly clientId = randomUUID();
  private readonly events: ComfyEvents;
  private readonly uploads = new ReferenceUploads(BACKEND, (fileName, reference, signal) => this.upload(fileName, reference, signal));

  constructor(private readonly options: ComfyUiOptions) {
    this.root = options.url.replace(/\/+$/, '');
    const ws = new URL(`${this.root}/ws`);
    ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
    ws.searchParams.set('clientId', this.clientId);
    this.events = new ComfyEvents(ws.href, (message) => options.logger?.warn(message));
  }

  /** Ready when the server answers GET /system_stats. */
  async ready(signal: AbortSignal): Promise<void> {
    await requestJson(this.call('reading system stats', '/system_stats', { method: 'GET' }, signal));
  }

  /** `hooks.backendDone` is called once the prompt has finished on the server, before its image is fetched. */
  async generate(request: ImageRequest, signal?: AbortSignal, hooks?: GenerationHooks): Promise<GeneratedImage> {
    const stop = signal ?? new AbortController().signal;
    const live = await this.events.connect();
    const promptId = await this.queue(request, stop);
    let entry: HistoryEntry;
    try {
      entry = await this.untilDone(promptId, live, stop);
    } catch (error) {
      if (stop.aborted) await this.withdraw(promptId);
      throw error;
    }
    hooks?.backendDone?.();
    return this.imageOf(promptId, entry, stop);
  }

  close(): void {
    this.events.close();
  }

  private call(what: string, path: string, init: HttpInit, signal?: AbortSignal): HttpCall {
    return { backend: BACKEND, what, url: `${this.root}${path}`, init: { headers: { 'content-type': 'application/json' }, ...init }, signal };
  }

  /** Queues the request's workflow; a conditioned one names its uploaded reference. Returns the prompt id. */
  private async queue(request: ImageRequest, signal: AbortSignal): Promise<string> {
    const { identityWorkflow: identity, nodes, identityStrength = DEFAULT_IDENTITY_STRENGTH } = this.options;
    const reference = identity ? conditioningReference(request) : undefined;
    if (!identity || !reference) return this.accepted(await this.submit(workflowFor(this.options.workflow, nodes, request, { identityStrength }), signal));
    const conditioned = async () => {
      const name = await this.uploads.nameOf(reference, signal);
      return { name, outcome: await this.submit(workflowFor(identity, nodes, request, { referenceImage: name, identityStrength }), signal) };
    };
    const first = await conditioned();
    // ComfyUI checks that a LoadImage file exists before queueing: a refusal naming our upload means the
    // server lost it (restart, cleaned input folder), and nothing was queued, so uploading again is safe.
    if ('rejected' in first.outcome && first.outcome.answer.includes(`Invalid image file: ${first.name}`)) {
      this.options.logger?.info({ reference: first.name }, 'comfyui no longer has the uploaded reference; uploading it again');
      this.uploads.forget(reference);
      return this.accepted((await conditioned()).outcome);
    }
    return this.accepted(first.outcome);
  }

  private accepted(submission: Submission): string {
    if ('rejected' in submission) throw new BackendError(BACKEND, `the workflow was rejected: ${submission.rejected}`, false);
    return submission.promptId;
  }

  private async submit(workflow: Workflow, signal: AbortSignal): Promise<Submission> {
    const call = this.call('queueing the prompt', '/prompt', { method: 'POST', body: JSON.stringify({ prompt: workflow, client_id: this.clientId }) }, signal);
    const response = await send(call);
    if (response.status === 400) {
      const answer = await response.text();
      return { rejected: describeRejection(parsedOrNull(answer)), answer };
    }
    await failOnStatus(call, response);
    const body = (await response.json().catch(() => null)) as { prompt_id?: unknown } | null;
    const promptId = body?.prompt_id;
    if (typeof promptId !== 'string') throw new BackendError(BACKEND, 'POST /prompt answered without a prompt_id', true);
    return { promptId };
  }

  /** POST /upload/image into the input folder's charsheet/ subfolder; overwriting is safe, names are content-addressed. */
  private async upload(fileName: string, reference: ReferenceImage, signal: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append('image', new Blob([reference.bytes as Uint8Array<ArrayBuffer>], { type: reference.contentType }), fileName);
    form.append('type', 'input');
    form.append('subfolder', UPLOAD_SUBFOLDER);
    form.append('overwrite', 'true');
    // The platform's own multipart encoder, so the boundary and escaping are what every server expects.
    const encoded = new Request('http://comfyui.invalid/upload/image', { method: 'POST', body: form });
    const body = new Uint8Array(await encoded.arrayBuffer());
    const headers = { 'content-type': encoded.headers.get('content-type') ?? 'multipart/form-data' };
    const answer = (await requestJson(this.call(`uploading the reference ${fileName}`, '/upload/image', { method: 'POST', headers, body }, signal))) as { name?: unknown; subfolder?: unknown } | null;
    if (typeof answer?.name !== 'string' || answer.name === '') throw new BackendError(BACKEND, 'POST /upload/image answered without the file name', true);
    return typeof answer.subfolder === 'string' && answer.subfolder !== '' ? `${answer.subfolder}/${answer.name}` : answer.name;
  }

  /** Waits for the prompt's /history entry; /ws events only make the next look come sooner. */
  private async untilDone(promptId: string, live: boolean, signal: AbortSignal): Promise<HistoryEntry> {
    let delay = Math.min(100, this.options.maxPollMs);
    for (;;) {
      // With a live socket the event normally arrives first; the slow poll is a safety net for a lost one.
      await this.events.untilEnded(promptId, live ? this.options.maxPollMs * 5 : delay, signal);
      if (signal.aborted) throw signal.reason;
      delay = Math.min(this.options.maxPollMs, Math.ceil(delay * 1.5));
      const history = (await requestJson(this.call(`reading the history of prompt ${promptId}`, `/history/${encodeURIComponent(promptId)}`, { method: 'GET' }, signal))) as Record<string, HistoryEntry> | null;
      const entry = history?.[promptId];
      if (entry?.status?.status_str === 'error' || entry?.status?.completed || (entry?.outputs && Object.keys(entry.outputs).length > 0 && !entry.status)) return entry;
      live = live && (await this.events.connect());
    }
  }

  private async imageOf(promptId: string, entry: HistoryEntry, signal: AbortSignal): Promise<GeneratedImage> {
    if (entry.status?.status_str === 'error') {
      const messages = entry.status.messages ?? [];
      const failure = messages.find(([type]) => type === 'execution_error')?.[1];
      if (!failure && messages.some(([type]) => type === 'execution_interrupted')) throw new BackendError(BACKEND, `prompt ${promptId} was interrupted on the server`, false);
      const reason = failure ? `${String(failure.node_type ?? 'node')} ${String(failure.node_id ?? '')}: ${describeWorkerError(failure.exception_message)}` : 'no reason given';
      throw new BackendError(BACKEND, `prompt ${promptId} failed: ${reason}`, workerFailureIsRetryable(reason));
    }
    const outputs = entry.outputs ?? {};
    const wanted = this.options.outputNode;
    const images = wanted ? outputs[wanted]?.images : Object.values(outputs).find((output) => output.images?.some((image) => image.type !== 'temp'))?.images;
    const image = images?.find((candidate) => candidate.type !== 'temp') ?? images?.[0];
    if (!image || typeof image.filename !== 'string') {
      throw new BackendError(BACKEND, `prompt ${promptId} finished without an image${wanted ? ` from node ${wanted}` : ''} (outputs from nodes [${Object.keys(outputs).join(', ')}])`, false);
    }
    const query = new URLSearchParams({ filename: image.filename, subfolder: image.subfolder ?? '', type: image.type ?? 'output' });
    return fetchImage(this.call(`downloading ${image.filename}`, `/view?${query}`, { method: 'GET' }, signal));
  }

  /** Takes the prompt off the queue, or interrupts it if it is the one running. Best effort. */
  private async withdraw(promptId: string): Promise<void> {
    const quick = AbortSignal.timeout(5_000);
    try {
      const queue = (await requestJson(this.call('reading the queue', '/queue', { method: 'GET' }, quick))) as { queue_running?: unknown[][] };
      const running = (queue.queue_running ?? []).some((item) => item[1] === promptId);
      if (running) await requestJson(this.call('interrupting the prompt', '/interrupt', { method: 'POST', body: JSON.stringify({ prompt_id: promptId }) }, quick)).catch(() => undefined);
      else await requestJson(this.call('removing the prompt', '/queue', { method: 'POST', body: JSON.stringify({ delete: [promptId] }) }, quick)).catch(() => undefined);
      this.options.logger?.info({ promptId, running }, 'comfyui prompt withdrawn');
    } catch (error) {
      this.options.logger?.warn({ promptId, err: (error as Error).message }, 'comfyui prompt could not be withdrawn');
    }
  }
}

export function createComfyUiGenerator(config: Config, logger?: Logger): ComfyUiGenerator {
  const nodes: WorkflowNodes = { prompt: config.COMFYUI_PROMPT_NODE, negative: config.COMFYUI_NEGATIVE_NODE, sampler: config.COMFYUI_SAMPLER_NODE, latent: config.COMFYUI_LATENT_NODE };
  const template = loadTemplate(config.COMFYUI_WORKFLOW ?? bundledTemplatePath('comfyui/sdxl-txt2img.json'), 'COMFYUI_WORKFLOW');
  checkReferenceSlot(template, 'COMFYUI_WORKFLOW', 'plain', 'COMFYUI_IDENTITY_WORKFLOW');
  const identitySource = config.identityConditioning === 'avatar' ? config.COMFYUI_IDENTITY_WORKFLOW : undefined;
  const identityWorkflow = identitySource ? checkIdentityWorkflow(loadTemplate(identitySource, 'COMFYUI_IDENTITY_WORKFLOW'), nodes, 'COMFYUI_IDENTITY_WORKFLOW') : undefined;
  const log = logger?.child({ component: 'comfyui' });
  if (identityWorkflow) log?.info({ workflow: identitySource, strength: config.IDENTITY_STRENGTH }, 'identity conditioning on: variations are conditioned on the avatar');
  else log?.info(`identity conditioning off (${config.COMFYUI_IDENTITY_WORKFLOW ? 'IDENTITY_CONDITIONING=none' : 'no COMFYUI_IDENTITY_WORKFLOW'}): variations are text-to-image from the prompt alone`);
  return new ComfyUiGenerator({
    url: config.COMFYUI_URL,
    workflow: checkWorkflow(template, nodes),
    identityWorkflow,
    identityStrength: config.IDENTITY_STRENGTH,
    nodes,
    outputNode: config.COMFYUI_OUTPUT_NODE,
    maxPollMs: config.COMFYUI_POLL_INTERVAL_MS,
    logger: log,
  });
}
