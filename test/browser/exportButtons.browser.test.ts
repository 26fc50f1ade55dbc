// The sheet's export buttons: once the set has finished, a click asks for the training set and the browser
// saves the zip, which holds the trainer's layout. With an access token, the download carries it.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { AUDIENCE, hs256Token, ISSUER, SECRET } from '../auth/support/tokens.js';
import { unzip } from '../exports/support/unzip.js';
import { FailingGenerator } from '../support/generators.js';
import { browserSkipReason } from './support/chromium.js';
import { useBrowserHarness } from './support/harness.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

async function create(page: Page, name: string): Promise<void> {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Name').press('Enter');
}

const sheetStatus = (page: Page) => page.locator('#sheet-status').textContent();

/** Clicks the format's button and reads back the zip the browser saved. */
async function exportFromPage(page: Page, buttonName: string) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: buttonName }).click()]);
  const saved = await download.path();
  return { fileName: download.suggestedFilename(), files: await unzip(await readFile(saved)) };
}

describe.skipIf(skipReason !== null)('export buttons on the sheet, in Chromium', () => {
  const harness = useBrowserHarness({ generator: new FailingGenerator(new Set(['action_pose']), false) });

  it('downloads a kohya zip of the nine completed images and says which variation was left out', async () => {
    const { service, browser } = harness();
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);
    await create(page, 'Tamsin Reed');
    await expect.poll(() => sheetStatus(page), { timeout: 30_000 }).toBe('Completed · 9 of 10, 1 failed');

    const { fileName, files } = await exportFromPage(page, 'kohya / sd-scripts');
    expect(fileName).toMatch(/^tamsin-reed-[0-9a-f]{8}-kohya\.zip$/);
    expect([...files.keys()].filter((path) => path.endsWith('.png'))).toHaveLength(9);
    expect(files.has('dataset.toml')).toBe(true);
    expect(files.has('img/12_tamsin_reed character/action_pose.png')).toBe(false);
    await expect.poll(() => page.getByRole('status').textContent()).toBe('kohya / sd-scripts: 9 images, trigger word tamsin_reed, 1 left out (action_pose)');
    await browser.screenshot(page, 'sheet-exports');
  });
});

describe.skipIf(skipReason !== null)('export buttons with an access token, in Chromium', () => {
  const harness = useBrowserHarness({ env: { AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE } });

  it('shows the buttons once the set has finished, and downloads the zip with the token /files/ requires', async () => {
    const { service, browser, release } = harness();
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);
    await page.evaluate((token) => sessionStorage.setItem('charsheet.accessToken', token), await hs256Token('ada', { expiresIn: 600 }));
    await page.reload();
    await create(page, 'Ada Quill');
    await expect.poll(() => sheetStatus(page), { timeout: 30_000 }).toMatch(/^(Waiting to start|Generating)$/);
    expect(await page.getByRole('button', { name: 'diffusers' }).isVisible()).toBe(false);
    release();
    await expect.poll(() => sheetStatus(page), { timeout: 30_000 }).toBe('Completed');

    const zipRequest = page.waitForRequest((request) => request.url().includes('/exports/'));
    const { fileName, files } = await exportFromPage(page, 'diffusers');
    const request = await zipRequest;
    const [url, headers] = [request.url(), await request.allHeaders()];
    expect(headers.authorization).toMatch(/^Bearer /);
    expect((await fetch(url)).status).toBe(401);
    expect(fileName).toMatch(/^ada-quill-[0-9a-f]{8}-diffusers\.zip$/);
    expect(files.has('train/metadata.jsonl')).toBe(true);
    expect([...files.keys()].filter((path) => path.endsWith('.png'))).toHaveLength(10);
  });
});
