// What every browser test starts with: the web client built from the current sources, the real service with
// a generator that holds the variations until the test lets them go, an API client, and Chromium.
import { GatedGenerator } from '../../support/generators.js';
import { createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { ImageGenerator } from '../../../src/ports.js';
import { GraphQLTestClient } from '../../support/graphqlClient.js';
import { startTestService, type TestService } from '../../support/service.js';
import { launchBrowser, type Browser } from './chromium.js';
import { buildWebClientOnce } from './webBuild.js';

export interface BrowserHarness {
  service: TestService;
  client: GraphQLTestClient;
  browser: Browser;
  /** Lets the variations run: the default generator holds every one (not the avatar) until this is called. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A port free right now. Stored images get absolute URLs built from PORT (config.publicUrl), so with PORT=0
 * they would point at port 0; the page needs them to point at the service it was loaded from.
 */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port for the test service');
  return address.port;
}

export interface HarnessOptions {
  /** Service settings, e.g. AUTH_* to leave development mode. */
  env?: Record<string, string>;
  /** Replaces the default generator, which holds the variations until `release()`. */
  generator?: ImageGenerator;
}

export async function startBrowserHarness({ env = {}, generator: chosen }: HarnessOptions = {}): Promise<BrowserHarness> {
  await buildWebClientOnce();
  const gate = new GatedGenerator();
  const generator = chosen ?? gate;
  const service = await startTestService({ PORT: String(await freePort()), ...env }, { generator });
  const client = new GraphQLTestClient(service.url);
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await client.close();
    await service.destroy();
    throw error;
  });
  return {
    service,
    client,
    browser,
    release: () => gate.open(),
    close: async () => {
      // A test that failed before releasing the variations would leave the set, and so the shutdown, waiting.
      gate.open();
      await browser.close();
      await client.close();
      await service.destroy();
    },
  };
}

/** Starts the harness once for the enclosing describe block and stops it after; call the result inside tests. */
export function useBrowserHarness(options: HarnessOptions = {}): () => BrowserHarness {
  let harness: BrowserHarness | undefined;
  beforeAll(async () => {
    harness = await startBrowserHarness(options);
  });
  afterAll(async () => {
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error('the browser harness did not start (see the beforeAll error)');
    return harness;
  };
}
