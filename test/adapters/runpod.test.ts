// The RunPod adapter against the local serverless simulator: every job status, every output shape, and the
// faults a real endpoint produces (auth, 429, 5xx, unreachable, deadline, malformed output, non-images).
import { afterEach, describe, expect, it } from 'vitest';
import { startRunPodSimulator, type RunPodOutputShape, type RunPodSimulator, type RunPodSimulatorOptions } from '../../bench/simulator/runpod.js';
import { loadConfig } from '../../src/config.js';
import { inspectImage } from '../../src/generators/imageBytes.js';
import { PacedGenerator, SubmissionRefusedError } from '../../src/generators/paced.js';
import { createRunPodGenerator, RunPodGenerator, type RunPodOptions } from '../../src/generators/runpod/index.js';
import { imageInOutput } from '../../src/generators/runpod/output.js';
import { bundledTemplatePath, loadTemplate } from '../../src/generators/template.js';
import { backendFailure, imageRequest } from './support.js';
import { waitFor } from '../support/waitFor.js';

let simulator: RunPodSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function setUp(sim: Partial<RunPodSimulatorOptions> = {}, adapter: Partial<RunPodOptions> = {}) {
  simulator = await startRunPodSimulator({ workers: 2, latencyMs: 20, ...sim });
  const generator = new RunPodGenerator({
    baseUrl: simulator.baseUrl,
    endpointId: simulator.endpointId,
    apiKey: simulator.apiKey,
    inputTemplate: loadTemplate(bundledTemplatePath('runpod/worker-comfyui-sdxl.json'), 'test'),
    mode: 'runsync',
    firstPollMs: 10,
    maxPollMs: 50,
    jobTimeoutMs: 10_000,
    ...adapter,
  });
  return { sim: simulator, generator };
}

describe('RunPod adapter', () => {
  it.each<RunPodOutputShape>(['worker-comfyui', 's3_url', 'legacy-message', 'a1111', 'image_url', 'runpod-example'])('reads a real image from the %s output shape', async (outputShape) => {
    const { generator } = await setUp({ outputShape });
    const image = await generator.generate(imageRequest());
    expect(image).toMatchObject({ contentType: 'image/png', width: 96, height: 64 });
    expect(inspectImage(image.bytes)).toMatchObject({ width: 96, height: 64 });
  });

  it('places prompt, negative prompt, seed and size into the workflow template', async () => {
    const { sim, generator } = await setUp();
    await generator.generate(imageRequest({ seed: 77, prompt: 'a "quoted" prompt' }));
    const workflow = (sim.jobs()[0]!.input as { workflow: Record<string, { inputs: Record<string, unknown> }> }).workflow;
    expect(workflow['6']!.inputs.text).toBe('a "quoted" prompt');
    expect(workflow['7']!.inputs.text).toBe('blurry');
    expect(workflow['3']!.inputs.seed).toBe(77);
    expect(workflow['5']!.inputs).toMatchObject({ width: 96, height: 64, batch_size: 1 });
  });

  it('polls /status in run mode, and after /runsync answers before the job is done', async () => {
    const run = await setUp({ latencyMs: 60 }, { mode: 'run' });
    await expect(run.generator.generate(imageRequest())).resolves.toMatchObject({ width: 96 });
    expect(run.sim.stats.statusCalls).toBeGreaterThan(0);
    await run.sim.close();
    const sync = await setUp({ latencyMs: 60, syncWaitMs: 5 }, { mode: 'runsync' });
    await expect(sync.generator.generate(imageRequest())).resolves.toMatchObject({ width: 96 });
    expect(sync.sim.stats.statusCalls).toBeGreaterThan(0);
  });

  it('keeps polling through a failed /status call', async () => {
    const { sim, generator } = await setUp({ fault: () => 'status-blip', syncWaitMs: 1 });
    await expect(generator.generate(imageRequest())).resolves.toMatchObject({ width: 96 });
    expect(sim.stats.statusCalls).toBeGreaterThanOrEqual(2);
    expect(sim.stats.submissions).toBe(1);
  });

  it('reports a wrong API key as a non-retryable 401 without the key', async () => {
    const { generator } = await setUp({}, { apiKey: 'rp_wrong_key_987654321' });
    const error = await backendFailure(generator.generate(imageRequest()), 'runpod');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/401.*API key/);
    expect(error.message).not.toContain('rp_wrong_key_987654321');
  });

  it('reports FAILED jobs, retryable unless the worker says the request is invalid', async () => {
    const transient = await setUp({ fault: () => 'fail' });
    const oom = await backendFailure(transient.generator.generate(imageRequest()), 'runpod');
    expect(oom).toMatchObject({ retryable: true });
    expect(oom.message).toMatch(/failed on the worker: CUDA out of memory/);
    await transient.sim.close();
    const invalid = await setUp({ fault: () => 'fail-validation' });
    const validation = await backendFailure(invalid.generator.generate(imageRequest()), 'runpod');
    expect(validation).toMatchObject({ retryable: false });
    expect(validation.message).toMatch(/Workflow validation failed/);
  });

  it('reports TIMED_OUT as retryable and CANCELLED as final', async () => {
    const timedOut = await setUp({ fault: () => 'timed-out' });
    expect(await backendFailure(timedOut.generator.generate(imageRequest()), 'runpod')).toMatchObject({ retryable: true, message: expect.stringMatching(/execution timeout/) });
    await timedOut.sim.close();
    const cancelled = await setUp({ fault: () => 'cancelled' });
    expect(await backendFailure(cancelled.generator.generate(imageRequest()), 'runpod')).toMatchObject({ retryable: false, message: expect.stringMatching(/cancelled/) });
  });

  it('fails clearly on an output without an image', async () => {
    const { generator } = await setUp({ fault: () => 'malformed' });
    const error = await backendFailure(generator.generate(imageRequest()), 'runpod');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/holds no image \(got an object with keys \[result, note\]\)/);
  });

  it('refuses bytes that are not an image, from base64 or from a signed URL it never reveals', async () => {
    const inline = await setUp({ fault: () => 'not-image' });
    const error = await backendFailure(inline.generator.generate(imageRequest()), 'runpod');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/not a PNG, JPEG or WebP image \(\d+ bytes starting "<html><body>502 /);
    await inline.sim.close();
    const linked = await setUp({ fault: () => 'not-image', outputShape: 's3_url' });
    const viaUrl = await backendFailure(linked.generator.generate(imageRequest()), 'runpod');
    expect(viaUrl.message).toMatch(/not a PNG/);
    expect(viaUrl.message).not.toContain(linked.sim.s3Signature);
  });

  it('cancels a job that passes its deadline and reports a retryable timeout', async () => {
    const { sim, generator } = await setUp({ fault: () => 'hang', syncWaitMs: 20 }, { jobTimeoutMs: 300 });
    const error = await backendFailure(generator.generate(imageRequest()), 'runpod');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/did not finish within 300 ms/);
    expect(sim.stats.cancelRequests).toBe(1);
    expect(sim.jobs()[0]!.status).toBe('CANCELLED');
  });

  it('cancels the job when the caller gives up', async () => {
    const { sim, generator } = await setUp({ fault: () => 'hang', syncWaitMs: 20 });
    const controller = new AbortController();
    const pending = generator.generate(imageRequest(), controller.signal);
    // Once it polls /status the adapter knows the job's id (a fixed delay raced /runsync on a busy machine).
    await waitFor(async () => sim.stats.statusCalls > 0, 'the adapter polling the job');
    controller.abort(new Error('variation deadline'));
    await expect(pending).rejects.toThrow('variation deadline');
    expect(sim.jobs()[0]!.status).toBe('CANCELLED');
  });

  it('turns a 429 on submission into a refusal the pacer sends again after Retry-After', async () => {
    const { sim, generator } = await setUp({ fault: (n) => (n === 1 ? 'refuse-429' : undefined), retryAfterSeconds: 0.05 });
    const refused = await generator.generate(imageRequest()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SubmissionRefusedError);
    expect(refused).toMatchObject({ retryable: true, retryAfterMs: 50 });
    const paced = new PacedGenerator(generator, { maxConcurrency: 2, minSpacingMs: 0 });
    await expect(paced.generate(imageRequest())).resolves.toMatchObject({ width: 96 });
    expect(sim.stats).toMatchObject({ refused: 1, submissions: 1 });
  });

  it('reports 5xx on submission as retryable with the advised wait, and never resends it itself', async () => {
    const { sim, generator } = await setUp({ fault: () => 'submit-503', retryAfterSeconds: 3 });
    const error = await backendFailure(generator.generate(imageRequest()), 'runpod');
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 3_000 });
    expect(error).not.toBeInstanceOf(SubmissionRefusedError);
    expect(sim.stats.refused).toBe(1);
  });

  it('names the setting when the endpoint id is wrong', async () => {
    const { generator } = await setUp({}, { endpointId: 'no-such-endpoint' });
    expect(await backendFailure(generator.generate(imageRequest()), 'runpod')).toMatchObject({ retryable: false, message: expect.stringMatching(/endpoint no-such-endpoint was not found \(HTTP 404\): check RUNPOD_ENDPOINT_ID/) });
  });

  it('reports an unreachable endpoint as retryable', async () => {
    const { sim, generator } = await setUp();
    await sim.close();
    simulator = undefined;
    const error = await backendFailure(generator.generate(imageRequest()), 'runpod');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/unreachable/);
  });

  it('reads queue depth and workers from /health', async () => {
    const { sim, generator } = await setUp({ workers: 1, latencyMs: 200 });
    const jobs = [generator.generate(imageRequest()), generator.generate(imageRequest()), generator.generate(imageRequest())];
    await waitFor(async () => sim.stats.submissions === 3, 'three jobs at the endpoint');
    await expect(generator.capacityHint()).resolves.toEqual({ workers: 1, queued: 2 });
    await Promise.all(jobs);
  });

  it('reads the max workers of the endpoint from the REST API, and does without it when the key may not', async () => {
    const { sim, generator } = await setUp({ workers: 3 }, {});
    const withRest = new RunPodGenerator({ baseUrl: sim.baseUrl, restUrl: sim.restUrl, endpointId: sim.endpointId, apiKey: sim.apiKey, inputTemplate: {}, mode: 'run', maxPollMs: 50, jobTimeoutMs: 5_000 });
    await expect(withRest.capacityHint()).resolves.toEqual({ workers: 3, queued: 0, maxWorkers: 3 });
    await expect(generator.capacityHint()).resolves.toEqual({ workers: 3, queued: 0 });
    await sim.close();
    const limited = await setUp({ workers: 3, restApi: false });
    const refused = new RunPodGenerator({ baseUrl: limited.sim.baseUrl, restUrl: limited.sim.restUrl, endpointId: limited.sim.endpointId, apiKey: limited.sim.apiKey, inputTemplate: {}, mode: 'run', maxPollMs: 50, jobTimeoutMs: 5_000 });
    await expect(refused.capacityHint()).resolves.toEqual({ workers: 3, queued: 0 });
  });

  it('is built from configuration with the bundled plain input template', async () => {
    simulator = await startRunPodSimulator({ workers: 1, latencyMs: 5, outputShape: 'a1111' });
    const config = loadConfig({ IMAGE_GENERATOR: 'runpod', RUNPOD_API_KEY: simulator.apiKey, RUNPOD_ENDPOINT_ID: simulator.endpointId, RUNPOD_BASE_URL: simulator.baseUrl });
    const generator = createRunPodGenerator(config);
    await expect(generator.generate(imageRequest({ seed: 5 }))).resolves.toMatchObject({ width: 96, height: 64 });
    expect(simulator.jobs()[0]!.input).toEqual({ prompt: 'portrait of Mira, red hair, green eyes', negative_prompt: 'blurry', seed: 5, width: 96, height: 64, num_inference_steps: 25, guidance_scale: 7 });
  });

  it('parses data URIs, and passes on what the worker said when there is no image', () => {
    expect(imageInOutput({ images: [{ filename: 'a.png', type: 'base64', data: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==' }] })).toEqual({ kind: 'base64', data: 'iVBORw0KGgoAAAANSUhEUg==' });
    expect(imageInOutput({ error: 'prompt blocked by safety filter' })).toEqual({ problem: "the job's output holds no image (got an object with keys [error]); the worker reported: prompt blocked by safety filter" });
    expect(imageInOutput({ images: [], errors: ['S3 upload failed'] })).toMatchObject({ problem: expect.stringMatching(/worker reported: S3 upload failed$/) });
    expect(imageInOutput(null)).toEqual({ problem: "the job's output holds no image (got no output)" });
  });
});
