// A variation that keeps failing: its slot says why, the other nine fill in, and the set completes with
// failures, said as such (not a plain "Completed").
import { describe, expect, it } from 'vitest';
import { FailingGenerator } from '../support/generators.js';
import { browserSkipReason } from './support/chromium.js';
import { useBrowserHarness } from './support/harness.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('a failed variation on the page, in Chromium', () => {
  const harness = useBrowserHarness({ generator: new FailingGenerator(new Set(['action_pose']), false) });

  it('shows the failed slot with its error beside nine images', async () => {
    const { service, browser } = harness();
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);
    await page.getByLabel('Name').fill('Tamsin Reed');
    await page.getByLabel('Description').fill('a falconer in a patched coat');
    await page.getByLabel('Name').press('Enter');

    // Not a plain green "Completed": the status says how many images the set lacks.
    await expect.poll(() => page.locator('#sheet-status').textContent(), { timeout: 30_000 }).toBe('Completed · 9 of 10, 1 failed');
    expect(await page.locator('#sheet-status').getAttribute('data-tone')).toBe('partial');
    const failedSlot = page.locator('#sheet-slots > li[data-variation="action_pose"]');
    await expect.poll(() => failedSlot.locator('.slot-state').textContent()).toMatch(/^Failed: .*injected failure for action_pose/);
    expect(await failedSlot.locator('img').count()).toBe(0);
    await expect.poll(() => page.locator('#sheet-slots img').count()).toBe(9);
    expect(await page.locator('#sheet-count').textContent()).toBe('9 of 10 done, 1 failed');
    await browser.screenshot(page, 'sheet-failed-slot');
  });
});
