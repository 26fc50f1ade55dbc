// The whole service on real backends' protocols: the RunPod adapter against the simulator and the Cloudinary
// store against the fake upload API. A set with one permanently failing and one flaky variation completes
// with what succeeded, records the causes, and no secret reaches the character record or the metadata JSON.
import https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeCloudinary, startFakeCloudinary } from '../../bench/simulator/cloudinary.js';
import { type RunPodSimulator, startRunPodSimulator } from '../../bench/simulator/runpod.js';
import { CreateCharacterDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { RunPodGenerator } from '../../src/generators/runpod/index.js';
import { CloudinaryObjectStore } from '../../src/storage/cloudinary.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

function download(url: string, agent: https.Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    https.get(url, { agent }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve(text));
    }).on('error', reject);
  });
}

describe('service on RunPod and Cloudinary protocols', () => {
  let service: TestService | undefined;
  let client: GraphQLTestClient | undefined;
  let runpod: RunPodSimulator | undefined;
  let cloudinary: FakeCloudinary | undefined;
  afterEach(async () => {
    await client?.close();
    await service?.destroy();
    await runpod?.close();
    await cloudinary?.close();
    service = client = runpod = cloudinary = undefined;
  });

  it('completes the set with what succeeded, records each cause, and keeps secrets out', async () => {
    const attempts = new Map<string, number>();
    runpod = await startRunPodSimulator({
      workers: 4,
      latencyMs: 20,
      fault: (_, input) => {
        const variation = String((input as { variation?: unknown }).variation);
        attempts.set(variation, (attempts.get(variation) ?? 0) + 1);
        if (variation === 'portrait_side') return 'fail-validation';
        if (variation === 'sitting_casual' && attempts.get(variation) === 1) return 'fail';
        return undefined;
      },
    });
    cloudinary = await startFakeCloudinary({ folderMode: 'dynamic' });
    const generator = new RunPodGenerator({
      baseUrl: runpod.baseUrl,
      endpointId: runpod.endpointId,
      apiKey: runpod.apiKey,
      inputTemplate: { prompt: '{{prompt}}', negative_prompt: '{{negative_prompt}}', seed: '{{seed}}', width: '{{width}}', height: '{{height}}', variation: '{{variation}}' },
      mode: 'runsync',
      maxPollMs: 50,
      jobTimeoutMs: 10_000,
    });
    const store = new CloudinaryObjectStore({ cloudName: cloudinary.cloudName, apiKey: cloudinary.apiKey, apiSecret: cloudinary.apiSecret, uploadPrefix: cloudinary.uploadPrefix, secureDistribution: cloudinary.deliveryHost, agent: cloudinary.agent });
    service = await startTestService({ VARIATION_MAX_ATTEMPTS: '3', IMAGE_WIDTH: '128', IMAGE_HEIGHT: '96' }, { generator, store });
    client = new GraphQLTestClient(service.url);

    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Mira Vale', description: 'a ranger with red hair' } });
    expect(createCharacter.avatarUrl).toMatch(/\/image\/upload\/v\d+\/characters\/.+\/avatar\//);
    const c = client;
    await waitFor(async () => ['completed', 'failed'].includes((await c.request(EmbeddingStatusDocument, { characterId: createCharacter.id })).embeddingStatus.status), 'set finished');
    const { embeddingStatus: status } = await client.request(EmbeddingStatusDocument, { characterId: createCharacter.id });

    expect(status.status).toBe('completed');
    expect(status.totalImages).toBe(9);
    // Derived when read, for the configured delivery host (a private CDN here), with the version of each upload.
    for (const url of status.cloudinaryUrls) expect(url).toMatch(new RegExp(`^https://${cloudinary.deliveryHost}/image/upload/v\\d+/characters/.+/embeddings/`));
    expect((await download(status.cloudinaryUrls[0]!, cloudinary.agent)).length).toBeGreaterThan(0);
    const side = status.images.find((image) => image.type === 'portrait_side')!;
    expect(side).toMatchObject({ status: 'failed', attempts: 1, url: null });
    expect(side.error).toMatch(/^runpod: job .* failed on the worker: Workflow validation failed/);
    expect(status.images.find((image) => image.type === 'sitting_casual')).toMatchObject({ status: 'completed', attempts: 2 });
    expect(status.images.filter((image) => image.status === 'completed').every((image) => image.width === 128 && image.height === 96)).toBe(true);
    expect(runpod.stats.peakJobsInSystem).toBeLessThanOrEqual(10);

    // Every image is filed under the set's embeddings folder, once, and the metadata JSON is a raw asset.
    const embeddings = cloudinary.assets().filter((asset) => asset.folder.endsWith('/embeddings'));
    expect(embeddings.filter((asset) => asset.resourceType === 'image')).toHaveLength(9);
    expect(embeddings.every((asset) => asset.uploads === 1)).toBe(true);
    expect(status.metadataUrl).toMatch(/\/raw\/upload\/v\d+\/characters\/.+\/embeddings\/.+\.json$/);
    const metadata = await download(status.metadataUrl!, cloudinary.agent);
    expect(metadata).toContain('Workflow validation failed');
    for (const secret of [runpod.apiKey, cloudinary.apiSecret, cloudinary.apiKey]) {
      expect(metadata).not.toContain(secret);
      expect(JSON.stringify(status)).not.toContain(secret);
    }
  });

  it('runs on RunPod chosen by configuration alone, with the bundled input template', async () => {
    runpod = await startRunPodSimulator({ workers: 3, latencyMs: 10, outputShape: 'a1111' });
    service = await startTestService({
      IMAGE_GENERATOR: 'runpod',
      RUNPOD_API_KEY: runpod.apiKey,
      RUNPOD_ENDPOINT_ID: runpod.endpointId,
      RUNPOD_BASE_URL: runpod.baseUrl,
      RUNPOD_REST_URL: runpod.restUrl,
    });
    client = new GraphQLTestClient(service.url);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Quill', description: 'a scribe' } });
    const c = client;
    await waitFor(async () => (await c.request(EmbeddingStatusDocument, { characterId: createCharacter.id })).embeddingStatus.status === 'completed', 'set completed');
    expect(runpod.stats.completed).toBe(11);
    expect(runpod.jobs()[0]!.input).toMatchObject({ prompt: expect.any(String), negative_prompt: expect.any(String), seed: expect.any(Number), num_inference_steps: 25 });
  });
});
