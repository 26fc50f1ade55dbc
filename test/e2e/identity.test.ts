// Identity end to end on both GPU backends' simulators: RunPod with the IPAdapter FaceID worker-comfyui
// template, ComfyUI with the PuLID workflow (the avatar uploaded through /upload/image). Every variation request
// carries the avatar, chosen slots drift on their first request (the simulator draws someone else, as an
// unconditioned model does), the identity check catches them and regenerates them with new seeds, and the
// final set is consistent; events, embeddingStatus and metadata.json carry the scores. Then compareToCharacter
// on the same service. The encoder runs for real (~120 ms an image), so each backend makes one set.
import { createHash } from 'node:crypto';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CharacterImages } from '../../bench/simulator/characterImages.js';
import { startComfyUiSimulator } from '../../bench/simulator/comfyui.js';
import type { DriftChoice, SimulatedRequest } from '../../bench/simulator/requests.js';
import { startRunPodSimulator } from '../../bench/simulator/runpod.js';
import { regenerationSeed } from '../../src/domain/regenerationSeed.js';
import type { VariationType } from '../../src/domain/variations.js';
import { CharacterDocument, CompareToCharacterDocument, CreateCharacterDocument, EmbeddingProgressDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { bundledTemplatePath } from '../../src/generators/template.js';
import { HumanFaceEncoder } from '../../src/identity/faceEncoder.js';
import { collect, GraphQLTestClient } from '../support/graphqlClient.js';
import { recordingLogger } from '../support/logs.js';
import { scrape } from '../support/prometheus.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

const THRESHOLD = 0.68;
const DRIFTING: VariationType[] = ['portrait_front', 'outfit_variation'];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** A GPU backend's simulator and the service settings that use it with an identity template. */
interface SimulatedBackend {
  env: Record<string, string>;
  requests(): readonly SimulatedRequest[];
  /** Requests the backend accepted. */
  accepted(): number;
  close(): Promise<void>;
}

const BACKENDS: Record<'runpod' | 'comfyui', (drift: DriftChoice) => Promise<SimulatedBackend>> = {
  runpod: async (drift) => {
    const sim = await startRunPodSimulator({ workers: 4, latencyMs: 5, drift });
    return {
      env: {
        IMAGE_GENERATOR: 'runpod',
        RUNPOD_API_KEY: sim.apiKey,
        RUNPOD_ENDPOINT_ID: sim.endpointId,
        RUNPOD_BASE_URL: sim.baseUrl,
        RUNPOD_REST_URL: sim.restUrl,
        RUNPOD_INPUT_TEMPLATE: bundledTemplatePath('runpod/worker-comfyui-sdxl.json'),
        RUNPOD_IDENTITY_TEMPLATE: bundledTemplatePath('runpod/worker-comfyui-sdxl-ipadapter-faceid.json'),
      },
      requests: () => sim.requests(),
      accepted: () => sim.stats.submissions,
      close: () => sim.close(),
    };
  },
  comfyui: async (drift) => {
    const sim = await startComfyUiSimulator({ latencyMs: 5, drift });
    return {
      env: {
        IMAGE_GENERATOR: 'comfyui',
        COMFYUI_URL: sim.url,
        COMFYUI_WORKFLOW: bundledTemplatePath('comfyui/sdxl-txt2img.json'),
        COMFYUI_IDENTITY_WORKFLOW: bundledTemplatePath('comfyui/sdxl-pulid.json'),
      },
      requests: () => sim.requests(),
      accepted: () => sim.stats.prompts,
      close: () => sim.close(),
    };
  },
};

describe.each([
  { backend: 'runpod' as const, template: 'IPAdapter FaceID' },
  { backend: 'comfyui' as const, template: 'PuLID' },
])('identity scores and self-correction ($backend simulator, $template template)', ({ backend }) => {
  let sim: SimulatedBackend;
  let service: TestService;
  let client: GraphQLTestClient;
  let characterId: string;
  const firstRequestOf = new Set<string>();

  beforeAll(async () => {
    // The first request of each chosen slot draws a stranger; its regenerations draw the character.
    sim = await BACKENDS[backend](({ variation }) => DRIFTING.includes(variation as VariationType) && !firstRequestOf.has(variation) && Boolean(firstRequestOf.add(variation)));
    service = await startTestService({
      ...sim.env,
      IDENTITY: 'on',
      IDENTITY_MIN_SIMILARITY: String(THRESHOLD),
      IMAGE_WIDTH: '512',
      IMAGE_HEIGHT: '512',
    });
    client = new GraphQLTestClient(service.url);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Mira Vale', description: 'a travelling musician', seed: 4242 } });
    characterId = createCharacter.id;
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await service?.destroy();
    await sim?.close();
  });

  it('conditions every variation on the avatar, catches the drifted slots, regenerates them and ends consistent', async () => {
    const events = await collect(client.subscribe(EmbeddingProgressDocument, { characterId }));
    const status = (await client.request(EmbeddingStatusDocument, { characterId })).embeddingStatus;
    expect(status.status).toBe('completed');

    // Every variation request carried the stored avatar (the simulator records what each job held).
    const avatar = await download((await client.request(CharacterDocument, { id: characterId })).character.avatarUrl);
    const variationRequests = sim.requests().filter((request) => request.variation !== 'avatar' && request.prompt.includes('Mira Vale'));
    expect(variationRequests.length).toBeGreaterThanOrEqual(12);
    for (const request of variationRequests) expect(request.references.map((reference) => reference.sha256)).toEqual([sha256(avatar)]);

    // The drifted slots were caught and replaced; the drifted image is recorded as rejected, below the threshold.
    for (const type of DRIFTING) {
      const slot = status.images.find((image) => image.type === type)!;
      expect(slot.identity).toMatchObject({ judged: true, faceFound: true, consistent: true });
      expect(slot.identity!.regenerations).toBeGreaterThanOrEqual(1);
      expect(slot.identity!.similarity!).toBeGreaterThanOrEqual(THRESHOLD);
      // (A regeneration may be rejected too: one whose face was not found, or that scored lower.)
      const driftedSeed = variationRequests.find((request) => request.variation === type && request.drifted)!.seed;
      const drifted = slot.identity!.rejected.find((rejected) => rejected.seed === driftedSeed)!;
      expect(drifted.similarity!).toBeLessThan(THRESHOLD);
      // The regeneration's seed follows from the drifted image's, so the same base seed recovers the same way.
      const slotRequests = variationRequests.filter((request) => request.variation === type);
      expect(slotRequests[1]!.seed).toBe(regenerationSeed(driftedSeed, 1));
      expect(slot.identity!.rejected).toHaveLength(slot.identity!.regenerations);
      expect(slot.generation).toBeGreaterThanOrEqual(2);
      // A regeneration is one more request the backend received, counted as the slot's attempt.
      expect(slot.attempts).toBe(1);
    }
    const regenerated = status.images.filter((image) => (image.identity?.regenerations ?? 0) > 0).map((image) => image.type);
    expect(regenerated.sort()).toEqual([...DRIFTING].sort());
    expect(sim.accepted()).toBe(1 + 10 + status.images.reduce((sum, image) => sum + (image.identity?.regenerations ?? 0), 0));

    // The set's consistency: nothing judged below the threshold is left.
    const consistency = status.consistency!;
    expect(consistency.outliers).toEqual([]);
    expect(consistency.judged).toBeGreaterThanOrEqual(5);
    expect(consistency.min!).toBeGreaterThanOrEqual(THRESHOLD);
    expect(consistency.threshold).toBe(THRESHOLD);
    const judged = status.images.filter((image) => image.identity?.judged);
    expect(judged).toHaveLength(consistency.judged);
    for (const image of status.images.filter((image) => image.identity && !image.identity.judged)) expect(image.identity!.reason).toBeTruthy();

    // Every completed variation event carried a score, the replacements say so, and 'done' carries the summary.
    const progress = events.map((event) => event.data!.embeddingProgress);
    const completedEvents = progress.filter((event) => event.kind === 'variation' && event.status === 'completed');
    expect(completedEvents.length).toBe(10 + regenerated.length);
    for (const event of completedEvents) expect(event.identity).not.toBeNull();
    expect(completedEvents.filter((event) => event.replaced).map((event) => event.variation).sort()).toEqual([...DRIFTING].sort());
    expect(progress.at(-1)).toMatchObject({ kind: 'done', status: 'completed', consistency: { outliers: [], judged: consistency.judged } });

    // metadata.json carries the same scores, and only the kept images are stored.
    const metadata = JSON.parse((await download(status.metadataUrl!)).toString()) as { images: { variation: string; key: string; identity: { similarity?: number; regenerations: number } | null }[]; identity: { model: string; consistency: { min: number } } };
    expect(metadata.identity.model).toMatch(/^faceres/);
    expect(metadata.identity.consistency.min).toBeCloseTo(consistency.min!, 6);
    for (const image of metadata.images) expect(image.identity?.regenerations).toBe(status.images.find((slot) => slot.type === image.variation)!.identity?.regenerations);

    // /metrics saw each kept, judged image's score once.
    const exposition = await scrape(service.url);
    expect(exposition.count('charsheet_identity_similarity')).toBe(consistency.judged);
  }, 120_000);

  it('compareToCharacter: same for a new image of the character, different for another, BAD_USER_INPUT for a faceless image and for garbage', async () => {
    const status = (await client.request(EmbeddingStatusDocument, { characterId })).embeddingStatus;
    const prompt = status.images.find((image) => image.type === 'portrait_front')!.prompt;
    const drawer = new CharacterImages();
    const compare = async (image: Uint8Array | string) =>
      client.execute(CompareToCharacterDocument, { characterId, imageBase64: typeof image === 'string' ? image : Buffer.from(image).toString('base64') });

    const same = await compare(await drawer.draw({ prompt, seed: 777, width: 512, height: 512, drift: false }));
    expect(same.data?.compareToCharacter).toMatchObject({ faceFound: true, sameCharacter: true });
    const other = await compare(await drawer.draw({ prompt, seed: 778, width: 512, height: 512, drift: true }));
    expect(other.data?.compareToCharacter).toMatchObject({ faceFound: true, sameCharacter: false });
    expect(other.data!.compareToCharacter.similarity!).toBeLessThan(same.data!.compareToCharacter.similarity!);

    const blank = new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><rect width="256" height="256" fill="#ddd"/></svg>').render().asPng();
    const faceless = await compare(blank);
    expect(faceless.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'imageBase64' });
    expect(faceless.errors?.[0]?.message).toBe('the image shows no face to compare (no face found)');

    for (const garbage of ['%%% not base64 %%%', Buffer.from('<html>an error page</html>').toString('base64')]) {
      const refused = await compare(garbage);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'imageBase64' });
      expect(refused.errors?.[0]?.message).toMatch(/base64|not a PNG, JPEG or WebP/);
    }
    const elsewhere = await client.execute(CompareToCharacterDocument, { characterId: '65f0c0ffee00000000000099', imageBase64: Buffer.from(blank).toString('base64') });
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  }, 60_000);
});

describe('an encoder that cannot run', () => {
  it('still completes the set, with every score "not judged" and the cause, logged once', async () => {
    const { logger, entries: lines } = recordingLogger('warn');
    const service = await startTestService({ IDENTITY: 'on' }, { logger, identityEncoder: new HumanFaceEncoder({ modelsDir: '/nonexistent/models' }) });
    const client = new GraphQLTestClient(service.url);
    try {
      const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Otto Brandt' } });
      await waitFor(async () => (await client.request(EmbeddingStatusDocument, { characterId: createCharacter.id })).embeddingStatus.status === 'completed', 'set completed');
      const status = (await client.request(EmbeddingStatusDocument, { characterId: createCharacter.id })).embeddingStatus;
      expect(status.images.every((image) => image.status === 'completed')).toBe(true);
      for (const image of status.images) expect(image.identity).toMatchObject({ judged: false, faceFound: false, reason: expect.stringMatching(/^identity encoder unavailable: .*model/) });
      expect(status.consistency).toMatchObject({ judged: 0, median: null, outliers: [], reason: expect.stringMatching(/^identity encoder unavailable/) });
      expect(lines.filter((line) => /identity encoder cannot run/.test(line.msg))).toHaveLength(1);

      const compared = await client.execute(CompareToCharacterDocument, { characterId: createCharacter.id, imageBase64: Buffer.from(new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"/>').render().asPng()).toString('base64') });
      expect(compared.errors?.[0]?.extensions?.code).toBe('IDENTITY_UNAVAILABLE');
    } finally {
      await client.close();
      await service.destroy();
    }
  }, 60_000);
});
