// A deploy stops the service gracefully; a crash or an OOM kill stops it with kill -9. Neither may cost an
// image: after three of each in the middle of one set, on a RunPod endpoint that counts what it received,
// the set completes with all 10 images, no slot was charged an attempt the backend never saw, nothing is
// stored twice, and no temporary file is left anywhere under DATA_DIR.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunPodSimulator, startRunPodSimulator } from '../../bench/simulator/runpod.js';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { CreateCharacterDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { type ChildService, startChildService } from '../support/childService.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { filesUnder } from '../support/files.js';
import { runpodChildEnv } from '../support/runpodChild.js';
import { waitFor } from '../support/waitFor.js';

describe('stops and crashes in the middle of a set', () => {
  let dataDir: string | undefined;
  let running: ChildService | undefined;
  let runpod: RunPodSimulator | undefined;
  afterAll(async () => {
    await running?.stop();
    await runpod?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('completes after three graceful stops and three kill -9s, charging only attempts the backend received', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-restarts-'));
    runpod = await startRunPodSimulator({ workers: 2, latencyMs: 250, images: 'solid' });
    const env = runpodChildEnv(runpod, dataDir, 2);
    running = await startChildService(env);
    let client = new GraphQLTestClient(running.url);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Restart Test', seed: 5_000 } });
    const status = async () => (await client.request(EmbeddingStatusDocument, { characterId: createCharacter.id })).embeddingStatus;
    const variationRequests = () => runpod!.requests().filter((request) => request.variation !== 'avatar').length;

    for (const how of ['stop', 'stop', 'stop', 'kill', 'kill', 'kill'] as const) {
      // Interrupt while requests are at the backend: one more has arrived since this process started.
      const before = variationRequests();
      await waitFor(async () => variationRequests() > before, 'a request reached the backend');
      if ((await status()).status === 'completed') break;
      await client.close();
      await (how === 'stop' ? running.stop() : running.kill());
      running = await startChildService(env);
      client = new GraphQLTestClient(running.url);
    }
    await waitFor(async () => (await status()).status === 'completed', 'set completed', 60_000);

    const final = await status();
    expect(final).toMatchObject({ completed: 10, failed: 0 });
    for (const image of final.images) {
      const received = runpod.requests().filter((request) => request.variation === image.type).length;
      expect(image.failures, `${image.type} was charged a failure`).toBe(0);
      expect(image.attempts, `${image.type}: attempts beyond what the backend received`).toBeLessThanOrEqual(received);
      expect(image.attempts).toBeGreaterThanOrEqual(1);
    }
    // Each image stored once under its key, metadata beside them, and no temporary file anywhere.
    const folder = path.join(dataDir, 'objects', 'characters', 'dev', createCharacter.slug, 'embeddings');
    expect((await readdir(folder)).sort()).toEqual([...VARIATION_TYPES.map((type) => `${type}.png`), 'metadata.json'].sort());
    expect((await filesUnder(dataDir)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    await client.close();
  });
});
