// The simulators refuse what the real servers refuse, in their words and answer shapes: ComfyUI's /prompt
// (validate_prompt's node_errors), /upload/image, and worker-comfyui's handling of input.images. Adapter
// tests are only as good as these checks, so they are tested against raw HTTP here.
import { afterEach, describe, expect, it } from 'vitest';
import { type ComfyUiSimulator, startComfyUiSimulator } from '../../bench/simulator/comfyui.js';
import { solidPng } from '../../bench/simulator/png.js';
import { type RunPodSimulator, startRunPodSimulator } from '../../bench/simulator/runpod.js';
import { bundledTemplatePath, fillTemplate, type Json, loadTemplate } from '../../src/generators/template.js';
import { imageRequest } from './support.js';

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

let comfy: ComfyUiSimulator | undefined;
let runpod: RunPodSimulator | undefined;
afterEach(async () => {
  await comfy?.close();
  await runpod?.close();
  comfy = runpod = undefined;
});

/** The bundled FaceID workflow with every placeholder filled, its LoadImage naming `image`. */
function faceIdGraph(image: string): Graph {
  const template = loadTemplate(bundledTemplatePath('comfyui/sdxl-ipadapter-faceid.json'), 'test');
  return fillTemplate(template, imageRequest(), { referenceImage: image, identityStrength: 0.8 }) as unknown as Graph;
}

async function upload(url: string, name: string, bytes: Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append('image', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }), name);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  const response = await fetch(`${url}/upload/image`, { method: 'POST', body: form });
  return { status: response.status, body: response.status === 200 ? await response.json() : await response.text() };
}

async function queue(url: string, graph: Graph) {
  const response = await fetch(`${url}/prompt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: graph, client_id: 'test' }) });
  return { status: response.status, body: (await response.json()) as { error?: { type: string; message: string; details: string }; node_errors?: unknown } };
}

describe('ComfyUI simulator', () => {
  it('answers uploads as server.py does: the name, subfolder and type, " (1)" for a taken name, 400 for a path outside', async () => {
    comfy = await startComfyUiSimulator({ latencyMs: 5 });
    expect(await upload(comfy.url, 'a.png', solidPng(4, 4, 1), { subfolder: 'charsheet', overwrite: 'true' })).toEqual({ status: 200, body: { name: 'a.png', subfolder: 'charsheet', type: 'input' } });
    expect(await upload(comfy.url, 'a.png', solidPng(4, 4, 1), { subfolder: 'charsheet' })).toMatchObject({ body: { name: 'a.png' } });
    expect(await upload(comfy.url, 'a.png', solidPng(4, 4, 2), { subfolder: 'charsheet' })).toMatchObject({ body: { name: 'a (1).png' } });
    expect(await upload(comfy.url, 'a.png', solidPng(4, 4, 3), { subfolder: '../../etc' })).toEqual({ status: 400, body: '' });
    expect(comfy.inputFiles().sort()).toEqual(['charsheet/a (1).png', 'charsheet/a.png']);
  });

  it('refuses a LoadImage naming a file that was never uploaded, with the node error ComfyUI gives', async () => {
    comfy = await startComfyUiSimulator({ latencyMs: 5 });
    const answer = await queue(comfy.url, faceIdGraph('charsheet/missing.png'));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation' });
    expect(answer.body.node_errors).toEqual({
      '10': {
        class_type: 'LoadImage',
        dependent_outputs: ['9'],
        errors: [{ type: 'custom_validation_failed', message: 'Custom validation failed for node', details: 'image - Invalid image file: charsheet/missing.png', extra_info: { input_name: 'image' } }],
      },
    });
    await upload(comfy.url, 'missing.png', solidPng(4, 4, 1), { subfolder: 'charsheet' });
    expect((await queue(comfy.url, faceIdGraph('charsheet/missing.png'))).status).toBe(200);
  });

  it('refuses a node class that is not installed before looking at anything else', async () => {
    comfy = await startComfyUiSimulator({ latencyMs: 5, packs: ['pulid'] });
    const answer = await queue(comfy.url, faceIdGraph('x.png'));
    expect(answer).toEqual({
      status: 400,
      body: { error: { type: 'invalid_prompt', message: 'Cannot execute because node IPAdapterUnifiedLoaderFaceID does not exist.', details: "Node ID '#11'", extra_info: {} }, node_errors: [] },
    });
  });

  it('checks required inputs, values against their limits and lists, and the types links deliver', async () => {
    comfy = await startComfyUiSimulator({ latencyMs: 5 });
    await upload(comfy.url, 'ref.png', solidPng(4, 4, 1));
    const graph = faceIdGraph('ref.png');
    delete graph['12']!.inputs.weight_type;
    graph['12']!.inputs.weight = 4;
    graph['11']!.inputs.preset = 'FACEID PLUS V3';
    graph['3']!.inputs.steps = 'many';
    graph['3']!.inputs.positive = ['4', 0];
    const { status, body } = await queue(comfy.url, graph);
    expect(status).toBe(400);
    const errors = body.node_errors as Record<string, { errors: { type: string; message: string; details: string }[] }>;
    expect(errors['12']!.errors.map(({ type, message, details }) => ({ type, message, details }))).toEqual([
      { type: 'value_bigger_than_max', message: 'Value 4.0 bigger than max of 3', details: 'weight' },
      { type: 'required_input_missing', message: 'Required input is missing', details: 'weight_type' },
    ]);
    expect(errors['11']!.errors[0]).toMatchObject({ type: 'value_not_in_list', details: expect.stringMatching(/^preset: 'FACEID PLUS V3' not in \['FACEID', 'FACEID PLUS - SD1.5 only', 'FACEID PLUS V2',/) });
    expect(errors['3']!.errors.map((error) => error.details)).toEqual(["steps, many, invalid literal for int() with base 10: 'many'", 'positive, MODEL != CONDITIONING']);
  });

  it('accepts every bundled workflow once its reference is uploaded', async () => {
    comfy = await startComfyUiSimulator({ latencyMs: 5 });
    await upload(comfy.url, 'ref.png', solidPng(4, 4, 1));
    for (const name of ['sdxl-txt2img', 'sdxl-ipadapter-faceid', 'sdxl-pulid']) {
      const template = loadTemplate(bundledTemplatePath(`comfyui/${name}.json`), name);
      const answer = await queue(comfy.url, fillTemplate(template, imageRequest(), { referenceImage: 'ref.png', identityStrength: 0.8 }) as unknown as Graph);
      expect({ name, ...answer }).toMatchObject({ name, status: 200 });
    }
  });
});

describe('RunPod simulator as worker-comfyui', () => {
  const workflow = (image: string) => ({ workflow: faceIdGraph(image) as unknown as Json });

  async function job(input: Record<string, unknown>) {
    runpod ??= await startRunPodSimulator({ workers: 1, latencyMs: 5, images: 'solid' });
    const response = await fetch(`${runpod.baseUrl}/${runpod.endpointId}/runsync`, { method: 'POST', headers: { authorization: runpod.apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ input }) });
    return (await response.json()) as { status: string; error?: string; output?: unknown };
  }

  it('runs the workflow when input.images holds the file its LoadImage names, and records it', async () => {
    const image = solidPng(8, 8, 3);
    await expect(job({ ...workflow('ref.png'), images: [{ name: 'ref.png', image: `data:image/png;base64,${image.toString('base64')}` }] })).resolves.toMatchObject({ status: 'COMPLETED' });
    expect(runpod!.requests()[0]!.references).toMatchObject([{ name: 'ref.png', bytes: image }]);
  });

  it("fails the job in the handler's words when names do not match, base64 does not decode or images is not a list", async () => {
    const mismatch = await job({ ...workflow('ref.png'), images: [{ name: 'other.png', image: solidPng(8, 8, 3).toString('base64') }] });
    expect(mismatch.status).toBe('FAILED');
    expect(mismatch.error).toMatch(/^Workflow validation failed:\n• Node 10 \(errors\): \[\{'type': 'custom_validation_failed', 'message': 'Custom validation failed for node', 'details': 'image - Invalid image file: ref.png'/);
    await expect(job({ ...workflow('ref.png'), images: [{ name: 'ref.png', image: 'iVBORw0KGgo' }] })).resolves.toMatchObject({ status: 'FAILED', error: 'Failed to upload one or more input images' });
    await expect(job({ ...workflow('ref.png'), images: { name: 'ref.png' } })).resolves.toMatchObject({ status: 'FAILED', error: "'images' must be a list of objects with 'name' and 'image' keys" });
    await expect(job({ ...workflow('ref.png'), images: [{ name: 'ref.png', image: Buffer.from('not an image at all').toString('base64') }] })).resolves.toMatchObject({ status: 'FAILED', error: 'Job processing failed' });
  });
});
