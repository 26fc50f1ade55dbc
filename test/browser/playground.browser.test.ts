// The GraphQL playground in real headless Chromium: served by the service at /graphql with every asset
// bundled, example operations preloaded, and a subscription run from it receiving the set's events over
// graphql-ws. No request leaves 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { CreateCharacterDocument } from '../../src/generated/graphql/graphql.js';
import { browserSkipReason, requestsLeavingHost } from './support/chromium.js';
import { useBrowserHarness } from './support/harness.js';
import { playgroundResponse, runInPlayground } from './support/playground.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('GraphQL playground in Chromium', () => {
  const harness = useBrowserHarness();

  it('preloads the example operations and runs the progress subscription over graphql-ws', async () => {
    const { service, client, browser, release } = harness();
    const { createCharacter } = await client.request(CreateCharacterDocument, { input: { name: 'Orrin Pike', description: 'a lighthouse keeper', seed: 7 } });
    const page = await browser.newPage();
    const progressEvents: string[] = [];
    let subscribed = false;
    page.on('websocket', (socket) => {
      socket.on('framesent', ({ payload }) => (subscribed ||= typeof payload === 'string' && payload.includes('"type":"subscribe"')));
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string' && payload.includes('"type":"next"')) progressEvents.push(payload);
      });
    });
    await page.goto(`${service.url}/graphql?characterId=${createCharacter.id}`);

    await page.locator('.graphiql-container').waitFor();
    const tabs = page.getByRole('tab');
    await expect.poll(() => tabs.allTextContents()).toEqual(
      expect.arrayContaining(['EmbeddingProgress', 'CreateCharacter', 'Character', 'Characters', 'EmbeddingStatus'].map((name) => expect.stringContaining(name))),
    );
    await browser.screenshot(page, 'playground-loaded');

    await runInPlayground(page, { variables: createCharacter.id });
    await expect.poll(() => subscribed).toBe(true);
    release();
    await expect.poll(() => playgroundResponse(page), { timeout: 30_000 }).toContain('"kind": "done"');
    const text = await playgroundResponse(page);
    expect(text).toContain(`"characterId": "${createCharacter.id}"`);
    expect(text).toContain('"completed": 10');
    // GraphiQL shows the latest event; the socket saw every one, ending with 'done'. (How many variation events
    // come first depends on whether the server registered the subscription before the first image finished.)
    expect(progressEvents.length).toBeGreaterThanOrEqual(1);
    expect(progressEvents.every((payload) => payload.includes(createCharacter.id))).toBe(true);
    expect(progressEvents.at(-1)).toContain('"kind":"done"');
    await browser.screenshot(page, 'playground-subscription');

    expect(requestsLeavingHost(browser.requests)).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });

  it('leaves GraphQL clients alone: a JSON GET on /graphql still runs the query', async () => {
    const { service } = harness();
    const response = await fetch(`${service.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
