// The page as a person uses it on a phone (390 px) and on a desk: the list comes a page at a time, opening a
// character brings its sheet into view, the form keeps what was typed after a character is created, and an
// internal server failure is told in plain words, never as the server's own text.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CreateCharacterDocument } from '../../src/generated/graphql/graphql.js';
import { OfflineRenderer } from '../../src/generators/offline/index.js';
import type { GeneratedImage, ImageGenerator, ImageRequest } from '../../src/ports.js';
import { PAGE_SIZE } from '../../web/src/app/characterList.js';
import { SERVER_TROUBLE } from '../../web/src/app/userMessages.js';
import { ARTIFACTS_DIR, browserSkipReason } from './support/chromium.js';
import { useBrowserHarness } from './support/harness.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

const BROKEN = 'Broken Mirror';
const SERVER_FOLDER = '/srv/charsheet/objects';

/** The offline renderer, except that one character's avatar fails as an unexpected error would. */
class OneBrokenAvatar implements ImageGenerator {
  readonly name = 'offline';
  private readonly renderer = new OfflineRenderer();
  async generate(request: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage> {
    if (request.variation === 'avatar' && request.subject.name === BROKEN) throw new Error(`EACCES: permission denied, open '${SERVER_FOLDER}/a.png'`);
    return this.renderer.generate(request, signal);
  }
}

/** Where the sheet's heading is in the viewport: [top, bottom] in CSS pixels. */
async function headingSpan(page: Page): Promise<[number, number]> {
  return page.locator('#sheet-name').evaluate((heading) => {
    const box = heading.getBoundingClientRect();
    return [box.top, box.bottom];
  });
}

async function inView(page: Page): Promise<boolean> {
  const [top, bottom] = await headingSpan(page);
  const height = page.viewportSize()?.height ?? 0;
  return top >= 0 && bottom <= height;
}

const viewportShot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) });

describe.skipIf(skipReason !== null)('the page on a phone and on a desk, in Chromium', () => {
  const harness = useBrowserHarness({ generator: new OneBrokenAvatar() });
  const total = PAGE_SIZE + 4;

  it('pages the list and scrolls to the sheet it opens, at 390 px', async () => {
    const { service, client, browser } = harness();
    for (let i = 1; i <= total; i++) await client.request(CreateCharacterDocument, { input: { name: `Traveller ${String(i).padStart(2, '0')}` } });
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${service.url}/`);

    const entries = page.locator('#character-list button');
    await expect.poll(() => entries.count()).toBe(PAGE_SIZE);
    expect(await entries.first().textContent()).toContain(`Traveller ${total}`);
    expect(await page.getByRole('button', { name: 'Newer' }).isDisabled()).toBe(true);
    expect(await page.locator('#list-page').textContent()).toBe('Page 1');
    await browser.screenshot(page, 'phone-list-page-1');

    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => entries.count()).toBe(total - PAGE_SIZE);
    expect(await entries.first().textContent()).toContain(`Traveller ${String(total - PAGE_SIZE).padStart(2, '0')}`);
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    expect(await page.locator('#list-page').textContent()).toBe('Page 2');

    // The sheet sits below the form and the list: opening a character must take the reader there.
    await entries.first().click();
    await expect.poll(() => page.locator('#sheet-name').textContent()).toBe('Traveller 04');
    await expect.poll(() => inView(page), { timeout: 10_000 }).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sheet-name');
    await viewportShot(page, 'phone-sheet-opened');

    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => entries.count()).toBe(PAGE_SIZE);
  });

  it('keeps the form filled in after creating a character, and shows the new sheet', async () => {
    const { service, browser } = harness();
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${service.url}/`);
    const typed = { name: 'Oriel Vance', description: 'a lighthouse keeper', traits: 'hair: grey\neyes: blue', style: 'ink wash', seed: '77' };
    for (const [id, value] of Object.entries(typed)) await page.locator(`#${id}`).fill(value);
    await page.getByRole('button', { name: 'Create character' }).click();

    await expect.poll(() => page.locator('#sheet-name').textContent()).toBe(typed.name);
    await expect.poll(() => inView(page), { timeout: 10_000 }).toBe(true);
    for (const [id, value] of Object.entries(typed)) expect(await page.locator(`#${id}`).inputValue(), id).toBe(value);
    // The new character heads the first page of the list, marked as the one shown.
    await expect.poll(() => page.locator('#character-list button[aria-current="true"]').textContent()).toContain(typed.name);
    expect(await page.locator('#list-page').textContent()).toBe('Page 1');
    await browser.screenshot(page, 'phone-after-create');
  });

  it('says an internal failure in plain words, without the server\'s text', async () => {
    const { service, browser } = harness();
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);
    await page.getByLabel('Name').fill(BROKEN);
    await page.getByRole('button', { name: 'Create character' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe(SERVER_TROUBLE);
    expect(await page.content()).not.toContain(SERVER_FOLDER);
    expect(await page.locator('#name').inputValue()).toBe(BROKEN);
    await viewportShot(page, 'desktop-internal-error');
  });

  it('opens a sheet beside the list on a desk without moving the page', async () => {
    const { service, browser } = harness();
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${service.url}/`);
    await page.locator('#character-list button').nth(1).click();
    await expect.poll(() => page.locator('#sheet-status').textContent(), { timeout: 30_000 }).toBe('Completed');
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(await inView(page)).toBe(true);
    await viewportShot(page, 'desktop-sheet-opened');
  });
});
