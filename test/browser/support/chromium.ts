// Headless Chromium for the browser tests: Debian's package driven by playwright-core, a fresh profile per
// launch, and a record of every request and WebSocket the pages open, so tests can prove nothing left the host.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../../test-artifacts/browser');

/**
 * Without Chromium the browser tests skip on a developer's machine, with the reason; under CI they run and
 * fail on the missing browser, because .ci/run installs it.
 */
export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM_PATH) || process.env.CI) return null;
  return `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH); they always run under CI`;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** Every URL requested by any page or worker, WebSockets included, in order. */
  requests: string[];
  /** Console errors and uncaught exceptions, e.g. a Content-Security-Policy refusal. */
  pageErrors: string[];
  newPage(): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'charsheet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const requests: string[] = [];
  const pageErrors: string[] = [];
  const watch = (page: Page) => {
    page.on('request', (request) => requests.push(request.url()));
    page.on('websocket', (socket) => requests.push(socket.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  await mkdir(ARTIFACTS_DIR, { recursive: true });

  return {
    context,
    requests,
    pageErrors,
    newPage: () => context.newPage(),
    screenshot: async (page, name) => void (await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true })),
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** URLs that went to a network host other than 127.0.0.1 (data: and blob: never leave the page). */
export function requestsLeavingHost(urls: readonly string[]): string[] {
  return urls.filter((url) => {
    const parsed = new URL(url);
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return false;
    return parsed.hostname !== '127.0.0.1';
  });
}
