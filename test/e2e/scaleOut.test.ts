// Scale-out: an API process and a worker process that share only MongoDB, Redis and the image folder.
// The API queues the set on BullMQ, the worker generates it, and its progress reaches the API's subscriber
// over Redis pub/sub.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import type { ExecutionResult } from 'graphql';
import { CreateCharacterDocument, EmbeddingProgressDocument, type EmbeddingProgressSubscription, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { REFERENCE_SET_QUEUE } from '../../src/queue/bullmq.js';
import { type ChildService, startChildService } from '../support/childService.js';
import { collect, GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestDatabase, type TestDatabase } from '../support/mongo.js';
import { redisReachable } from '../support/redis.js';
import { ScriptedGenerator } from '../support/generators.js';
import { startTestService, type TestService } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

// A database number of its own keeps this run's BullMQ keys apart from anything else on the local Redis.
const redisUrl = process.env.TEST_REDIS_URL ?? `redis://127.0.0.1:6379/${1 + Math.floor(Math.random() * 15)}`;

// Under CI the Redis of the machine must be there; elsewhere a missing Redis skips with the reason.
const available = process.env.CI ? true : await redisReachable(redisUrl);

describe.skipIf(!available)(`API and worker processes apart (Redis at ${redisUrl})`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let api: ChildService | undefined;
  let worker: TestService | undefined;

  afterAll(async () => {
    await api?.stop();
    await worker?.close();
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`bull:${REFERENCE_SET_QUEUE}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('generates the set in the worker and streams it through the API', async () => {
    database = await startTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-scale-'));
    const shared = { REDIS_URL: redisUrl, MONGODB_URI: database.dbUri, DATA_DIR: dataDir };
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
});
