// The sheet's set controls in Chromium against the real service, with a generator the test holds or fails at
// will: regenerate one slot (it says so, keeps its image, then shows the new one), cancel a running set (no
// request stays in flight, the slots say cancelled) and retry it, a set with a failed image shown as
// completed with failures and retried, delete through a confirmation dialog (this tab and another one close
// the sheet), and an internal error said in plain words. Screenshots at 1280 and 390 px.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { CharacterDocument } from '../../src/generated/graphql/graphql.js';
import { SERVER_TROUBLE } from '../../web/src/app/userMessages.js';
import { unzip } from '../exports/support/unzip.js';
import { ScriptedGenerator } from '../support/generators.js';
import { waitFor } from '../support/waitFor.js';
import { ARTIFACTS_DIR, browserSkipReason } from './support/chromium.js';
import { useBrowserHarness, type BrowserHarness } from './support/harness.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

/** The service's work (a set, a delete) on two shared cores can take a while; the page must follow it. */
const WAIT = { timeout: 30_000 };

const status = (page: Page) => page.locator('#sheet-status').textContent();
const slot = (page: Page, variation: string) => page.locator(`#sheet-slots > li[data-variation="${variation}"]`);

async function openPage({ service, browser }: BrowserHarness): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${service.url}/`);
  return page;
}

/** Creates a character from the form and waits for its sheet; answers its id. */
async function create(page: Page, name: string): Promise<string> {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Name').press('Enter');
  await expect.poll(() => page.locator('#sheet-name').textContent(), WAIT).toBe(name);
  return page.evaluate(() => location.hash.slice(1));
}

async function loadedImages(page: Page): Promise<number> {
  return page.locator('#sheet-slots img').evaluateAll((images) => images.filter((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0).length);
}

/** The page on a phone (the screen a reader sees at the sheet) and on a desk (full length). */
async function shots(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => document.querySelector('#sheet:not([hidden]), #sheet-placeholder:not([hidden])')?.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-390-screen.png`) });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-1280.png`), fullPage: true });
}

describe.skipIf(skipReason !== null)('set controls on the sheet, in Chromium', () => {
  const generator = new ScriptedGenerator();
  const harness = useBrowserHarness({ generator });
  // A test that failed while holding or failing images must not leave the next one waiting.
  afterEach(() => {
    generator.failing.clear();
    generator.release();
  });

  it('regenerates one slot: it keeps its image while the new one is made, then shows it, and the set ends again', async () => {
    const page = await openPage(harness());
    await create(page, 'Wren Halloway');
    await expect.poll(() => status(page), WAIT).toBe('Completed');
    const side = slot(page, 'portrait_side');
    const oldImage = await side.locator('img').getAttribute('data-source');
    const [firstRequest] = generator.received('portrait_side').slice(-1);

    generator.hold();
    // From the keyboard: the button goes away while the slot regenerates, and focus stays on the slot.
    await page.getByRole('button', { name: 'Regenerate Portrait side' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => side.locator('.slot-state').textContent(), WAIT).toBe('Regenerating…');
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.dataset.variation)).toBe('portrait_side');
    expect(await status(page)).toBe('Generating');
    expect(await side.locator('img').getAttribute('data-source')).toBe(oldImage);
    expect(await side.getByRole('button').isVisible()).toBe(false);
    await waitFor(async () => generator.held.length === 1, 'the new image reached the backend');
    await shots(page, 'controls-regenerating');

    generator.release();
    await expect.poll(() => side.locator('img').getAttribute('data-source'), WAIT).not.toBe(oldImage);
    await expect.poll(() => status(page), WAIT).toBe('Completed');
    expect(await side.locator('.slot-state').textContent()).toBe('');
    await expect.poll(() => loadedImages(page), WAIT).toBe(10);
    const [newRequest] = generator.received('portrait_side').slice(-1);
    expect(newRequest?.seed).not.toBe(firstRequest?.seed);

    // The training set is made of the images now shown, the new one included.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'ai-toolkit' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^wren-halloway-[0-9a-f]{8}-ai-toolkit\.zip$/);
    const files = await unzip(await readFile(await download.path()));
    expect([...files.keys()].filter((file) => file.endsWith('.png'))).toHaveLength(10);
  });

  it('cancels a running set: nothing stays in flight, the slots say cancelled, and a retry finishes it', async () => {
    const page = await openPage(harness());
    generator.hold();
    await create(page, 'Odile Marsh');
    await waitFor(async () => generator.held.length > 0, 'a variation reached the backend');
    // No image has come back yet, so the page cannot tell waiting from generating.
    await expect.poll(() => status(page), WAIT).toMatch(/^(Waiting to start|Generating)$/);

    await page.getByRole('button', { name: 'Cancel generation' }).click();
    await expect.poll(() => status(page), WAIT).toBe('Cancelled · 0 of 10 kept');
    expect(await page.locator('#sheet-status').getAttribute('data-tone')).toBe('stopped');
    await waitFor(async () => generator.held.length === 0, 'the held requests were cancelled');
    expect(await page.locator('#sheet-slots .slot-state', { hasText: /^Cancelled$/ }).count()).toBe(10);
    expect(await page.getByRole('button', { name: 'Cancel generation' }).isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sheet-status');
    await shots(page, 'controls-cancelled');

    generator.release();
    await page.getByRole('button', { name: 'Retry failed (10)' }).click();
    await expect.poll(() => status(page), WAIT).toBe('Completed');
    await expect.poll(() => loadedImages(page), WAIT).toBe(10);
    expect(await page.getByRole('button', { name: /^Retry failed/ }).isVisible()).toBe(false);
  });

  it('shows a set with a failed image as completed with failures, and retries it to completed', async () => {
    const page = await openPage(harness());
    generator.failing.add('action_pose');
    await create(page, 'Tamsin Reed');
    await expect.poll(() => status(page), WAIT).toBe('Completed · 9 of 10, 1 failed');
    expect(await page.locator('#sheet-status').getAttribute('data-tone')).toBe('partial');
    expect(await slot(page, 'action_pose').locator('.slot-state').textContent()).toMatch(/^Failed: .*injected failure for action_pose/);
    await shots(page, 'controls-completed-with-failures');

    generator.failing.delete('action_pose');
    await page.getByRole('button', { name: 'Retry failed (1)' }).click();
    await expect.poll(() => status(page), WAIT).toBe('Completed');
    await expect.poll(() => loadedImages(page), WAIT).toBe(10);
  });

  it('says an internal failure of a control in plain words, without the server\'s text', async () => {
    const page = await openPage(harness());
    await create(page, 'Ivo Brandt');
    await expect.poll(() => status(page), WAIT).toBe('Completed');
    // The service answers the regenerate with an internal error, as a crashed resolver would.
    const internal = 'E11000 duplicate key error at /srv/charsheet/data';
    await page.route('**/graphql', async (route) => {
      if (!route.request().postData()?.includes('RegenerateVariation')) return route.continue();
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ errors: [{ message: internal, extensions: { code: 'INTERNAL_SERVER_ERROR' } }], data: null }) });
    });
    await page.getByRole('button', { name: 'Regenerate Portrait front' }).click();
    await expect.poll(() => page.locator('#sheet-message').textContent(), WAIT).toBe(SERVER_TROUBLE);
    expect(await page.content()).not.toContain(internal);
    expect(await page.getByRole('button', { name: 'Regenerate Portrait front' }).isEnabled()).toBe(true);
  });

  it('deletes after a confirmation dialog: Escape keeps the character, Delete removes it and both tabs close the sheet', async () => {
    const { service, client, browser } = harness();
    const page = await openPage(harness());
    const name = 'Pell Ashdown';
    const characterId = await create(page, name);
    await expect.poll(() => status(page), WAIT).toBe('Completed');
    const other = await browser.newPage();
    await other.goto(`${service.url}/#${characterId}`);
    await expect.poll(() => other.locator('#sheet-name').textContent(), WAIT).toBe(name);

    const deleteButton = page.getByRole('button', { name: 'Delete character' });
    const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
    await deleteButton.click();
    await expect.poll(() => dialog.isVisible(), WAIT).toBe(true);
    // Focus starts on the harmless choice; Escape closes the dialog and gives focus back.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep');
    await shots(page, 'controls-delete-dialog');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible(), WAIT).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sheet-delete');
    expect((await client.request(CharacterDocument, { id: characterId })).character.name).toBe(name);

    await deleteButton.click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('#sheet').isHidden(), WAIT).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: 'was deleted' }).textContent()).toBe(`${name} was deleted.`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('placeholder-heading');
    expect(await page.evaluate(() => location.hash)).toBe('');
    await expect.poll(() => page.locator('#character-list').textContent(), WAIT).not.toContain(name);
    // The other tab hears the deletion and closes its sheet too.
    await expect.poll(() => other.locator('#sheet').isHidden(), WAIT).toBe(true);
    const gone = await client.execute(CharacterDocument, { id: characterId });
    expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await shots(page, 'controls-deleted');
  });
});
