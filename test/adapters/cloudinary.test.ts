// The Cloudinary store through the real SDK against a local fake upload API that checks signatures as
// Cloudinary does, in both folder modes.
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeCloudinary, type FakeCloudinaryOptions, startFakeCloudinary } from '../../bench/simulator/cloudinary.js';
import { solidPng } from '../../bench/simulator/png.js';
import { loadConfig } from '../../src/config.js';
import { CloudinaryObjectStore, createCloudinaryStore, credentialsFromUrl } from '../../src/storage/cloudinary.js';
import { backendFailure } from './support.js';

let fake: FakeCloudinary | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setUp(options: FakeCloudinaryOptions = {}, secret?: string) {
  fake = await startFakeCloudinary(options);
  const store = new CloudinaryObjectStore({
    cloudName: fake.cloudName,
    apiKey: fake.apiKey,
    apiSecret: secret ?? fake.apiSecret,
    uploadPrefix: fake.uploadPrefix,
    secureDistribution: fake.deliveryHost,
    agent: fake.agent,
  });
  return { fake, store };
}

const KEY = 'characters/dev/mira/embeddings/portrait_front.png';
const PNG = solidPng(32, 16, 7);

describe('Cloudinary store', () => {
  it.each(['dynamic', 'fixed'] as const)('files an image under the seed folder layout in a %s-folder account', async (folderMode) => {
    const { fake, store } = await setUp({ folderMode });
    const stored = await store.put(KEY, PNG, 'image/png');
    const asset = fake.asset('image', 'characters/dev/mira/embeddings/portrait_front');
    expect(asset).toMatchObject({ folder: 'characters/dev/mira/embeddings', format: 'png' });
    expect(stored).toMatchObject({ key: KEY, bytes: PNG.length });
    expect(store.url(KEY, stored.version)).toMatch(new RegExp(`^https://.+/image/upload/v${stored.version}/characters/dev/mira/embeddings/portrait_front\\.png$`));
    expect(Buffer.from(await store.get(KEY) ?? [])).toEqual(PNG);
  });

  it('overwrites on a retried upload instead of making a second asset', async () => {
    const { fake, store } = await setUp();
    await store.put(KEY, PNG, 'image/png');
    const second = solidPng(32, 16, 8);
    await store.put(KEY, second, 'image/png');
    expect(fake.assets()).toHaveLength(1);
    expect(fake.asset('image', 'characters/dev/mira/embeddings/portrait_front')).toMatchObject({ uploads: 2 });
    expect(Buffer.from(await store.get(KEY) ?? [])).toEqual(second);
  });

  it('stores metadata JSON as a raw resource that keeps its extension', async () => {
    const { fake, store } = await setUp();
    const json = new TextEncoder().encode(JSON.stringify({ images: 10 }));
    const stored = await store.put('characters/dev/mira/embeddings/metadata.json', json, 'application/json');
    expect(fake.asset('raw', 'characters/dev/mira/embeddings/metadata.json')).toMatchObject({ folder: 'characters/dev/mira/embeddings' });
    expect(store.url(stored.key, stored.version)).toMatch(/\/raw\/upload\/v\d+\/characters\/dev\/mira\/embeddings\/metadata\.json$/);
    expect(new TextDecoder().decode(await store.get('characters/dev/mira/embeddings/metadata.json') ?? new Uint8Array())).toBe('{"images":10}');
  });

  it('gives a replaced image a new version, so its URL changes and no CDN serves the old bytes', async () => {
    const { store } = await setUp();
    const first = await store.put(KEY, PNG, 'image/png');
    const second = await store.put(KEY, solidPng(32, 16, 8), 'image/png');
    expect(second.version).not.toBe(first.version);
    expect(store.url(KEY, second.version)).not.toBe(store.url(KEY, first.version));
  });

  it('removes one asset, and every asset under a folder across pages of the Admin API', async () => {
    const { fake, store } = await setUp({ deletePageSize: 2 });
    const folder = 'characters/dev/mira/';
    for (const name of ['a', 'b', 'c']) await store.put(`${folder}embeddings/${name}.png`, PNG, 'image/png');
    await store.put(`${folder}embeddings/metadata.json`, new TextEncoder().encode('{}'), 'application/json');
    await store.put('characters/dev/other/avatar/avatar.png', PNG, 'image/png');
    await store.delete(`${folder}embeddings/a.png`);
    expect(fake.asset('image', `${folder}embeddings/a`)).toBeUndefined();
    await store.delete(`${folder}embeddings/never-stored.png`);
    await store.deletePrefix(folder);
    expect(fake.assets().map((asset) => asset.publicId)).toEqual(['characters/dev/other/avatar/avatar']);
    expect(await store.get(`${folder}embeddings/b.png`)).toBeNull();
  });

  it('answers null for a key that was never stored', async () => {
    const { store } = await setUp();
    await expect(store.get('characters/dev/nobody/avatar/avatar.png')).resolves.toBeNull();
  });

  it('reports a wrong secret as a non-retryable signature error that never shows the secret', async () => {
    const { fake, store } = await setUp({}, 'not-the-right-secret-xyz');
    const error = await backendFailure(store.put(KEY, PNG, 'image/png'), 'cloudinary');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/refused \(HTTP 401\).*Invalid Signature/);
    expect(error.message).not.toContain('not-the-right-secret-xyz');
    expect(error.message).not.toContain(fake.apiSecret);
    expect(fake.stats.rejectedSignatures).toBe(1);
  });

  it('reports rate limits and server errors as retryable, bad requests as final', async () => {
    const { fake, store } = await setUp();
    fake.failNextUploads(420, 500, 400);
    expect(await backendFailure(store.put(KEY, PNG, 'image/png'), 'cloudinary')).toMatchObject({ retryable: true, retryAfterMs: 1_000 });
    expect(await backendFailure(store.put(KEY, PNG, 'image/png'), 'cloudinary')).toMatchObject({ retryable: true });
    expect(await backendFailure(store.put(KEY, PNG, 'image/png'), 'cloudinary')).toMatchObject({ retryable: false });
    await expect(store.put(KEY, PNG, 'image/png')).resolves.toMatchObject({ key: KEY });
  });

  it('reports an unreachable upload API as retryable', async () => {
    const { fake, store } = await setUp();
    await fake.close();
    const error = await backendFailure(store.put(KEY, PNG, 'image/png'), 'cloudinary');
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain(fake.apiSecret);
  });

  it('is built from CLOUDINARY_URL and serves delivery URLs from res.cloudinary.com by default', () => {
    expect(credentialsFromUrl('cloudinary://key1:sec%2Fret@my-cloud')).toEqual({ apiKey: 'key1', apiSecret: 'sec/ret', cloudName: 'my-cloud' });
    const store = createCloudinaryStore(loadConfig({ OBJECT_STORE: 'cloudinary', CLOUDINARY_URL: 'cloudinary://key1:secret1@my-cloud' }));
    expect(store.url(KEY)).toBe('https://res.cloudinary.com/my-cloud/image/upload/v1/characters/dev/mira/embeddings/portrait_front.png');
    expect(() => loadConfig({ CLOUDINARY_UPLOAD_PREFIX: 'http://127.0.0.1:9' })).toThrow(/CLOUDINARY_UPLOAD_PREFIX: must be an https/);
  });
});
