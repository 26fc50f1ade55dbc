// What every variation request of a set is conditioned on (IDENTITY_CONDITIONING): the stored avatar, named
// for the backend's upload, read through a storage outage, and nothing (with a warning) when it is gone.
import { describe, expect, it } from 'vitest';
import { referencesFor } from '../../src/pipeline/references.js';
import type { GenerationSettings } from '../../src/pipeline/settings.js';
import type { ObjectStore } from '../../src/ports.js';
import { recordingLogger } from '../support/logs.js';

const ID = 'b'.repeat(24);
const AVATAR = new Uint8Array([1, 2, 3]);
const settings = (conditioning: GenerationSettings['conditioning']) => ({ conditioning, retryBaseDelayMs: 1 }) as GenerationSettings;

function storeAnswering(...answers: (Uint8Array | null | Error)[]) {
  const reads: string[] = [];
  const store = {
    get: async (key: string) => {
      reads.push(key);
      const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as ObjectStore;
  return { store, reads };
}

function work(avatarKey: string, stop = new AbortController().signal) {
  const { logger, entries } = recordingLogger('warn');
  return { run: { record: { id: ID, avatarKey }, stop, log: logger }, entries };
}

describe('the references of a set', () => {
  it('are the stored avatar, named for the upload after the character and the avatar file type', async () => {
    const { store, reads } = storeAnswering(AVATAR);
    const { run } = work('characters/ada/mira/avatar/avatar.png');
    expect(await referencesFor(run, store, settings('avatar'))).toEqual([{ name: `charsheet-${ID}-avatar.png`, role: 'avatar', bytes: AVATAR, contentType: 'image/png' }]);
    expect(reads).toEqual(['characters/ada/mira/avatar/avatar.png']);
    const webp = await referencesFor(work('characters/ada/mira/avatar/avatar.webp').run, storeAnswering(AVATAR).store, settings('avatar'));
    expect(webp?.[0]).toMatchObject({ name: `charsheet-${ID}-avatar.webp`, contentType: 'image/webp' });
  });

  it('are none, and nothing is read, with IDENTITY_CONDITIONING=none', async () => {
    const { store, reads } = storeAnswering(AVATAR);
    expect(await referencesFor(work('characters/ada/mira/avatar/avatar.png').run, store, settings('none'))).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('wait out a storage outage, saying so, and are none (with a warning) when the avatar is gone', async () => {
    const outage = work('characters/ada/mira/avatar/avatar.png');
    const read = await referencesFor(outage.run, storeAnswering(new Error('disk gone'), AVATAR).store, settings('avatar'));
    expect(read).toHaveLength(1);
    expect(outage.entries.map(({ msg, failures }) => ({ msg, failures }))).toEqual([{ msg: 'reading the avatar to condition on failed; trying again', failures: 1 }]);

    const gone = work('characters/ada/mira/avatar/avatar.png');
    expect(await referencesFor(gone.run, storeAnswering(null).store, settings('avatar'))).toEqual([]);
    expect(gone.entries.map(({ msg, avatarKey }) => ({ msg, avatarKey }))).toEqual([{ msg: 'the avatar is missing from the store; its images are generated without it as a reference', avatarKey: 'characters/ada/mira/avatar/avatar.png' }]);
  });

  it('are null when the work stops during an outage', async () => {
    const stop = new AbortController();
    const { run } = work('characters/ada/mira/avatar/avatar.png', stop.signal);
    const store = { get: async () => { stop.abort(); throw new Error('disk gone'); } } as unknown as ObjectStore;
    expect(await referencesFor(run, store, settings('avatar'))).toBeNull();
  });
});
