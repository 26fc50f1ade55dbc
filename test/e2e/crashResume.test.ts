// kill -9 in the middle of a reference set, then a restart on the same data: the set completes, images
// already recorded are not generated again, and storage holds each variation exactly once.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { CreateCharacterDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { type ChildService, startChildService } from '../support/childService.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { testMongoUri } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

describe('crash in the middle of a set', () => {
  let dataDir: string;
  let running: ChildService | undefined;
  afterAll(async () => {
    await running?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes after kill -9 and finishes every variation exactly once', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-crash-'));
    const mongoUri = testMongoUri();
    // One image at a time, 300 ms apart: slow enough to kill the process with the set half done.
    const env = { DATA_DIR: dataDir, GENERATOR_MAX_CONCURRENCY: '1', GENERATOR_MIN_SPACING_MS: '300', SET_LEASE_MS: '2000', ...(mongoUri ? { MONGODB_URI: mongoUri } : {}) };

    running = await startChildService(env);
    let client = new GraphQLTestClient(running.url);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Crash Test', seed: 7 } });
    const id = createCharacter.id;
    const status = async () => (await client.request(EmbeddingStatusDocument, { characterId: id })).embeddingStatus;
    await waitFor(async () => (await status()).totalImages >= 3, 'three images stored');
    await running.kill();

    running = await startChildService(env);
    client = new GraphQLTestClient(running.url);
    const beforeResume = await status();
    const doneBeforeCrash = beforeResume.images.filter((image) => image.status === 'completed');
    expect(doneBeforeCrash.length).toBeGreaterThanOrEqual(3);
    expect(doneBeforeCrash.length).toBeLessThan(10);

    await waitFor(async () => (await status()).status === 'completed', 'set completed after restart', 60_000);
    const after = await status();
    expect(after.totalImages).toBe(10);
    expect(after.images.every((image) => image.status === 'completed')).toBe(true);
    for (const image of doneBeforeCrash) {
      const again = after.images.find((candidate) => candidate.type === image.type)!;
      expect(again.completedAt, `${image.type} was generated again`).toBe(image.completedAt);
      expect(again.attempts).toBe(image.attempts);
    }

    const folder = path.join(dataDir, 'objects', 'characters', 'dev', createCharacter.slug, 'embeddings');
    expect((await readdir(folder)).sort()).toEqual([...VARIATION_TYPES.map((type) => `${type}.png`), 'metadata.json'].sort());
    await client.close();
  });
});
