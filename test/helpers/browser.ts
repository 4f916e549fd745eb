/**
 * Debian's Chromium for the end-to-end tests: headless, offline, a fresh profile per test, one page open
 * at `url` (see deploy/browser.ts for the flags and the idempotent install).
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../../deploy/browser.js';

/** Launches Chromium with its profile in `profileDir` and opens `url` in a page `height` pixels tall. */
export async function openPage(profileDir: string, url: string, height: number): Promise<{ browser: BrowserContext; page: Page }> {
  const browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: ensureChromium(),
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1400, height },
  });
  const page = await browser.newPage();
  await page.goto(url);
  return { browser, page };
}
