// A graceful stop (a deploy) in the middle of a set, and the start after it, in-process so the pipeline's own
// code is what is tested: requests cut short by the stop are not failures, and a slot whose attempts were all
// spent before the stop is not sent to the backend again.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedStore } from '@charsheet/embedded-mongo';
import { startService, type RunningService } from '../../src/app.js';
import { VARIATION_TYPES, type VariationType } from '../../src/domain/variations.js';
import { CreateCharacterDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { CharacterModel } from '../../src/models/character.js';
import { ScriptedGenerator } from '../support/generators.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { type LogEntry, recordingLogger } from '../support/logs.js';
import { usingRealMongo } from '../support/mongo.js';
import { testConfig } from '../support/service.js';
import { waitFor } from '../support/waitFor.js';

const SPENT = VARIATION_TYPES.indexOf('outfit_variation');
const RESUME_LINES = ['resuming unfinished reference sets', 'resuming generated images', 'finished removing characters'];

// The embedded store is opened directly between the two processes, so this runs on it only.
describe.skipIf(usingRealMongo)('a graceful stop mid-set, then a start', () => {
  let dataDir: string;
  let running: RunningService | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('charges nothing for requests the stop cut short, and never resends a slot whose attempts were spent', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-stop-'));
    // Four slots: one is kept for avatars (GENERATOR_AVATAR_RESERVE), three take background images.
    const config = await testConfig(dataDir, { VARIATION_MAX_ATTEMPTS: '2', GENERATOR_MAX_CONCURRENCY: '4' });
    const first = new ScriptedGenerator();
    first.hold();
    const firstLog = recordingLogger();
    running = await startService(config, { generator: first, logger: firstLog.logger });
    let client = new GraphQLTestClient(running.url);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Deploy Day' } });
    await waitFor(async () => first.held.length === 3, 'three requests held at the backend');
    await client.close();
    await running.close();
    running = undefined;
    expect(first.requests.filter((request) => request.variation !== 'avatar' && request.aborted)).toHaveLength(3);

    // Between the two processes: what the stop left, and a slot whose budget an earlier process spent on failures.
    const store = await startEmbeddedStore({ dataDir: config.embeddedDbDir, thread: false });
    const mongo = await MongoClient.connect(`${store.uri}/charsheet`);
    try {
      const characters = mongo.db().collection(CharacterModel.collection.collectionName);
      const left = await characters.findOne({ slug: createCharacter.slug });
      // The stop handed the set back: the next start claims it at once, not a lease later.
      expect(left?.lease ?? null).toBeNull();
      const variations = left?.variations as { status: string; attempts: number; failures: number }[];
      expect(variations.map((variation) => variation.status).filter((status) => status === 'failed')).toEqual([]);
      expect(variations.map((variation) => variation.failures)).toEqual(VARIATION_TYPES.map(() => 0));
      expect(variations.filter((variation) => variation.attempts === 1)).toHaveLength(3);
      expect(variations[SPENT]?.attempts).toBe(0);
      await characters.updateOne({ slug: createCharacter.slug }, { $set: { [`variations.${SPENT}.attempts`]: 2, [`variations.${SPENT}.failures`]: 2, [`variations.${SPENT}.error`]: 'scripted-offline: earlier failure' } });
    } finally {
      await mongo.close();
      await store.close();
    }

    const second = new ScriptedGenerator();
    const secondLog = recordingLogger();
    running = await startService(config, { generator: second, logger: secondLog.logger });
    client = new GraphQLTestClient(running.url);
    const status = async () => (await client.request(EmbeddingStatusDocument, { characterId: createCharacter.id })).embeddingStatus;
    await waitFor(async () => (await status()).status === 'completed', 'set completed after the start');
    // The operator's log says what each start found left over, and nothing when there was nothing.
    const leftovers = (entries: LogEntry[]) => entries.filter((entry) => RESUME_LINES.includes(entry.msg)).map(({ msg, count }) => ({ msg, count }));
    expect(leftovers(firstLog.entries)).toEqual([]);
    expect(leftovers(secondLog.entries)).toEqual([{ msg: 'resuming unfinished reference sets', count: 1 }]);
    const starts = (entries: LogEntry[]) => entries.filter((entry) => entry.msg === 'reference set started').map(({ resumed }) => resumed);
    expect(starts(firstLog.entries)).toEqual([false]);
    expect(starts(secondLog.entries)).toEqual([true]);
    expect(second.received('outfit_variation')).toEqual([]);
    const final = await status();
    expect(final).toMatchObject({ completed: 9, failed: 1 });
    expect(final.images.find((image) => image.type === 'outfit_variation')).toMatchObject({ status: 'failed', attempts: 2, error: 'scripted-offline: earlier failure' });
    await client.close();
  });

  it('keeps the images a storage outage held back through the stop, and the next start stores them without asking the backend again', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-stop-'));
    const config = await testConfig(dataDir, { RETRY_BASE_DELAY_MS: '20' });
    const first = new ScriptedGenerator();
    first.hold();
    running = await startService(config, { generator: first });
    let client = new GraphQLTestClient(running.url);
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Outage Deploy' } });
    const status = async () => (await client.request(EmbeddingStatusDocument, { characterId: createCharacter.id })).embeddingStatus;
    // A file where the set's folder goes: every image write fails until it is removed.
    const folder = path.join(config.objectsDir, 'characters', 'dev', createCharacter.slug, 'embeddings');
    await writeFile(folder, 'not a folder');
    first.release();
    await waitFor(async () => (await status()).pendingWrites.length >= 3, 'images waiting to be stored');
    const waiting = (await status()).pendingWrites.map((write) => write.what);
    await client.close();
    await running.close();
    running = undefined;
    await rm(folder);

    const second = new ScriptedGenerator();
    running = await startService(config, { generator: second });
    client = new GraphQLTestClient(running.url);
    await waitFor(async () => (await status()).status === 'completed', 'set completed after the start');
    const final = await status();
    expect(final).toMatchObject({ completed: 10, failed: 0, pendingWrites: [] });
    for (const variation of waiting) {
      expect(second.received(variation as VariationType), variation).toEqual([]);
      expect(first.received(variation as VariationType), variation).toHaveLength(1);
    }
    for (const url of final.cloudinaryUrls) expect((await fetch(url)).status).toBe(200);
    await client.close();
  });
});
