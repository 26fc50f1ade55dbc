// What every browser test starts with: the web client built from the current sources, the real service with
// a generator that holds the variations until the test lets them go, an API client, and Chromium.
import { GatedGenerator } from '../../support/generators.js';
import { createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { GraphQLTestClient } from '../../support/graphqlClient.js';
import { startTestService, type TestService } from '../../support/service.js';
import { launchBrowser, type Browser } from './chromium.js';
import { buildWebClientOnce } from './webBuild.js';

export interface BrowserHarness {
  service: TestService;
  client: GraphQLTestClient;
  browser: Browser;
  /** Holds every variation until `generator.open()`; the avatar passes at once. */
  generator: GatedGenerator;
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

/** `env` adds service settings, e.g. AUTH_* to leave development mode. */
export async function startBrowserHarness(env: Record<string, string> = {}): Promise<BrowserHarness> {
  await buildWebClientOnce();
  const generator = new GatedGenerator();
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
    generator,
    close: async () => {
      // A test that failed before releasing the variations would leave the set, and so the shutdown, waiting.
      generator.open();
      await browser.close();
      await client.close();
      await service.destroy();
    },
  };
}

/** Starts the harness once for the enclosing describe block and stops it after; call the result inside tests. */
export function useBrowserHarness(env: Record<string, string> = {}): () => BrowserHarness {
  let harness: BrowserHarness | undefined;
  beforeAll(async () => {
    harness = await startBrowserHarness(env);
  });
  afterAll(async () => {
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error('the browser harness did not start (see the beforeAll error)');
    return harness;
  };
}
