// The simulators' pictures: the character the prompt names, drawn exactly as the offline renderer draws that
// character for that shot, so the same character in two prompts is the same character; and, for requests
// chosen to drift, someone visibly else, as an unconditioned model would draw.
import { afterEach, describe, expect, it } from 'vitest';
import { driftedSubject, subjectFromPrompt } from '../../bench/simulator/characterImages.js';
import { type ComfyUiSimulator, startComfyUiSimulator } from '../../bench/simulator/comfyui.js';
import { type RunPodSimulator, startRunPodSimulator } from '../../bench/simulator/runpod.js';
import { avatarPrompt, characterImagePrompt, variationPrompt } from '../../src/domain/prompts.js';
import { VARIATIONS } from '../../src/domain/variations.js';
import { ComfyUiGenerator } from '../../src/generators/comfyui/index.js';
import { checkWorkflow, type Workflow } from '../../src/generators/comfyui/workflow.js';
import { deriveLook, OfflineRenderer } from '../../src/generators/offline/index.js';
import { RunPodGenerator } from '../../src/generators/runpod/index.js';
import { bundledTemplatePath, loadTemplate } from '../../src/generators/template.js';
import type { ImageRequest, ImageSubject } from '../../src/ports.js';

const MIRA: ImageSubject = { name: 'Mira Thorn', description: 'a travelling cartographer', traits: { hair: 'auburn', eyes: 'green', favourite_colour: 'teal' }, style: 'watercolor' };
const NODES = { prompt: '6', negative: '7', sampler: '3', latent: '5' };

let comfy: ComfyUiSimulator | undefined;
let runpod: RunPodSimulator | undefined;
let generator: ComfyUiGenerator | undefined;
afterEach(async () => {
  generator?.close();
  await comfy?.close();
  await runpod?.close();
  comfy = runpod = generator = undefined;
});

function request(variation: ImageRequest['variation'], seed: number): ImageRequest {
  const spec = VARIATIONS.find((candidate) => candidate.type === variation);
  const prompt = spec ? variationPrompt(MIRA, spec) : avatarPrompt(MIRA);
  return { variation, prompt, negativePrompt: 'blurry', seed, width: 128, height: 128, subject: MIRA };
}

const offline = async (r: ImageRequest, subject: ImageSubject = r.subject) => Buffer.from((await new OfflineRenderer().generate({ ...r, subject })).bytes);

describe('simulated pictures', () => {
  it('reads the character and the shot back from a charsheet prompt', () => {
    expect(subjectFromPrompt(variationPrompt(MIRA, VARIATIONS[2]!))).toMatchObject({ subject: MIRA, variation: 'full_body_standing' });
    expect(subjectFromPrompt(avatarPrompt(MIRA))).toMatchObject({ subject: MIRA, variation: 'avatar' });
  });

  it('ComfyUI draws the prompt character exactly as the offline renderer does, shot by shot', async () => {
    comfy = await startComfyUiSimulator({ latencyMs: 1 });
    generator = new ComfyUiGenerator({ url: comfy.url, workflow: checkWorkflow(loadTemplate(bundledTemplatePath('comfyui/sdxl-txt2img.json'), 'test') as Workflow, NODES), nodes: NODES, maxPollMs: 50 });
    // A generateCharacterImage prompt is drawn in the setting and pose its words name, as offline.
    const custom: ImageRequest = { ...request('avatar', 44), variation: 'custom', prompt: characterImagePrompt(MIRA, 'sitting on a beach'), direction: 'sitting on a beach' };
    for (const r of [request('avatar', 41), request('portrait_side', 42), request('sitting_casual', 43), custom]) {
      const image = await generator.generate(r);
      expect(Buffer.from(image.bytes).equals(await offline(r))).toBe(true);
    }
  });

  it('draws someone else for a request chosen to drift, and records which one it was', async () => {
    runpod = await startRunPodSimulator({ workers: 2, latencyMs: 1, drift: (job) => job.variation === 'action_pose' });
    const adapter = new RunPodGenerator({ baseUrl: runpod.baseUrl, endpointId: runpod.endpointId, apiKey: runpod.apiKey, inputTemplate: loadTemplate(bundledTemplatePath('runpod/plain-sdxl.json'), 'test'), mode: 'runsync', maxPollMs: 50, jobTimeoutMs: 10_000 });
    const steady = request('three_quarter_view', 7);
    const drifting = request('action_pose', 8);
    expect(Buffer.from((await adapter.generate(steady)).bytes).equals(await offline(steady))).toBe(true);
    const drifted = Buffer.from((await adapter.generate(drifting)).bytes);
    expect(drifted.equals(await offline(drifting))).toBe(false);
    expect(drifted.equals(await offline(drifting, driftedSubject(MIRA, 8)))).toBe(true);
    expect(runpod.requests().map((job) => [job.variation, job.drifted])).toEqual([
      ['three_quarter_view', false],
      ['action_pose', true],
    ]);
  });

  it('a drifted character differs in hair, skin and eyes, and is the same for the same seed', () => {
    const look = deriveLook(MIRA);
    for (const seed of [1, 2, 3, 1234, 0xffffffff]) {
      const stranger = deriveLook(driftedSubject(MIRA, seed));
      expect([stranger.hair === look.hair, stranger.skin === look.skin, stranger.eyes === look.eyes]).toEqual([false, false, false]);
    }
    expect(driftedSubject(MIRA, 5)).toEqual(driftedSubject(MIRA, 5));
  });

  it('serves single-colour PNGs when asked for raw speed', async () => {
    runpod = await startRunPodSimulator({ workers: 1, latencyMs: 1, images: 'solid' });
    const adapter = new RunPodGenerator({ baseUrl: runpod.baseUrl, endpointId: runpod.endpointId, apiKey: runpod.apiKey, inputTemplate: loadTemplate(bundledTemplatePath('runpod/plain-sdxl.json'), 'test'), mode: 'runsync', maxPollMs: 50, jobTimeoutMs: 10_000 });
    const image = await adapter.generate(request('avatar', 3));
    expect(image).toMatchObject({ width: 128, height: 128 });
    expect(image.bytes.length).toBeLessThan(1_000);
  });
});
