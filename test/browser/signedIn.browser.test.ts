// The page outside development mode: the user pastes a bearer token, and everything the page loads (GraphQL,
// the live subscription, owner-only images under /files/, the playground it links to) carries it.
import { describe, expect, it } from 'vitest';
import { AUDIENCE, hs256Token, ISSUER, SECRET } from '../auth/support/tokens.js';
import { browserSkipReason, requestsLeavingHost } from './support/chromium.js';
import { useBrowserHarness } from './support/harness.js';
import { playgroundResponse, runInPlayground } from './support/playground.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('web page with an access token, in Chromium', () => {
  const harness = useBrowserHarness({ env: { AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE } });

  it("shows the signed-in user's sheet, images included, though /files/ refuses requests without the token", async () => {
    const { service, browser, release } = harness();
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);
    await expect.poll(() => page.getByRole('alert').textContent()).not.toBe('');

    await page.getByText(/^Access token/).click();
    await page.getByLabel('Bearer token from your login').fill(await hs256Token('ada', { expiresIn: 600 }));
    await page.getByLabel('Bearer token from your login').press('Enter');
    await expect.poll(() => page.locator('#access-state').textContent()).toBe('Signed in with a token');

    release();
    await page.getByLabel('Name').fill('Ada Quill');
    await page.getByLabel('Description').fill('an inventor with brass goggles');
    await page.getByLabel('Name').press('Enter');
    await expect.poll(() => page.locator('#sheet-status').textContent(), { timeout: 30_000 }).toBe('Completed');
    await expect
      .poll(() => page.locator('#sheet img').evaluateAll((images) => images.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length), { timeout: 30_000 })
      .toBe(11);
    const avatarUrl = await page.locator('#sheet-avatar').getAttribute('data-source');
    expect((await fetch(avatarUrl ?? '')).status).toBe(401);
    await browser.screenshot(page, 'signed-in-sheet');

    // The sheet's playground link carries the token along: the subscription is accepted and answers 'done'.
    await page.getByRole('link', { name: 'Watch in the playground' }).click();
    await page.waitForURL(/\/graphql\?characterId=/);
    const characterId = await page.evaluate(() => new URLSearchParams(location.search).get('characterId'));
    await runInPlayground(page, { variables: characterId ?? 'missing', headers: '"authorization": "Bearer ' });
    await expect.poll(() => playgroundResponse(page), { timeout: 30_000 }).toContain('"kind": "done"');

    expect(requestsLeavingHost(browser.requests)).toEqual([]);
  });
});
