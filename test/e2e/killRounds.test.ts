// kill -9 at the three moments where a crash could leave half of something behind, each held there
// deterministically (a command held in the store with the failCommand fail point, or a write that keeps
// failing), then a restart on the same DATA_DIR that must complete what was under way:
// - during the final metadata.json write: the set completes, metadata written, nothing left pending;
// - during a delete (files removed, record not yet): the record goes too;
// - inside createCharacter (avatar stored, record not committed): the sweep removes the invisible record and
//   its avatar folder, so no avatar is ever left without a character.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { CharactersDocument, CreateCharacterDocument, DeleteCharacterDocument, EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { type ChildDatabase, openChildDatabase } from '../support/childDatabase.js';
import { type ChildService, startChildService } from '../support/childService.js';
import { filesUnder } from '../support/files.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { waitFor } from '../support/waitFor.js';

const exists = (file: string) => access(file).then(() => true, () => false);

// The fail point is a test command of the embedded store (a real mongod needs enableTestCommands).
describe.skipIf(Boolean(process.env.TEST_MONGODB_URI))('kill -9 inside a write, then a restart', () => {
  let dataDir: string | undefined;
  let running: ChildService | undefined;
  let client: GraphQLTestClient | undefined;
  let database: ChildDatabase | undefined;
  afterAll(async () => {
    await client?.close();
    await database?.close();
    await running?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>): Promise<void> {
    running = await startChildService(env);
    client = new GraphQLTestClient(running.url);
    database = await openChildDatabase(running);
  }
  async function kill(): Promise<void> {
    await client!.close();
    await database!.close();
    await running!.kill();
  }
  /** Holds the next `command` on the characters collection for a minute: long past the kill that follows. */
  async function holdNext(command: 'delete' | 'findAndModify'): Promise<void> {
    await database!.client.db('admin').command({
      configureFailPoint: 'failCommand',
      mode: { times: 1 },
      data: { failCommands: [command], namespace: 'charsheet.characters', blockConnection: true, blockTimeMS: 60_000 },
    });
  }
  const status = async (id: string) => (await client!.request(EmbeddingStatusDocument, { characterId: id })).embeddingStatus;
  const recordCount = (id: string) => database!.characters.countDocuments({ _id: new Types.ObjectId(id) });

  it('completes a metadata write, a delete and a createCharacter that a kill -9 interrupted', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-kills-'));
    const objects = path.join(dataDir, 'objects', 'characters', 'dev');
    // A short lease and sweep interval (both SET_LEASE_MS) and commit deadline keep the restarts quick; the
    // spacing makes a set last a couple of seconds, time to block its metadata.json before the end.
    const env = { DATA_DIR: dataDir, IMAGE_WIDTH: '64', IMAGE_HEIGHT: '64', IDENTITY: 'off', GENERATOR_MAX_CONCURRENCY: '1', GENERATOR_MIN_SPACING_MS: '150', SET_LEASE_MS: '1000', UNCOMMITTED_CLEANUP_MS: '2000', RETRY_BASE_DELAY_MS: '50' };
    await start(env);

    const { createCharacter: doomed } = await client!.request(CreateCharacterDocument, { input: { name: 'Doomed Dora', seed: 10 } });
    await waitFor(async () => (await status(doomed.id)).status === 'completed', 'the set to delete completed');

    // A folder where metadata.json goes: every write of it fails, and it is retried, until the kill.
    const { createCharacter: kept } = await client!.request(CreateCharacterDocument, { input: { name: 'Kept Kai', seed: 20 } });
    const metadataPath = path.join(objects, kept.slug, 'embeddings', 'metadata.json');
    await mkdir(metadataPath, { recursive: true });
    await waitFor(async () => (await status(kept.id)).pendingWrites.some((write) => write.what === 'metadata.json'), 'metadata.json write failing and retried');

    // The delete removes the files, then is held on removing the record.
    await holdNext('delete');
    const deleting = client!.execute(DeleteCharacterDocument, { id: doomed.id }).catch(() => null);
    await waitFor(async () => !(await exists(path.join(objects, doomed.slug))), 'the deleted character’s files removed');
    expect(await recordCount(doomed.id)).toBe(1);

    await kill();
    await deleting;
    await rm(metadataPath, { recursive: true });
    await start(env);

    await waitFor(async () => (await status(kept.id)).status === 'completed', 'set completed after the restart');
    const finished = await status(kept.id);
    expect(finished).toMatchObject({ completed: 10, failed: 0, pendingWrites: [] });
    expect(((await (await fetch(finished.metadataUrl!)).json()) as { status: string; totalImages: number })).toMatchObject({ status: 'completed', totalImages: 10 });
    await waitFor(async () => (await recordCount(doomed.id)) === 0, 'the interrupted delete finished');

    // createCharacter: the avatar is stored, and its commit is held.
    await holdNext('findAndModify');
    const creating = client!.execute(CreateCharacterDocument, { input: { name: 'Never Committed', seed: 30 } }).catch(() => null);
    const orphanFolder = async () => (await readdir(objects)).find((folder) => folder.startsWith('never-committed-'));
    await waitFor(async () => {
      const folder = await orphanFolder();
      return folder !== undefined && (await exists(path.join(objects, folder, 'avatar', 'avatar.png')));
    }, 'the avatar stored');
    const orphan = (await orphanFolder())!;
    expect(await database!.characters.countDocuments({ slug: orphan })).toBe(1);

    await kill();
    await creating;
    await start(env);

    const { characters } = await client!.request(CharactersDocument, {});
    expect(characters.map((character) => character.name)).toEqual(['Kept Kai']);
    await waitFor(async () => !(await exists(path.join(objects, orphan))), 'the uncommitted avatar removed');
    expect(await database!.characters.countDocuments({})).toBe(1);
    // What is left is exactly the completed set, with no temporary file anywhere under DATA_DIR.
    expect((await readdir(objects)).sort()).toEqual([kept.slug]);
    expect((await readdir(path.join(objects, kept.slug, 'embeddings'))).sort()).toEqual([...VARIATION_TYPES.map((type) => `${type}.png`), 'metadata.json'].sort());
    expect((await filesUnder(dataDir)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });
});
