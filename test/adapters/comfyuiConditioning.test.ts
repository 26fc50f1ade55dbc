// Identity conditioning on ComfyUI: a request carrying the avatar uploads it (once per distinct image) and
// runs the identity workflow with the upload named in its LoadImage; a request without one, or a generator
// configured without conditioning, runs plain text-to-image and uploads nothing.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type ComfyUiSimulator, type ComfyUiSimulatorOptions, startComfyUiSimulator } from '../../bench/simulator/comfyui.js';
import { solidPng } from '../../bench/simulator/png.js';
import { loadConfig } from '../../src/config.js';
import { ComfyUiGenerator, createComfyUiGenerator } from '../../src/generators/comfyui/index.js';
import { checkIdentityWorkflow, checkWorkflow, type Workflow } from '../../src/generators/comfyui/workflow.js';
import { bundledTemplatePath, loadTemplate } from '../../src/generators/template.js';
import { avatarReference, imageRequest } from './support.js';

const NODES = { prompt: '6', negative: '7', sampler: '3', latent: '5' };
const workflowFile = (name: string) => loadTemplate(bundledTemplatePath(`comfyui/${name}.json`), 'test') as Workflow;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let simulator: ComfyUiSimulator | undefined;
let generator: ComfyUiGenerator | undefined;
afterEach(async () => {
  generator?.close();
  await simulator?.close();
  simulator = generator = undefined;
});

async function setUp(sim: Partial<ComfyUiSimulatorOptions> = {}, identity: string | null = 'sdxl-ipadapter-faceid') {
  simulator = await startComfyUiSimulator({ latencyMs: 5, images: 'solid', ...sim });
  generator = new ComfyUiGenerator({
    url: simulator.url,
    workflow: checkWorkflow(workflowFile('sdxl-txt2img'), NODES),
    identityWorkflow: identity ? checkIdentityWorkflow(workflowFile(identity), NODES, 'test') : undefined,
    identityStrength: 0.65,
    nodes: NODES,
    maxPollMs: 50,
  });
  return { sim: simulator, generator };
}

describe('ComfyUI identity conditioning', () => {
  it('uploads the avatar into input/charsheet and names it in the identity workflow', async () => {
    const { sim, generator } = await setUp();
    const avatar = avatarReference();
    await expect(generator.generate(imageRequest({ references: [avatar] }))).resolves.toMatchObject({ contentType: 'image/png', width: 96, height: 64 });
    const [file] = sim.inputFiles();
    expect(file).toMatch(/^charsheet\/charsheet-65f0c0ffee00000000000001-avatar-[0-9a-f]{12}\.png$/);
    const graph = sim.prompts()[0]!;
    expect(graph['10']).toMatchObject({ class_type: 'LoadImage', inputs: { image: file } });
    expect(graph['12']).toMatchObject({ class_type: 'IPAdapterFaceID', inputs: { weight: 0.65 } });
    expect(graph['6']!.inputs!.text).toBe('portrait of Mira, red hair, green eyes');
    // What the model conditioned on is exactly the avatar's bytes.
    expect(sim.requests()[0]!.references.map((reference) => reference.sha256)).toEqual([sha256(avatar.bytes)]);
  });

  it('uploads one avatar once for a whole set, and a different one separately', async () => {
    const { sim, generator } = await setUp({}, 'sdxl-pulid');
    const avatar = avatarReference();
    await Promise.all(Array.from({ length: 10 }, (_, index) => generator.generate(imageRequest({ seed: index, references: [avatar] }))));
    expect(sim.stats.uploads).toBe(1);
    expect(sim.requests().every((request) => request.references[0]?.sha256 === sha256(avatar.bytes))).toBe(true);
    const other = avatarReference(solidPng(40, 40, 99), '65f0c0ffee00000000000002');
    await generator.generate(imageRequest({ references: [other] }));
    expect(sim.stats.uploads).toBe(2);
    expect(sim.inputFiles()).toHaveLength(2);
  });

  it('uploads again when the server lost the file, instead of failing the variation', async () => {
    const { sim, generator } = await setUp();
    const avatar = avatarReference();
    await generator.generate(imageRequest({ references: [avatar] }));
    sim.clearInputs();
    await expect(generator.generate(imageRequest({ references: [avatar] }))).resolves.toMatchObject({ width: 96 });
    expect(sim.stats).toMatchObject({ uploads: 2, rejected: 1, prompts: 2 });
  });

  it('makes the avatar (no reference) with the plain workflow', async () => {
    const { sim, generator } = await setUp();
    await generator.generate(imageRequest({ variation: 'avatar' }));
    expect(Object.values(sim.prompts()[0]!).map((node) => node.class_type)).not.toContain('LoadImage');
    expect(sim.stats.uploads).toBe(0);
  });

  it('sends no reference when conditioning is off', async () => {
    simulator = await startComfyUiSimulator({ latencyMs: 5, images: 'solid' });
    const config = loadConfig({ IMAGE_GENERATOR: 'comfyui', COMFYUI_URL: simulator.url, IDENTITY_CONDITIONING: 'none', COMFYUI_IDENTITY_WORKFLOW: bundledTemplatePath('comfyui/sdxl-ipadapter-faceid.json') });
    generator = createComfyUiGenerator(config);
    await generator.generate(imageRequest({ references: [avatarReference()] }));
    expect(simulator.stats.uploads).toBe(0);
    expect(simulator.requests()[0]!.references).toEqual([]);
  });

  it('is conditioned by configuration alone, with the strength from IDENTITY_STRENGTH', async () => {
    simulator = await startComfyUiSimulator({ latencyMs: 5, images: 'solid' });
    const config = loadConfig({ IMAGE_GENERATOR: 'comfyui', COMFYUI_URL: simulator.url, COMFYUI_IDENTITY_WORKFLOW: bundledTemplatePath('comfyui/sdxl-pulid.json'), IDENTITY_STRENGTH: '1.1' });
    expect(config.identityConditioning).toBe('avatar');
    generator = createComfyUiGenerator(config);
    await generator.generate(imageRequest({ references: [avatarReference()] }));
    expect(simulator.prompts()[0]!['14']).toMatchObject({ class_type: 'ApplyPulid', inputs: { weight: 1.1, image: ['10', 0] } });
    expect(simulator.requests()[0]!.references).toHaveLength(1);
  });
});
