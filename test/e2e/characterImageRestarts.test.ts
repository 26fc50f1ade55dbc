// generateCharacterImage on a RunPod endpoint (the simulator records what each job carried): the request is
// conditioned on the character's stored avatar, and a kill -9 while the image is at the backend leaves it
// pending only until the next process's resumer takes it over once the dead process's lease has expired.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunPodSimulator, startRunPodSimulator } from '../../bench/simulator/runpod.js';
import { CharacterDocument, CreateCharacterDocument, GenerateCharacterImageDocument } from '../../src/generated/graphql/graphql.js';
import { bundledTemplatePath } from '../../src/generators/template.js';
import { type ChildService, startChildService } from '../support/childService.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { runpodChildEnv } from '../support/runpodChild.js';
import { waitFor } from '../support/waitFor.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('generateCharacterImage on RunPod, through a crash', () => {
  let dataDir: string | undefined;
  let running: ChildService | undefined;
  let runpod: RunPodSimulator | undefined;
  afterAll(async () => {
    await running?.stop();
    await runpod?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('sends the avatar as the reference, and completes after a kill -9 mid-request', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-image-restarts-'));
    runpod = await startRunPodSimulator({ workers: 4, latencyMs: 400, images: 'solid' });
    const env = runpodChildEnv(runpod, dataDir, 4, { RUNPOD_IDENTITY_TEMPLATE: bundledTemplatePath('runpod/plain-sdxl-reference.json') });
    running = await startChildService(env);
    let client = new GraphQLTestClient(running.url);
    const { createCharacter: character } = await client.request(CreateCharacterDocument, { input: { name: 'Crash Test', description: 'a sailor', seed: 11 } });
    const avatar = Buffer.from(await (await fetch(character.avatarUrl)).arrayBuffer());
    const { generateCharacterImage: asked } = await client.request(GenerateCharacterImageDocument, { characterId: character.id, prompt: 'waving on a beach at night', seed: 5 });
    const received = () => runpod!.requests().filter((request) => request.prompt.includes('waving on a beach at night'));

    await waitFor(async () => received().length > 0, 'the image request reached RunPod');
    await client.close();
    await running.kill();
    running = await startChildService(env);
    client = new GraphQLTestClient(running.url);
    const image = async () => (await client.request(CharacterDocument, { id: character.id })).character!.generatedImages[0]!;
    await waitFor(async () => (await image()).status === 'completed', 'the image completed after the restart', 30_000);

    const final = await image();
    expect(final).toMatchObject({ id: asked.id, seed: 5, failures: 0, error: null });
    expect(final.attempts).toBeGreaterThanOrEqual(1);
    expect(final.attempts).toBeLessThanOrEqual(received().length);
    for (const request of received()) {
      expect(request.seed).toBe(5);
      expect(request.prompt).toMatch(/^Crash Test, a sailor, in digital illustration style, waving on a beach at night/);
      expect(request.references.map((reference) => reference.sha256)).toEqual([sha256(avatar)]);
    }
    const stored = await fetch(final.url!);
    expect(stored.headers.get('content-type')).toBe('image/png');
    await client.close();
  });
});
