// Database faults in the middle of a reference set, injected into the embedded store with MongoDB's
// failCommand fail point (configureFailPoint on the admin database, as on a mongod with test commands): the
// character's update fails, or its connection drops, while the set is half done. What the user must see
// afterwards is the same: the set completes with its 10 images, in the API and on disk.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { OfflineRenderer } from '../../src/generators/offline/index.js';
import { CreateCharacterDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import type { GeneratedImage, ImageGenerator, ImageRequest } from '../../src/ports.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

/** Renders the first `before` variations, then holds the rest until `open()`. */
class HalfwayGenerator implements ImageGenerator {
  readonly name = 'halfway-offline';
  private readonly renderer = new OfflineRenderer();
  private started = 0;
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));

  constructor(private readonly before: number) {}

  open(): void {
    this.release();
  }

  async generate(request: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage> {
    if (request.variation !== 'avatar' && ++this.started > this.before) await this.gate;
    return this.renderer.generate(request, signal);
  }
}

describe.skipIf(Boolean(process.env.TEST_MONGODB_URI))('database faults in the middle of a reference set (embedded store)', () => {
  let service: TestService | undefined;
  let client: GraphQLTestClient | undefined;
  let admin: MongoClient | undefined;
  afterEach(async () => {
    await admin?.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' }).catch(() => undefined);
    await admin?.close();
    await client?.close();
    await service?.destroy();
  });

  async function setWithFault(failCommand: Document): Promise<{ timesFailed: number }> {
    const generator = new HalfwayGenerator(3);
    // A short lease: a set whose worker gave up on a failed write is taken up again once its lease runs out.
    service = await startTestService({ GENERATOR_MAX_CONCURRENCY: '1', SET_LEASE_MS: '1000' }, { generator });
    client = new GraphQLTestClient(service.url);
    // The service's own connection to its store: the unix socket beside the journals (src/db/connect.ts).
    admin = await MongoClient.connect(`mongodb://${encodeURIComponent(path.join(service.config.embeddedDbDir, 'mongodb.sock'))}`);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Faulty Fran', seed: 11 } });
    const status = async () => (await client!.request(EmbeddingStatusDocument, { characterId: createCharacter.id })).embeddingStatus;
    await waitFor(async () => (await status()).totalImages === 3, 'three images recorded');
    await admin.db('admin').command({ configureFailPoint: 'failCommand', mode: { times: 2 }, data: { failCommands: ['findAndModify', 'update'], namespace: 'charsheet.characters', ...failCommand } });
    generator.open();
    await waitFor(async () => ['completed', 'failed'].includes((await status()).status), 'set finished', 60_000);
    const final = await status();
    expect(final.status).toBe('completed');
    expect(final.totalImages).toBe(10);
    expect(final.images.every((image) => image.status === 'completed')).toBe(true);
    const folder = path.join(service.dataDir, 'objects', 'characters', 'dev', createCharacter.slug, 'embeddings');
    expect((await readdir(folder)).filter((name) => name.endsWith('.png')).sort()).toEqual(VARIATION_TYPES.map((type) => `${type}.png`).sort());
    const { count } = await admin.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
    return { timesFailed: Number(count) };
  }

  it('completes with 10 images when the character’s update fails twice mid-set', async () => {
    const { timesFailed } = await setWithFault({ errorCode: 112 });
    expect(timesFailed).toBe(2);
  });

  it('completes with 10 images when the connection drops on the character’s update mid-set', async () => {
    const { timesFailed } = await setWithFault({ closeConnection: true });
    expect(timesFailed).toBe(2);
  });
});
