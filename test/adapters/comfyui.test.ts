// The ComfyUI adapter against the local ComfyUI simulator: /prompt, /ws completion with /history fallback,
// /view, and the faults a self-hosted server produces.
import { afterEach, describe, expect, it } from 'vitest';
import { type ComfyUiSimulator, type ComfyUiSimulatorOptions, startComfyUiSimulator } from '../../bench/simulator/comfyui.js';
import { loadConfig } from '../../src/config.js';
import { ComfyUiGenerator, createComfyUiGenerator } from '../../src/generators/comfyui/index.js';
import { checkWorkflow, type Workflow, workflowFor } from '../../src/generators/comfyui/workflow.js';
import { inspectImage } from '../../src/generators/imageBytes.js';
import { bundledTemplatePath, loadTemplate, TemplateError } from '../../src/generators/template.js';
import { backendFailure, imageRequest } from './support.js';
import { waitFor } from '../support/waitFor.js';

const NODES = { prompt: '6', negative: '7', sampler: '3', latent: '5' };
const bundled = () => loadTemplate(bundledTemplatePath('comfyui/sdxl-txt2img.json'), 'test') as Workflow;

let simulator: ComfyUiSimulator | undefined;
let generator: ComfyUiGenerator | undefined;
afterEach(async () => {
  generator?.close();
  await simulator?.close();
  simulator = generator = undefined;
});

async function setUp(sim: Partial<ComfyUiSimulatorOptions> = {}, workflow: Workflow = bundled()) {
  simulator = await startComfyUiSimulator({ latencyMs: 30, ...sim });
  generator = new ComfyUiGenerator({ url: simulator.url, workflow: checkWorkflow(workflow, NODES), nodes: NODES, maxPollMs: 50 });
  return { sim: simulator, generator };
}

describe('ComfyUI adapter', () => {
  it('queues the workflow with prompt, seed and size in the configured nodes and returns the saved image', async () => {
    const { sim, generator } = await setUp();
    const image = await generator.generate(imageRequest({ seed: 4242 }));
    expect(image).toMatchObject({ contentType: 'image/png', width: 96, height: 64 });
    expect(inspectImage(image.bytes)).toMatchObject({ width: 96, height: 64 });
    const graph = sim.prompts()[0]!;
    expect(graph['6']!.inputs!.text).toBe('portrait of Mira, red hair, green eyes');
    expect(graph['7']!.inputs!.text).toBe('blurry');
    expect(graph['3']!.inputs!.seed).toBe(4242);
    expect(graph['5']!.inputs).toMatchObject({ width: 96, height: 64, batch_size: 1 });
    // The /ws event told it when to look: one look at /history was enough.
    expect(sim.stats.historyCalls).toBe(1);
  });

  it('polls /history when the server offers no WebSocket', async () => {
    const { sim, generator } = await setUp({ websocket: false, latencyMs: 200 });
    await expect(generator.generate(imageRequest())).resolves.toMatchObject({ width: 96 });
    expect(sim.stats.historyCalls).toBeGreaterThan(1);
    // The next image does not knock on /ws again at once.
    await expect(generator.generate(imageRequest())).resolves.toMatchObject({ width: 96 });
    expect(sim.stats.socketsRefused).toBe(1);
  });

  it('still finishes when the socket drops in the middle of a prompt', async () => {
    const { generator } = await setUp({ fault: () => 'drop-ws' });
    await expect(generator.generate(imageRequest())).resolves.toMatchObject({ width: 96 });
  });

  it('reports a node error: final for a missing model, retryable for out of memory', async () => {
    const missing = await setUp({ fault: () => 'execution-error' });
    const error = await backendFailure(missing.generator.generate(imageRequest()), 'comfyui');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/failed: KSampler 3: Model in folder checkpoints .* not found/);
    missing.generator.close();
    await missing.sim.close();
    const oom = await setUp({ fault: () => 'oom' });
    expect(await backendFailure(oom.generator.generate(imageRequest()), 'comfyui')).toMatchObject({ retryable: true, message: expect.stringMatching(/out of memory/) });
  });

  it('reports a workflow the server rejects, naming the node', async () => {
    const broken = bundled();
    delete broken['4'];
    const { generator } = await setUp({}, broken);
    const error = await backendFailure(generator.generate(imageRequest()), 'comfyui');
    expect(error.retryable).toBe(false);
    // What ComfyUI's validate_prompt says of a link to a node that is not there (a KeyError on its id).
    expect(error.message).toMatch(/workflow was rejected: Prompt outputs failed validation; node 3 \(KSampler\): Exception when validating inner node: '4'/);
  });

  it('refuses a /view answer that is not an image, and a prompt that saved none', async () => {
    const html = await setUp({ fault: () => 'not-image' });
    expect(await backendFailure(html.generator.generate(imageRequest()), 'comfyui')).toMatchObject({ retryable: false, message: expect.stringMatching(/not a PNG, JPEG or WebP image/) });
    html.generator.close();
    await html.sim.close();
    const none = await setUp({ fault: () => 'no-output' });
    expect(await backendFailure(none.generator.generate(imageRequest()), 'comfyui')).toMatchObject({ retryable: false, message: expect.stringMatching(/finished without an image/) });
  });

  it('interrupts its running prompt and removes its queued one when the caller gives up', async () => {
    const { sim, generator } = await setUp({ fault: (n) => (n === 1 ? 'hang' : undefined) });
    const running = new AbortController();
    const queued = new AbortController();
    // Each prompt is waited for at the server, so the first is the running one and the second the queued one.
    const first = generator.generate(imageRequest(), running.signal);
    await waitFor(async () => sim.stats.prompts === 1, 'first prompt queued');
    const second = generator.generate(imageRequest(), queued.signal);
    await waitFor(async () => sim.stats.prompts === 2, 'second prompt queued');
    queued.abort(new Error('second gave up'));
    await expect(second).rejects.toThrow('second gave up');
    running.abort(new Error('first gave up'));
    await expect(first).rejects.toThrow('first gave up');
    expect(sim.stats).toMatchObject({ deletes: 1, interrupts: 1 });
  });

  it('reports an unreachable server as retryable', async () => {
    const { sim, generator } = await setUp();
    await sim.close();
    simulator = undefined;
    expect(await backendFailure(generator.generate(imageRequest()), 'comfyui')).toMatchObject({ retryable: true, message: expect.stringMatching(/unreachable/) });
  });

  it('is built from configuration, and refuses node ids that are not in the workflow', async () => {
    simulator = await startComfyUiSimulator({ latencyMs: 5 });
    generator = createComfyUiGenerator(loadConfig({ IMAGE_GENERATOR: 'comfyui', COMFYUI_URL: simulator.url }));
    await expect(generator.generate(imageRequest())).resolves.toMatchObject({ width: 96, height: 64 });
    expect(() => createComfyUiGenerator(loadConfig({ COMFYUI_SAMPLER_NODE: '42' }))).toThrow(/sampler node "42" is not in the workflow/);
    expect(() => createComfyUiGenerator(loadConfig({ COMFYUI_PROMPT_NODE: '5' }))).toThrow(TemplateError);
  });

  it('writes the seed into noise_seed for advanced samplers', () => {
    const workflow = bundled();
    const sampler = workflow['3']!.inputs!;
    delete sampler.seed;
    sampler.noise_seed = 0;
    const filled = workflowFor(checkWorkflow(workflow, NODES), NODES, imageRequest({ seed: 99 }));
    expect(filled['3']!.inputs).toMatchObject({ noise_seed: 99 });
    expect(filled['3']!.inputs).not.toHaveProperty('seed');
  });
});
