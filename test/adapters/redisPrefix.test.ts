// Two deployments on one Redis, told apart by QUEUE_PREFIX only (same database number, same queue name):
// each sees its own progress events and takes its own jobs, never the other's.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { ProgressEvent } from '../../src/ports.js';
import { Queue } from 'bullmq';
import { BullMqQueue, REFERENCE_SET_QUEUE } from '../../src/queue/bullmq.js';
import { RedisProgressBus } from '../../src/progress/redis.js';
import { loadConfig } from '../../src/config.js';
import { redisReachable } from '../support/redis.js';
import { waitFor } from '../support/waitFor.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const available = process.env.CI ? true : await redisReachable(redisUrl);
const logger = createLogger(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
const run = `${process.pid}-${Date.now().toString(36)}`;
const [blue, green] = [`charsheet-blue-${run}`, `charsheet-green-${run}`];

function event(characterId: string): ProgressEvent {
  return { characterId, sequence: 1, kind: 'variation', status: 'completed', completed: 1, failed: 0, total: 10 };
}

describe.skipIf(!available)('QUEUE_PREFIX on a shared Redis', () => {
  const closing: { close(): Promise<void> }[] = [];

  afterAll(async () => {
    for (const thing of closing.reverse()) await thing.close();
    const redis = new Redis(redisUrl);
    for (const prefix of [blue, green]) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
  });

  it('delivers progress only to processes of the same deployment', async () => {
    const [blueApi, blueWorker, greenApi] = [await RedisProgressBus.connect(redisUrl, blue, logger), await RedisProgressBus.connect(redisUrl, blue, logger), await RedisProgressBus.connect(redisUrl, green, logger)];
    closing.push(blueApi, blueWorker, greenApi);
    const blueSeen = blueApi.subscribe('same-id');
    const greenSeen = greenApi.subscribe('same-id');
    await blueWorker.publish(event('same-id'));
    // Green's own event is published after blue's: had blue's reached green, it would be green's first.
    const greenOwn = await RedisProgressBus.connect(redisUrl, green, logger);
    closing.push(greenOwn);
    await greenOwn.publish({ ...event('same-id'), sequence: 7 });

    expect((await blueSeen.next()).value).toMatchObject({ characterId: 'same-id', sequence: 1 });
    expect((await greenSeen.next()).value).toMatchObject({ characterId: 'same-id', sequence: 7 });
    await blueSeen.return?.();
    await greenSeen.return?.();
  });

  it('hands jobs only to workers of the same deployment', async () => {
    const options = { redisUrl, concurrency: 1, leaseMs: 2_000, logger };
    const blueQueue = new BullMqQueue({ ...options, prefix: blue });
    const greenQueue = new BullMqQueue({ ...options, prefix: green });
    closing.push(blueQueue, greenQueue);
    const greenTook: string[] = [];
    greenQueue.start(async (characterId) => void greenTook.push(characterId));
    await blueQueue.enqueue({ characterId: 'blue-set', owner: 'a', rank: 0 });
    await greenQueue.enqueue({ characterId: 'green-set', owner: 'a', rank: 0 });
    await waitFor(() => greenTook.includes('green-set'), 'green took its own job');
    expect(greenTook).toEqual(['green-set']);
    // Blue's job still waits for a blue worker.
    const redis = new Redis(redisUrl);
    const raw = new Queue(REFERENCE_SET_QUEUE, { connection: redis, prefix: blue });
    expect(await raw.getJobCounts('prioritized', 'waiting')).toMatchObject({ prioritized: 1 });
    await raw.close();
    redis.disconnect();
  });
});
