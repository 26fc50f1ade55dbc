// On Cloudinary, an export reads the images back through the store and uploads the zip as a raw asset that
// keeps its .zip extension, in the character's exports/ folder: the real SDK against the local fake API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloudinary, type FakeCloudinary } from '../../bench/simulator/cloudinary.js';
import { ExportTrainingSetDocument } from '../../src/generated/graphql/graphql.js';
import { CloudinaryObjectStore } from '../../src/storage/cloudinary.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { createFinishedCharacter } from './support/exports.js';
import { PNG_SIGNATURE, unzip } from './support/unzip.js';

describe('training-set export on Cloudinary', () => {
  let fake: FakeCloudinary;
  let store: CloudinaryObjectStore;
  let service: TestService;
  let client: GraphQLTestClient;

  beforeAll(async () => {
    fake = await startFakeCloudinary();
    store = new CloudinaryObjectStore({ cloudName: fake.cloudName, apiKey: fake.apiKey, apiSecret: fake.apiSecret, uploadPrefix: fake.uploadPrefix, secureDistribution: fake.deliveryHost, agent: fake.agent });
    service = await startTestService({}, { store });
    client = new GraphQLTestClient(service.url);
  });
  afterAll(async () => {
    await client?.close();
    await service?.destroy();
    await fake?.close();
  });

  it('stores the zip as a raw asset under exports/ and reads it back from its delivery URL', async () => {
    const characterId = await createFinishedCharacter(client, { name: 'Mira Thorn', seed: 4 });
    const { exportTrainingSet } = await client.request(ExportTrainingSetDocument, { characterId, format: 'KOHYA' });
    const key = new URL(exportTrainingSet.url).pathname.replace(/^.*\/raw\/upload\/v\d+\//, '');
    expect(key).toMatch(/^characters\/dev\/mira-thorn-[0-9a-f]{8}\/exports\/kohya-mira_thorn\.zip$/);
    expect(fake.asset('raw', key)).toMatchObject({ folder: key.slice(0, key.lastIndexOf('/')) });

    const zip = await store.get(key);
    expect(zip?.byteLength).toBe(exportTrainingSet.bytes);
    const files = await unzip(zip!);
    const images = [...files].filter(([path]) => path.endsWith('.png'));
    expect(images).toHaveLength(10);
    for (const [, file] of images) expect(file.data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });
});
