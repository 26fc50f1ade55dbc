// Identity conditioning on RunPod: with a worker-comfyui template the avatar travels in input.images and the
// workflow's LoadImage names it; with a plain worker's template it is the base64 in {{reference_image}};
// without conditioning no image is sent.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunPodSimulator, startRunPodSimulator } from '../../bench/simulator/runpod.js';
import { loadConfig } from '../../src/config.js';
import { createRunPodGenerator, RunPodGenerator } from '../../src/generators/runpod/index.js';
import { bundledTemplatePath, type Json, loadTemplate } from '../../src/generators/template.js';
import { avatarReference, backendFailure, imageRequest } from './support.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
type Input = { workflow: Record<string, { class_type: string; inputs: Record<string, unknown> }>; images?: { name: string; image: string }[] };

let simulator: RunPodSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function setUp(identityTemplate: Json | undefined, mode: 'run' | 'runsync' = 'runsync') {
  simulator = await startRunPodSimulator({ workers: 2, latencyMs: 5, images: 'solid' });
  const generator = new RunPodGenerator({
    baseUrl: simulator.baseUrl,
    endpointId: simulator.endpointId,
    apiKey: simulator.apiKey,
    inputTemplate: loadTemplate(bundledTemplatePath('runpod/worker-comfyui-sdxl.json'), 'test'),
    identityTemplate,
    identityStrength: 0.7,
    mode,
    firstPollMs: 10,
    maxPollMs: 50,
    jobTimeoutMs: 10_000,
  });
  return { sim: simulator, generator };
}

describe('RunPod identity conditioning', () => {
  it('sends the avatar in input.images under the name the workflow loads (worker-comfyui)', async () => {
    const { sim, generator } = await setUp(loadTemplate(bundledTemplatePath('runpod/worker-comfyui-sdxl-ipadapter-faceid.json'), 'test'));
    const avatar = avatarReference();
    await expect(generator.generate(imageRequest({ references: [avatar] }))).resolves.toMatchObject({ width: 96, height: 64 });
    const input = sim.jobs()[0]!.input as Input;
    expect(input.images).toHaveLength(1);
    const [sent] = input.images!;
    expect(sent!.name).toMatch(/^charsheet-65f0c0ffee00000000000001-avatar-[0-9a-f]{12}\.png$/);
    expect(Buffer.from(sent!.image, 'base64').equals(Buffer.from(avatar.bytes))).toBe(true);
    expect(input.workflow['10']).toMatchObject({ class_type: 'LoadImage', inputs: { image: sent!.name } });
    expect(input.workflow['12']!.inputs.weight).toBe(0.7);
    expect(sim.requests()[0]!.references.map((reference) => reference.sha256)).toEqual([sha256(avatar.bytes)]);
  });

  it('puts bare base64 in {{reference_image}} for a plain worker', async () => {
    const { sim, generator } = await setUp(loadTemplate(bundledTemplatePath('runpod/plain-sdxl-reference.json'), 'test'));
    const avatar = avatarReference();
    await generator.generate(imageRequest({ references: [avatar] }));
    const input = sim.jobs()[0]!.input as Record<string, unknown>;
    expect(input.reference_image).toBe(Buffer.from(avatar.bytes).toString('base64'));
    expect(input.reference_strength).toBe(0.7);
    expect(sim.requests()[0]!.references[0]!.sha256).toBe(sha256(avatar.bytes));
  });

  it('makes the avatar with the plain template, and sends nothing when conditioning is off', async () => {
    const identity = loadTemplate(bundledTemplatePath('runpod/worker-comfyui-sdxl-pulid.json'), 'test');
    const { sim, generator } = await setUp(identity);
    await generator.generate(imageRequest({ variation: 'avatar' }));
    expect(sim.jobs()[0]!.input).not.toHaveProperty('images');
    await sim.close();
    simulator = await startRunPodSimulator({ workers: 1, latencyMs: 5, images: 'solid' });
    const off = createRunPodGenerator(
      loadConfig({ IMAGE_GENERATOR: 'runpod', RUNPOD_API_KEY: simulator.apiKey, RUNPOD_ENDPOINT_ID: simulator.endpointId, RUNPOD_BASE_URL: simulator.baseUrl, RUNPOD_IDENTITY_TEMPLATE: bundledTemplatePath('runpod/worker-comfyui-sdxl-pulid.json'), IDENTITY_CONDITIONING: 'none' }),
    );
    await off.generate(imageRequest({ references: [avatarReference()] }));
    expect(simulator.requests()[0]!.references).toEqual([]);
    expect(JSON.stringify(simulator.jobs()[0]!.input)).not.toContain('charsheet-65f0');
  });

  it('says a reference too large for the request limit is one, without sending it', async () => {
    const { sim, generator } = await setUp(loadTemplate(bundledTemplatePath('runpod/worker-comfyui-sdxl-pulid.json'), 'test'), 'run');
    const huge = avatarReference(new Uint8Array(8_000_000));
    const error = await backendFailure(generator.generate(imageRequest({ references: [huge] })), 'runpod');
    expect(error).toMatchObject({ retryable: false, message: expect.stringMatching(/over RunPod's 10 MB limit for \/run \(a reference image that large/) });
    expect(sim.stats.submissions).toBe(0);
  });
});
