// The web page in real headless Chromium against the real service: a character is created with the keyboard
// alone, its avatar shows at once, the 10 slots fill in (after a network drop, by catching up), the status
// turns completed, the list reopens the sheet and the metadata JSON downloads. No request leaves 127.0.0.1.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { VARIATION_TYPES } from '../../src/domain/variations.js';
import { EmbeddingStatusDocument } from '../../src/generated/graphql/graphql.js';
import { variationLabel } from '../../web/src/app/sheetState.js';
import { waitFor } from '../support/waitFor.js';
import { browserSkipReason, requestsLeavingHost } from './support/chromium.js';
import { useBrowserHarness } from './support/harness.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

const NAME = 'Mira Vale';

async function loadedImages(page: Page): Promise<number> {
  return page.locator('#sheet-slots img').evaluateAll((images) => images.filter((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0).length);
}

describe.skipIf(skipReason !== null)('web page in Chromium', () => {
  const harness = useBrowserHarness();

  it('creates a character from the keyboard and fills its 10-slot sheet live, catching up after a network drop', async () => {
    const { service, client, browser, release } = harness();
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);

    // Keyboard only: every field is reached by its label and by Tab, and Enter submits.
    await page.getByLabel('Name').focus();
    await page.keyboard.type(NAME);
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('description');
    await page.keyboard.type('a wandering cartographer with ink-stained fingers');
    await page.keyboard.press('Tab');
    await page.keyboard.type('hair: silver braid');
    await page.keyboard.press('Enter');
    await page.keyboard.type('eyes: green');
    await page.keyboard.press('Tab');
    await page.keyboard.type('watercolor');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('seed');
    await page.keyboard.type('4242');
    await page.keyboard.press('Enter');

    // The avatar at once; the variations are held by the generator, so all 10 slots wait, labelled.
    const avatar = page.getByRole('img', { name: `Avatar of ${NAME}` });
    await avatar.waitFor();
    await expect.poll(() => avatar.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#sheet-slots > li').count()).toBe(10);
    const captions = await page.locator('#sheet-slots figcaption').allTextContents();
    expect(captions).toEqual(VARIATION_TYPES.map(variationLabel));
    await expect.poll(() => page.locator('#sheet-connection').textContent()).toBe('live');
    // No metadata until the set is finished.
    expect(await page.getByRole('link', { name: 'Download metadata JSON' }).isVisible()).toBe(false);
    await browser.screenshot(page, 'sheet-waiting');
    const characterId = await page.evaluate(() => location.hash.slice(1));
    expect(characterId).not.toBe('');

    // The network drops, the whole set finishes meanwhile, and nothing reaches the page...
    await browser.context.setOffline(true);
    await expect.poll(() => page.locator('#sheet-connection').textContent()).toMatch(/offline|reconnecting/);
    release();
    await waitFor(async () => (await client.request(EmbeddingStatusDocument, { characterId })).embeddingStatus.status === 'completed', 'set completed on the server');
    expect(await page.locator('#sheet-slots img').count()).toBe(0);

    // ...until it is back: the page reconnects and catches up with every image and the final status.
    await browser.context.setOffline(false);
    await expect.poll(() => page.locator('#sheet-status').textContent(), { timeout: 30_000 }).toBe('Completed');
    await expect.poll(() => loadedImages(page), { timeout: 30_000 }).toBe(10);
    for (const type of VARIATION_TYPES) {
      await expect(page.getByRole('img', { name: `${variationLabel(type)} of ${NAME}` }).count()).resolves.toBe(1);
    }
    expect(await page.locator('#sheet-progress').evaluate((bar) => [(bar as HTMLProgressElement).value, (bar as HTMLProgressElement).max])).toEqual([10, 10]);
    await browser.screenshot(page, 'sheet-completed');

    // The list reopens the sheet in a fresh page, straight from the stored status.
    const reopened = await browser.newPage();
    await reopened.goto(`${service.url}/`);
    await reopened.getByRole('button', { name: new RegExp(NAME) }).click();
    await expect.poll(() => reopened.locator('#sheet-status').textContent()).toBe('Completed');
    await expect.poll(() => loadedImages(reopened)).toBe(10);

    // The metadata JSON downloads and describes this set.
    const [download] = await Promise.all([reopened.waitForEvent('download'), reopened.getByRole('link', { name: 'Download metadata JSON' }).click()]);
    const metadata = JSON.parse(await readFile(await download.path(), 'utf8')) as { characterId: string; name: string; images: { variation: string; status: string }[] };
    expect(metadata).toMatchObject({ characterId, name: NAME });
    expect(metadata.images.map((image) => image.status)).toEqual(VARIATION_TYPES.map(() => 'completed'));
    expect(download.suggestedFilename()).toMatch(/metadata\.json$/);

    expect(requestsLeavingHost(browser.requests)).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });

  it('shows why the server refused a character, next to the form', async () => {
    const { service, browser } = harness();
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);
    await page.getByLabel('Name').fill('a/b');
    await page.getByRole('button', { name: 'Create character' }).press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).not.toBe('');
    expect(await page.locator('#sheet').isHidden()).toBe(true);
  });
});
