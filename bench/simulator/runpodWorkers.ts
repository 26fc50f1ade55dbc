// What a RunPod worker makes of a job's input, for the RunPod simulator. A generic worker (A1111-style input)
// takes it as it is: the prompt and seed under those keys, reference images wherever base64 sits. An input
// holding a `workflow` goes through what runpod-workers/worker-comfyui's handler.py (d2a5572) does before its
// ComfyUI runs it: validate_input (a `workflow`; `images` a list of {name, image}), upload_images (strip a
// data: prefix, base64-decode, write into ComfyUI's input folder under `name`, no subfolder), then
// queue_workflow, whose 400 becomes the job's error in the handler's words. The handler's quirks are kept:
// a refusal with no node_errors (an unknown node class) reaches the caller as an AttributeError message.
import { inspectImage } from '../../src/generators/imageBytes.js';
import { type GraphRequest, readGraph } from './comfyGraph.js';
import type { NodePack } from './comfyNodes.js';
import { type Graph, validatePrompt } from './comfyValidation.js';
import { carried, type CarriedReference, describedRequest, type DriftChoice, inlineImages, type SimulatedRequest } from './requests.js';
import { findValue } from './server.js';

export interface WorkerOptions {
  packs: ReadonlySet<NodePack>;
  models?: Readonly<Record<string, readonly string[]>>;
  drift?: DriftChoice;
}

type WorkerComfyOutcome =
  /** The handler returns {error}: RunPod marks the job FAILED with that error. */
  | { error: string }
  | { graph: GraphRequest; references: CarriedReference[] };

function isWorkerComfyInput(input: unknown): input is { workflow: Graph; images?: unknown } {
  const workflow = (input as { workflow?: unknown } | null)?.workflow;
  return workflow !== null && typeof workflow === 'object' && !Array.isArray(workflow);
}

/** Python's base64.b64decode without validate=True: other characters are dropped, padding is checked. */
function b64decode(text: string): Buffer | string {
  const kept = text.replace(/[^A-Za-z0-9+/=]/g, '');
  const data = kept.replace(/=+$/, '');
  if (data.length % 4 === 1) return `Invalid base64-encoded string: number of data characters (${data.length}) cannot be 1 more than a multiple of 4`;
  // Too little padding is an error; more than needed is ignored.
  if (kept.length - data.length < (4 - (data.length % 4)) % 4) return 'Incorrect padding';
  return Buffer.from(data, 'base64');
}

/** Python's repr of JSON-like data, as the handler's f-strings print node errors. */
function pyRepr(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([key, item]) => `'${key}': ${pyRepr(item)}`).join(', ')}}`;
  return String(value);
}

function runWorkerComfy(input: { workflow: Graph; images?: unknown }, options: WorkerOptions): WorkerComfyOutcome {
  const images = input.images;
  if (images !== undefined && images !== null && (!Array.isArray(images) || !images.every((image) => image !== null && typeof image === 'object' && 'name' in image && 'image' in image))) {
    return { error: "'images' must be a list of objects with 'name' and 'image' keys" };
  }
  const folder = new Map<string, Buffer>();
  for (const image of (images ?? []) as { name: unknown; image: unknown }[]) {
    const text = String(image.image);
    const decoded = b64decode(text.includes(',') ? text.slice(text.indexOf(',') + 1) : text);
    // The handler lists the cause under "details", which RunPod keeps in the output, not in the job's error.
    if (typeof decoded === 'string') return { error: 'Failed to upload one or more input images' };
    folder.set(String(image.name), decoded);
  }
  const validation = validatePrompt(input.workflow, { packs: options.packs, models: options.models, inputExists: (name) => folder.has(name) });
  if (!validation.ok) {
    if (Array.isArray(validation.node_errors)) return { error: "Unexpected error queuing workflow: 'list' object has no attribute 'items'" };
    const lines = Object.entries(validation.node_errors).flatMap(([id, node]) => Object.entries(node).map(([key, value]) => `• Node ${id} (${key}): ${pyRepr(value)}`));
    return { error: lines.length > 0 ? `Workflow validation failed:\n${lines.join('\n')}` : `Workflow validation failed. Raw response: ${JSON.stringify({ error: validation.error, node_errors: validation.node_errors })}` };
  }
  const graph = readGraph(input.workflow);
  const loaded = graph.loads.map((name) => [name, folder.get(name)!] as const);
  // LoadImage opens the file when the prompt runs: bytes that are no image fail the job there.
  if (loaded.some(([, bytes]) => !inspectImage(bytes))) return { error: 'Job processing failed' };
  return { graph, references: loaded.map(([name, bytes]) => carried(name, bytes)) };
}

/** The request a job describes, and the handler's refusal when it refuses the job before making an image. */
export function receiveJob(submission: number, input: unknown, options: WorkerOptions): { request: SimulatedRequest; refusal?: string } {
  const plain = { prompt: String(findValue(input, 'prompt') ?? ''), seed: Number(findValue(input, 'seed')) || 0, references: inlineImages(input) };
  if (!isWorkerComfyInput(input)) return { request: describedRequest({ submission, input, ...plain }, options.drift) };
  const outcome = runWorkerComfy(input, options);
  if ('error' in outcome) {
    const sent = Array.isArray(input.images) ? (input.images as { name?: unknown; image?: unknown }[]).flatMap((image) => inlineImages(image?.image, String(image?.name))) : [];
    return { request: describedRequest({ submission, input, ...plain, references: sent }, undefined), refusal: outcome.error };
  }
  const { prompt, seed } = outcome.graph;
  return { request: describedRequest({ submission, input, prompt, seed, references: outcome.references }, options.drift) };
}
