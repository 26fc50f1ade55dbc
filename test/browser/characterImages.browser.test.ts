// The sheet's "new image" box: the prompt (with an optional seed) asks for an image, which shows as pending
// and then, live, as the character in that setting; a negative seed is refused by the form before anything is asked for.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSkipReason } from './support/chromium.js';
import { useBrowserHarness } from './support/harness.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

async function create(page: Page, name: string): Promise<void> {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Name').press('Enter');
}

describe.skipIf(skipReason !== null)('the new image box on the sheet, in Chromium', () => {
  const harness = useBrowserHarness();

  it('generates an image from the prompt and shows it when it arrives', async () => {
    const { service, browser, release } = harness();
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);
    await create(page, 'Juno Park');
    const images = page.getByRole('list', { name: 'Generated images' });

    await page.getByLabel('Image seed').fill('-4');
    await page.getByLabel('What to show').fill('waving on a beach at night');
    await page.getByRole('button', { name: 'Generate image' }).click();
    // The browser's own check refuses it before anything is asked for.
    expect(await page.getByLabel('Image seed').evaluate((element: HTMLInputElement) => element.validity.rangeUnderflow)).toBe(true);
    expect(await images.locator('li').count()).toBe(0);

    await page.getByLabel('Image seed').fill('12');
    await page.getByRole('button', { name: 'Generate image' }).click();
    release();
    const picture = images.getByRole('img', { name: 'Juno Park: waving on a beach at night' });
    await expect.poll(() => picture.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await images.locator('li').first().textContent()).toContain('seed 12');
    await browser.screenshot(page, 'sheet-new-image');
  });
});
