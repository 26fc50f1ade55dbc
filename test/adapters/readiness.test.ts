// Each adapter's readiness probe against the real thing or its documented fake: cheap, bounded, and saying
// what failed without the server's folders.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloudinary } from '../../bench/simulator/cloudinary.js';
import { startComfyUiSimulator } from '../../bench/simulator/comfyui.js';
import { startRunPodSimulator } from '../../bench/simulator/runpod.js';
import { loadConfig } from '../../src/config.js';
import { createComfyUiGenerator } from '../../src/generators/comfyui/index.js';
import { PacedGenerator } from '../../src/generators/paced.js';
import { RunPodGenerator } from '../../src/generators/runpod/index.js';
import { solidPng } from '../../bench/simulator/png.js';
import { readiness } from '../../src/http/readiness.js';
import { BullMqQueue } from '../../src/queue/bullmq.js';
import { CloudinaryObjectStore } from '../../src/storage/cloudinary.js';
import { LocalObjectStore } from '../../src/storage/local.js';
import { redisReachable } from '../support/redis.js';
import { backendFailure } from './support.js';

const silent = pino({ level: 'silent' });

describe('local store readiness', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'charsheet-ready-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('is ready on a folder it can write, creating it when missing', async () => {
    await expect((await LocalObjectStore.open(path.join(root, 'objects'), path.join(root, 'tmp'), () => '')).ready()).resolves.toBeUndefined();
  });

  it('is not ready where the folder cannot be made, and does not say where that is', async () => {
    await writeFile(path.join(root, 'a-file'), '');
    const error = await backendFailure((await LocalObjectStore.open(path.join(root, 'a-file', 'objects'), path.join(root, 'tmp'), () => '')).ready(), 'local');
    expect(error.message).toBe('local: checking the objects folder (DATA_DIR/objects) failed (ENOTDIR)');
    expect(error.message).not.toContain(root);
  });
});

describe('Cloudinary store readiness', () => {
  it('follows the last upload: not ready after a failure, ready again after a success, without extra calls', async () => {
    const fake = await startFakeCloudinary();
    try {
      const store = new CloudinaryObjectStore({ cloudName: fake.cloudName, apiKey: fake.apiKey, apiSecret: fake.apiSecret, uploadPrefix: fake.uploadPrefix, secureDistribution: fake.deliveryHost, agent: fake.agent });
      const key = 'characters/dev/mira/avatar/avatar.png';
      await expect(store.ready()).resolves.toBeUndefined();
      fake.failNextUploads(503);
      await backendFailure(store.put(key, solidPng(8, 8, 1), 'image/png'), 'cloudinary');
      await expect(store.ready()).rejects.toThrow(/cloudinary: uploading .* failed \(HTTP 503\)/);
      await store.put(key, solidPng(8, 8, 2), 'image/png');
      await expect(store.ready()).resolves.toBeUndefined();
      expect(fake.stats.uploads).toBe(1);
    } finally {
      await fake.close();
    }
  });
});

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/14';

describe.skipIf(!(process.env.CI || (await redisReachable(redisUrl))))('BullMQ queue readiness', () => {
  it('is ready while Redis answers, and reported not ready within the probe deadline when it does not', async () => {
    const options = { concurrency: 1, leaseMs: 2_000, logger: silent, prefix: `charsheet-ready-${process.pid}` };
    const up = new BullMqQueue({ ...options, redisUrl });
    const down = new BullMqQueue({ ...options, redisUrl: 'redis://127.0.0.1:1' });
    try {
      expect(await readiness([{ name: 'queue', probe: () => up.ready() }], 2_000)).toEqual({ ready: true, checks: { queue: { ok: true } } });
      expect(await readiness([{ name: 'queue', probe: () => down.ready() }], 300)).toEqual({ ready: false, checks: { queue: { ok: false, error: expect.any(String) } } });
    } finally {
      await up.close();
      await down.close().catch(() => undefined);
    }
  });
});

describe('generator readiness, through the pacer every service generator is wrapped in', () => {
  it('is the RunPod endpoint answering /health with this key, and not ready with a wrong key', async () => {
    const sim = await startRunPodSimulator({ workers: 1, latencyMs: 10, images: 'solid' });
    try {
      const generator = (apiKey: string) =>
        new PacedGenerator(new RunPodGenerator({ baseUrl: sim.baseUrl, endpointId: sim.endpointId, apiKey, inputTemplate: {}, mode: 'run', maxPollMs: 50, jobTimeoutMs: 5_000 }), { maxConcurrency: 1, minSpacingMs: 0 });
      await expect(generator(sim.apiKey).ready(AbortSignal.timeout(2_000))).resolves.toBeUndefined();
      await backendFailure(generator('rp_wrong_key').ready(AbortSignal.timeout(2_000)), 'runpod');
    } finally {
      await sim.close();
    }
  });

  it('is the ComfyUI server answering /system_stats', async () => {
    const sim = await startComfyUiSimulator({ latencyMs: 10 });
    const comfy = createComfyUiGenerator(loadConfig({ IMAGE_GENERATOR: 'comfyui', COMFYUI_URL: sim.url }));
    try {
      await expect(new PacedGenerator(comfy, { maxConcurrency: 1, minSpacingMs: 0 }).ready(AbortSignal.timeout(2_000))).resolves.toBeUndefined();
    } finally {
      comfy.close();
      await sim.close();
    }
    await expect(new PacedGenerator(comfy, { maxConcurrency: 1, minSpacingMs: 0 }).ready(AbortSignal.timeout(2_000))).rejects.toThrow(/comfyui/);
  });
});
