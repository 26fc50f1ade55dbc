// The store's own thread keeps polling for a moment after each request (protocol/busyPoll.ts). What a user
// must be able to rely on: it stops when requests stop, so an idle service costs no CPU. Run on the compiled
// store, the only one with a thread of its own (tests run the sources on the caller's thread).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import type * as EmbeddedStoreModule from '../src/index.js';

const { startEmbeddedStore } = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof EmbeddedStoreModule;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'charsheet-busypoll-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Share of the time since `before` that the store's event loop was running rather than asleep in epoll. */
function busyShareSince(store: EmbeddedStoreModule.EmbeddedStore, before: EventLoopUtilization): number {
  const after = store.eventLoopUtilization();
  const active = after.active - before.active;
  return active / (active + after.idle - before.idle);
}

describe('embedded store busy polling', () => {
  it('polls while requests keep coming and sleeps once they stop', async () => {
    const store = await startEmbeddedStore({ dataDir, busyPollUs: 20_000 });
    const client = await MongoClient.connect(store.uri);
    try {
      expect(store.threaded).toBe(true);
      const things = client.db('poll').collection<{ _id: string; n: number }>('things');
      await things.insertOne({ _id: 'a', n: 0 });
      // A request every 5 ms, well within the 20 ms window: the loop never gets to sleep.
      const whileBusy = store.eventLoopUtilization();
      for (let i = 0; i < 40; i++) {
        await things.updateOne({ _id: 'a' }, { $inc: { n: 1 } });
        await sleep(5);
      }
      expect(busyShareSince(store, whileBusy)).toBeGreaterThan(0.5);
      // Then nothing: once the window has passed, the thread sleeps.
      await sleep(100);
      const whileIdle = store.eventLoopUtilization();
      await sleep(300);
      expect(busyShareSince(store, whileIdle)).toBeLessThan(0.1);
      expect(await things.findOne({ _id: 'a' })).toMatchObject({ n: 40 });
    } finally {
      await client.close();
      await store.close();
    }
  });
});
