// A local ComfyUI server speaking the API its server.py exposes: POST /prompt (graph checked, 400 with
// node_errors), the /ws event stream (execution_start, executing, executed, execution_success/error,
// executing node=null), GET /history/{id}, GET /view, GET/POST /queue, POST /interrupt. Like ComfyUI it runs
// one prompt at a time; each takes `latencyMs`. Faults are injected per prompt.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { solidPng } from './png.js';
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
}

type Graph = Record<string, { class_type?: unknown; inputs?: Record<string, unknown> }>;

interface Prompt {
  id: string;
  number: number;
  graph: Graph;
  clientId: string;
  fault: ComfyFault | undefined;
  timer?: NodeJS.Timeout;
}

/** The checks ComfyUI's validate_prompt makes that a templating mistake would trip. */
function nodeErrors(graph: Graph): Record<string, unknown> {
  const errors: Record<string, unknown> = {};
  const fail = (id: string, message: string, details: string) => (errors[id] = { class_type: graph[id]?.class_type, dependent_outputs: [], errors: [{ type: 'value_not_valid', message, details }] });
  for (const [id, node] of Object.entries(graph)) {
    if (typeof node?.class_type !== 'string' || typeof node.inputs !== 'object') {
      fail(id, 'Node is missing class_type or inputs', id);
      continue;
    }
    const inputs = node.inputs;
    for (const [name, value] of Object.entries(inputs)) {
      if (Array.isArray(value) && !graph[String(value[0])]) fail(id, 'Required input is missing', `${name} links to missing node ${String(value[0])}`);
    }
    const int = (name: string) => inputs[name] !== undefined && !Number.isInteger(inputs[name]) && fail(id, 'Value not an integer', `${name}: ${JSON.stringify(inputs[name])}`);
    if (node.class_type === 'KSampler') int('seed');
    if (node.class_type === 'EmptyLatentImage') ['width', 'height', 'batch_size'].forEach(int);
    if (node.class_type === 'CLIPTextEncode' && typeof inputs.text !== 'string') fail(id, 'Value not a string', 'text');
  }
  return errors;
}

export async function startComfyUiSimulator(options: ComfyUiSimulatorOptions) {
  const queue: Prompt[] = [];
  let running: Prompt | undefined;
  const history = new Map<string, unknown>();
  const images = new Map<string, { bytes: Buffer; html: boolean }>();
  const sockets = new Map<string, Set<WebSocket>>();
  const stats = { prompts: 0, rejected: 0, historyCalls: 0, interrupts: 0, deletes: 0, peakQueued: 0, socketsRefused: 0 };
  let submitted = 0;

  const emit = (clientId: string, type: string, data: Record<string, unknown>) => {
    for (const socket of sockets.get(clientId) ?? []) socket.send(JSON.stringify({ type, data: { ...data, timestamp: Date.now() } }));
  };

  const finish = (prompt: Prompt, outcome: 'success' | 'error' | 'interrupted') => {
    clearTimeout(prompt.timer);
    running = undefined;
    const outputs: Record<string, unknown> = {};
    const messages: [string, Record<string, unknown>][] = [['execution_start', { prompt_id: prompt.id }]];
    if (outcome === 'success' && prompt.fault !== 'no-output') {
      const save = Object.entries(prompt.graph).find(([, node]) => node.class_type === 'SaveImage')?.[0] ?? '9';
      const latent = Object.values(prompt.graph).find((node) => node.class_type === 'EmptyLatentImage')?.inputs ?? {};
      const sampler = Object.values(prompt.graph).find((node) => node.class_type === 'KSampler')?.inputs ?? {};
      const filename = `charsheet_${String(prompt.number).padStart(5, '0')}_.png`;
      const html = prompt.fault === 'not-image';
      images.set(filename, { bytes: html ? Buffer.from('<!DOCTYPE html><p>oops</p>') : solidPng(Number(latent.width) || 64, Number(latent.height) || 64, Number(sampler.seed) || 0), html });
      outputs[save] = { images: [{ filename, subfolder: '', type: 'output' }] };
      emit(prompt.clientId, 'executed', { node: save, display_node: save, output: outputs[save], prompt_id: prompt.id });
    }
    if (outcome === 'error') {
      const oom = prompt.fault === 'oom';
      const error = {
        prompt_id: prompt.id,
        node_id: '3',
        node_type: 'KSampler',
        exception_type: oom ? 'torch.OutOfMemoryError' : 'FileNotFoundError',
        exception_message: oom ? 'Allocation on device 0 would exceed allowed memory. (out of memory)' : 'Model in folder checkpoints with filename sd_xl_base_1.0.safetensors not found.',
        traceback: [],
      };
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

  function next(): void {
    if (running) return;
    const prompt = queue.shift();
    if (!prompt) return;
    running = prompt;
    if (prompt.fault === 'drop-ws') for (const set of sockets.values()) for (const socket of set) socket.terminate();
    emit(prompt.clientId, 'execution_start', { prompt_id: prompt.id });
    emit(prompt.clientId, 'executing', { node: '3', display_node: '3', prompt_id: prompt.id });
    if (prompt.fault === 'hang') return;
    const outcome = prompt.fault === 'execution-error' || prompt.fault === 'oom' ? 'error' : 'success';
    prompt.timer = setTimeout(() => finish(prompt, outcome), options.latencyMs);
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
    if (route === 'POST /prompt') {
      const body = (await readJson(request)) as { prompt?: Graph; client_id?: string } | undefined;
      const graph = body?.prompt;
      if (!graph || typeof graph !== 'object') return sendJson(response, 400, { error: { type: 'no_prompt', message: 'No prompt provided', details: '' }, node_errors: {} });
      const errors = nodeErrors(graph);
      if (Object.keys(errors).length > 0) {
        stats.rejected += 1;
        return sendJson(response, 400, { error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '' }, node_errors: errors });
      }
      submitted += 1;
      const prompt: Prompt = { id: randomUUID(), number: submitted, graph, clientId: body.client_id ?? '', fault: options.fault?.(submitted) };
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
    close: async () => {
      if (running) clearTimeout(running.timer);
      for (const set of sockets.values()) for (const socket of set) socket.terminate();
      wss.close();
      await listening.close();
    },
  };
}

export type ComfyUiSimulator = Awaited<ReturnType<typeof startComfyUiSimulator>>;
