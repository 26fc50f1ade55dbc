// A local ComfyUI server speaking the API its server.py exposes: POST /upload/image (comfyInputs.ts), POST
// /prompt (the graph checked as ComfyUI's validate_prompt does, comfyValidation.ts: 400 with node_errors),
// the /ws event stream (execution_start, executing, executed, execution_success/error, executing
// node=null), GET /history/{id}, GET /view, GET/POST /queue, POST /interrupt. Like ComfyUI it runs one prompt
// at a time; each takes `latencyMs`. The saved image is the offline renderer's drawing of the prompt's
// character (characterImages.ts), or of someone else for a request chosen to drift. Faults are injected per
// prompt, and every accepted prompt is recorded with the references its LoadImage nodes loaded.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { inspectImage } from '../../src/generators/imageBytes.js';
import { CharacterImages, type ImageMode } from './characterImages.js';
import { readGraph } from './comfyGraph.js';
import { ComfyInputs } from './comfyInputs.js';
import type { NodePack } from './comfyNodes.js';
import { type Graph, validatePrompt } from './comfyValidation.js';
import { carried, describedRequest, type DriftChoice, type SimulatedRequest } from './requests.js';
import { listen, readJson, sendJson } from './server.js';

export type ComfyFault =
  | 'execution-error' // a node raises (a missing model: will fail again)
  | 'oom' // a node raises torch.OutOfMemoryError
  | 'not-image' // /view serves an HTML page
  | 'no-output' // the prompt finishes without saving an image
  | 'hang' // runs until interrupted
  | 'drop-ws'; // every socket closes when the prompt starts, so its events are lost

export interface ComfyUiSimulatorOptions {
  latencyMs: number;
  /** Refuse the /ws upgrade, as a proxy without WebSocket support would. */
  websocket?: boolean;
  fault?: (prompt: number) => ComfyFault | undefined;
  /** Custom node packs installed besides the core nodes; default all the identity packs (comfyNodes.ts). */
  packs?: NodePack[];
  /** Files in model folders (checkpoints, loras, …); a folder not listed accepts any name. */
  models?: Record<string, string[]>;
  /** Which accepted prompts draw a different character, as an unconditioned model would. */
  drift?: DriftChoice;
  /** 'character' (default): the offline renderer's drawing; 'solid': single-colour PNGs, for raw speed. */
  images?: ImageMode;
}

interface Prompt {
  id: string;
  number: number;
  graph: Graph;
  clientId: string;
  fault: ComfyFault | undefined;
  request: SimulatedRequest;
  timer?: NodeJS.Timeout;
}

export async function startComfyUiSimulator(options: ComfyUiSimulatorOptions) {
  const queue: Prompt[] = [];
  let running: Prompt | undefined;
  const history = new Map<string, unknown>();
  const images = new Map<string, { bytes: Buffer; html: boolean }>();
  const sockets = new Map<string, Set<WebSocket>>();
  const inputs = new ComfyInputs();
  const drawer = new CharacterImages(options.images);
  await drawer.warmUp();
  const packs = new Set<NodePack>(['core', ...(options.packs ?? ['ipadapter', 'instantid', 'pulid'])]);
  const accepted: SimulatedRequest[] = [];
  const stats = { prompts: 0, rejected: 0, historyCalls: 0, interrupts: 0, deletes: 0, peakQueued: 0, socketsRefused: 0, uploads: 0 };
  let submitted = 0;

  const emit = (clientId: string, type: string, data: Record<string, unknown>) => {
    for (const socket of sockets.get(clientId) ?? []) socket.send(JSON.stringify({ type, data: { ...data, timestamp: Date.now() } }));
  };

  const finish = (prompt: Prompt, outcome: 'success' | 'error' | 'interrupted', picture?: Buffer) => {
    clearTimeout(prompt.timer);
    running = undefined;
    const outputs: Record<string, unknown> = {};
    const messages: [string, Record<string, unknown>][] = [['execution_start', { prompt_id: prompt.id }]];
    if (outcome === 'success' && prompt.fault !== 'no-output') {
      const save = readGraph(prompt.graph).saveNode;
      const filename = `charsheet_${String(prompt.number).padStart(5, '0')}_.png`;
      const html = prompt.fault === 'not-image';
      images.set(filename, { bytes: html || !picture ? Buffer.from('<!DOCTYPE html><p>oops</p>') : picture, html });
      outputs[save] = { images: [{ filename, subfolder: '', type: 'output' }] };
      emit(prompt.clientId, 'executed', { node: save, display_node: save, output: outputs[save], prompt_id: prompt.id });
    }
    if (outcome === 'error') {
      const error = { prompt_id: prompt.id, ...executionFailure(prompt), traceback: [] };
      messages.push(['execution_error', error]);
      emit(prompt.clientId, 'execution_error', error);
    }
    if (outcome === 'interrupted') {
      messages.push(['execution_interrupted', { prompt_id: prompt.id, node_id: '3', node_type: 'KSampler', executed: [] }]);
      emit(prompt.clientId, 'execution_interrupted', { prompt_id: prompt.id });
    }
    if (outcome === 'success') {
      messages.push(['execution_success', { prompt_id: prompt.id }]);
      emit(prompt.clientId, 'executing', { node: null, prompt_id: prompt.id });
      emit(prompt.clientId, 'execution_success', { prompt_id: prompt.id });
    }
    const status_str = outcome === 'success' ? 'success' : 'error';
    history.set(prompt.id, { prompt: [prompt.number, prompt.id, prompt.graph, {}, []], outputs, status: { status_str, completed: outcome === 'success', messages } });
    next();
  };

  /** The node error a prompt ends with: an injected fault, or a LoadImage file that is not an image. */
  const executionFailure = (prompt: Prompt) => {
    if (prompt.fault === 'oom') return { node_id: '3', node_type: 'KSampler', exception_type: 'torch.OutOfMemoryError', exception_message: 'Allocation on device 0 would exceed allowed memory. (out of memory)' };
    if (prompt.fault === 'execution-error') return { node_id: '3', node_type: 'KSampler', exception_type: 'FileNotFoundError', exception_message: 'Model in folder checkpoints with filename sd_xl_base_1.0.safetensors not found.' };
    const [id, node] = Object.entries(prompt.graph).find(([, candidate]) => candidate.class_type === 'LoadImage' && !inspectImage(inputs.get(String(candidate.inputs?.image)) ?? Buffer.alloc(0)))!;
    return { node_id: id, node_type: 'LoadImage', exception_type: 'PIL.UnidentifiedImageError', exception_message: `cannot identify image file '/ComfyUI/input/${String(node.inputs?.image)}'` };
  };

  const brokenLoad = (prompt: Prompt) => prompt.request.references.length < readGraph(prompt.graph).loads.length;

  function next(): void {
    if (running) return;
    const prompt = queue.shift();
    if (!prompt) return;
    running = prompt;
    if (prompt.fault === 'drop-ws') for (const set of sockets.values()) for (const socket of set) socket.terminate();
    emit(prompt.clientId, 'execution_start', { prompt_id: prompt.id });
    emit(prompt.clientId, 'executing', { node: '3', display_node: '3', prompt_id: prompt.id });
    if (prompt.fault === 'hang') return;
    const failed = prompt.fault === 'execution-error' || prompt.fault === 'oom' || brokenLoad(prompt);
    // The picture renders while the simulated GPU time runs; the prompt ends when both are done.
    const { seed, width, height } = readGraph(prompt.graph);
    const picture = failed ? Promise.resolve(undefined) : drawer.draw({ prompt: prompt.request.prompt, seed, width, height, drift: prompt.request.drifted });
    const elapsed = new Promise<void>((resolve) => (prompt.timer = setTimeout(resolve, options.latencyMs)));
    void Promise.all([picture, elapsed]).then(([bytes]) => {
      if (running === prompt) finish(prompt, failed ? 'error' : 'success', bytes);
    });
  }

  const server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws' || options.websocket === false) {
      stats.socketsRefused += 1;
      return socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const clientId = url.searchParams.get('clientId') ?? randomUUID().replace(/-/g, '');
      const set = sockets.get(clientId) ?? new Set();
      set.add(ws);
      sockets.set(clientId, set);
      ws.on('close', () => set.delete(ws));
      ws.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: queue.length + (running ? 1 : 0) } }, sid: clientId } }));
    });
  });

  const listening = await listen(async (request, response, url) => {
    const route = `${request.method} ${url.pathname.replace(/^\/api\//, '/')}`;
    if (route === 'POST /upload/image') {
      await inputs.handleUpload(request, response);
      stats.uploads = inputs.uploads;
      return;
    }
    if (route === 'POST /prompt') {
      const body = (await readJson(request)) as { prompt?: Graph; client_id?: string } | undefined;
      const graph = body?.prompt;
      if (!graph || typeof graph !== 'object') return sendJson(response, 400, { error: { type: 'no_prompt', message: 'No prompt provided', details: '' }, node_errors: {} });
      const validation = validatePrompt(graph, { packs, inputExists: (name) => inputs.has(name), models: options.models });
      if (!validation.ok) {
        stats.rejected += 1;
        return sendJson(response, 400, { error: validation.error, node_errors: validation.node_errors });
      }
      submitted += 1;
      const read = readGraph(graph);
      const references = read.loads.flatMap((name) => (inspectImage(inputs.get(name) ?? Buffer.alloc(0)) ? [carried(name, inputs.get(name)!)] : []));
      const simulated = describedRequest({ submission: submitted, input: graph, prompt: read.prompt, seed: read.seed, references }, options.drift);
      accepted.push(simulated);
      const prompt: Prompt = { id: randomUUID(), number: submitted, graph, clientId: body.client_id ?? '', fault: options.fault?.(submitted), request: simulated };
      stats.prompts += 1;
      queue.push(prompt);
      stats.peakQueued = Math.max(stats.peakQueued, queue.length + (running ? 1 : 0));
      next();
      return sendJson(response, 200, { prompt_id: prompt.id, number: prompt.number, node_errors: {} });
    }
    const historyMatch = /^\/history\/([\w-]+)$/.exec(url.pathname);
    if (request.method === 'GET' && historyMatch) {
      stats.historyCalls += 1;
      const entry = history.get(historyMatch[1]!);
      return sendJson(response, 200, entry ? { [historyMatch[1]!]: entry } : {});
    }
    if (route === 'GET /view') {
      const image = images.get(url.searchParams.get('filename') ?? '');
      if (!image || url.searchParams.get('type') !== 'output') return sendJson(response, 404, {});
      response.writeHead(200, { 'content-type': image.html ? 'text/html' : 'image/png' }).end(image.bytes);
      return;
    }
    const entry = (prompt: Prompt) => [prompt.number, prompt.id, prompt.graph, { client_id: prompt.clientId }, []];
    if (route === 'GET /queue') return sendJson(response, 200, { queue_running: running ? [entry(running)] : [], queue_pending: queue.map(entry) });
    if (route === 'POST /queue') {
      const body = (await readJson(request)) as { delete?: string[] } | undefined;
      for (const id of body?.delete ?? []) {
        const index = queue.findIndex((prompt) => prompt.id === id);
        if (index >= 0) queue.splice(index, 1), (stats.deletes += 1);
      }
      return sendJson(response, 200, {});
    }
    if (route === 'POST /interrupt') {
      const body = (await readJson(request)) as { prompt_id?: string } | undefined;
      if (running && (!body?.prompt_id || body.prompt_id === running.id)) {
        stats.interrupts += 1;
        finish(running, 'interrupted');
      }
      return sendJson(response, 200, {});
    }
    if (route === 'GET /system_stats') return sendJson(response, 200, { system: { os: 'posix', comfyui_version: 'simulator' }, devices: [] });
    sendJson(response, 404, {});
  }, server);

  return {
    url: listening.url,
    stats,
    status: (promptId: string) => (running?.id === promptId ? 'running' : queue.some((p) => p.id === promptId) ? 'pending' : history.has(promptId) ? 'done' : 'unknown'),
    prompts: () => [...history.values()].map((entry) => (entry as { prompt: [number, string, Graph] }).prompt[2]),
    /** Every accepted prompt, in order: its prompt text, shot, seed, the references it loaded, whether it drifted. */
    requests: (): readonly SimulatedRequest[] => accepted,
    /** The input folder's files, by the name a LoadImage node takes. */
    inputFiles: () => inputs.list(),
    /** Loses every uploaded file, as a restarted server with a fresh input folder does. */
    clearInputs: () => inputs.clear(),
    close: async () => {
      if (running) clearTimeout(running.timer);
      for (const set of sockets.values()) for (const socket of set) socket.terminate();
      wss.close();
      await listening.close();
    },
  };
}

export type ComfyUiSimulator = Awaited<ReturnType<typeof startComfyUiSimulator>>;
