// Driving GraphiQL like a user: it reads variables and headers from their editors when Run is pressed, and
// an editor Monaco has not mounted yet reads as empty. So wait until the editors show what the run needs.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The playground's editor tools pane (variables or headers), with Monaco's non-breaking spaces made plain. */
async function editorToolText(page: Page): Promise<string> {
  return (await page.locator('.graphiql-editor-tool').innerText()).replace(/\s+/g, ' ');
}

export async function runInPlayground(page: Page, expected: { variables: string; headers?: string }): Promise<void> {
  await page.locator('.graphiql-container').waitFor();
  await expect.poll(() => editorToolText(page)).toContain(expected.variables);
  if (expected.headers) {
    await page.getByRole('button', { name: 'Headers' }).click();
    await expect.poll(() => editorToolText(page)).toContain(expected.headers);
  }
  await page.getByRole('button', { name: /execute/i }).first().click();
}

export async function playgroundResponse(page: Page): Promise<string> {
  return (await page.locator('.graphiql-response').innerText()).replace(/\s+/g, ' ');
}
