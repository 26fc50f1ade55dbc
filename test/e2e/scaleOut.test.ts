// Scale-out: an API process and a worker process that share only MongoDB, Redis and the image folder.
// The API queues the set on BullMQ, the worker generates it, and its progress reaches the API's subscriber
// over Redis pub/sub.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import type { ExecutionResult } from 'graphql';
import { CreateCharacterDocument, EmbeddingProgressDocument, type EmbeddingProgressSubscription, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { type ChildService, logLines, startChildService } from '../support/childService.js';
import { collect, GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestDatabase, type TestDatabase } from '../support/mongo.js';
import { redisReachable } from '../support/redis.js';
import { ScriptedGenerator } from '../support/generators.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

// A database number and a QUEUE_PREFIX of its own keep this run's keys and channels apart from anything else
// on the local Redis (pub/sub ignores database numbers; the prefix is what separates channels).
const redisUrl = process.env.TEST_REDIS_URL ?? `redis://127.0.0.1:6379/${1 + Math.floor(Math.random() * 15)}`;
const prefix = `charsheet-test-${process.pid}-${Date.now().toString(36)}`;

// Under CI the Redis of the machine must be there; elsewhere a missing Redis skips with the reason.
const available = process.env.CI ? true : await redisReachable(redisUrl);

describe.skipIf(!available)(`API and worker processes apart (Redis at ${redisUrl})`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let api: ChildService | undefined;
  let worker: TestService | undefined;
  const others: ChildService[] = [];
  const folders: string[] = [];
  const databases: TestDatabase[] = [];

  afterAll(async () => {
    await api?.stop();
    await worker?.close();
    await Promise.all(others.map((child) => child.stop()));
    await database?.close();
    for (const db of databases) await db.close();
    for (const folder of [dataDir, ...folders]) if (folder) await rm(folder, { recursive: true, force: true });
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('generates the set in the worker and streams it through the API', async () => {
    database = await startTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-scale-'));
    const shared = { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, MONGODB_URI: database.dbUri, DATA_DIR: dataDir };
    api = await startChildService({ ...shared, ROLE: 'api' });
    // The worker lets one image through, and the rest only once the API's subscriber has received that one's
    // event: the subscription is in place then (no guessing with a sleep), and the other ten must cross Redis.
    const generator = new ScriptedGenerator();
    generator.hold();
    worker = await startTestService({ ...shared, ROLE: 'worker', PUBLIC_URL: api.url }, { generator });

    const client = new GraphQLTestClient(api.url);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Split Brain', seed: 99 } });
    const subscription = client.subscribe(EmbeddingProgressDocument, { characterId: createCharacter.id });
    const first = subscription.next();
    await waitFor(async () => generator.held.length > 0, 'worker sent a request');
    generator.letThrough(1);
    const firstEvent = await first;
    generator.release();
    const events = [firstEvent.value as ExecutionResult<EmbeddingProgressSubscription>, ...(await collect(subscription))].map((event) => event.data?.embeddingProgress);
    expect(events).toHaveLength(11);
    expect(new Set(events.slice(0, 10).map((event) => event?.variation))).toEqual(new Set(VARIATION_TYPES));
    expect(events[10]).toMatchObject({ kind: 'done', status: 'completed', completed: 10, total: 10 });

    const { embeddingStatus } = await client.request(EmbeddingStatusDocument, { characterId: createCharacter.id });
    expect(embeddingStatus.status).toBe('completed');
    expect(embeddingStatus.images.map((image) => image.type)).toEqual([...VARIATION_TYPES]);
    for (const url of embeddingStatus.cloudinaryUrls) {
      expect(url.startsWith(api.url)).toBe(true);
      expect((await fetch(url)).status).toBe(200);
    }
    await client.close();
  });

  it('after kill -9 of one of two workers, the other resumes its sets within two leases, every image exactly once', async () => {
    const leaseMs = 2_000;
    const db = await startTestDatabase();
    databases.push(db);
    const folder = await mkdtemp(path.join(tmpdir(), 'charsheet-takeover-'));
    folders.push(folder);
    // One image at a time per process, 250 ms apart: a set takes a few seconds, long enough to kill mid-set.
    const env = { REDIS_URL: redisUrl, QUEUE_PREFIX: `${prefix}-takeover`, MONGODB_URI: db.dbUri, DATA_DIR: folder, SET_LEASE_MS: String(leaseMs), WORKER_CONCURRENCY: '2', GENERATOR_MAX_CONCURRENCY: '1', GENERATOR_MIN_SPACING_MS: '250' };
    const [first, second] = [await startChildService(env), await startChildService(env)] as [ChildService, ChildService];
    others.push(first, second);
    const client = new GraphQLTestClient(first.url);
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) ids.push((await client.request(CreateCharacterDocument, { input: { name: `Takeover ${n}`, seed: 500 + n } })).createCharacter.id);
    const status = async (id: string) => (await client.request(EmbeddingStatusDocument, { characterId: id })).embeddingStatus;
    const startedBy = (child: ChildService) => new Set(logLines(child.stdout).filter((line) => line.msg === 'reference set started').map((line) => String(line.characterId)));

    // The victim: a worker with a set under way that already has an image.
    let victim: ChildService | undefined;
    await waitFor(async () => {
      for (const child of [second, first]) {
        for (const id of startedBy(child)) if ((await status(id)).totalImages >= 1 && (await status(id)).status === 'generating') victim = child;
      }
      return victim !== undefined;
    }, 'a worker has a set half done');
    const survivor = victim === first ? second : first;
    const orphaned = [...startedBy(victim!)].filter((id) => !startedBy(survivor).has(id));
    const before = new Map(await Promise.all(orphaned.map(async (id) => [id, await status(id)] as const)));
    const orphanedUnfinished = orphaned.filter((id) => before.get(id)!.status !== 'completed');
    expect(orphanedUnfinished.length).toBeGreaterThan(0);
    await victim!.kill();
    const killedAt = Date.now();

    const survivorClient = new GraphQLTestClient(survivor.url);
    const resumedAt = new Map<string, number>();
    await waitFor(async () => {
      for (const id of orphanedUnfinished) if (!resumedAt.has(id) && startedBy(survivor).has(id)) resumedAt.set(id, Date.now());
      return resumedAt.size === orphanedUnfinished.length;
    }, 'the survivor took over every orphaned set', 20_000);
    for (const [id, at] of resumedAt) expect(at - killedAt, `set ${id} resumed ${at - killedAt} ms after the kill`).toBeLessThanOrEqual(2 * leaseMs);

    const finalStatus = async (id: string) => (await survivorClient.request(EmbeddingStatusDocument, { characterId: id })).embeddingStatus;
    await waitFor(async () => (await Promise.all(ids.map(finalStatus))).every((set) => set.status === 'completed'), 'every set completed', 60_000);
    for (const id of ids) {
      const after = await finalStatus(id);
      expect(after.totalImages).toBe(10);
      // Images stored before the kill were not generated again.
      for (const image of before.get(id)?.images.filter((candidate) => candidate.status === 'completed') ?? []) {
        expect(after.images.find((candidate) => candidate.type === image.type)?.completedAt, `${image.type} of ${id} was generated again`).toBe(image.completedAt);
      }
    }
    // On disk: each set holds each variation exactly once, plus its metadata.json.
    const sets = await readdir(path.join(folder, 'objects', 'characters', 'dev'));
    expect(sets).toHaveLength(4);
    for (const slug of sets) expect((await readdir(path.join(folder, 'objects', 'characters', 'dev', slug, 'embeddings'))).sort()).toEqual([...VARIATION_TYPES.map((type) => `${type}.png`), 'metadata.json'].sort());
    if (victim !== first) await client.close();
    await survivorClient.close();
  }, 90_000);
});
