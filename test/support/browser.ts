/**
 * The customer's real browser for end-to-end tests: Debian's Chromium driven by playwright-core.
 * Each test opens its pages with `browser.newPage(options)` (a page in its own context, which
 * closes with the page or with the browser).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
/**
 * No sandbox (containers and CI run as root without user namespaces), no GPU, and nothing the
 * browser would fetch or update by itself behind the test's back.
 */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** An iPhone-sized screen: the customer most likely opens the email on a phone. */
export const PHONE = { width: 390, height: 844 };
/** A phone's browser says who it is; headless Chromium's own user agent names it a robot. */
const PHONE_CHROME_AGENT =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

/** A page as a customer's phone opens the emailed link, in the customer's language (e.g. 'fr-FR'). */
export function onAPhone(locale: string): BrowserContextOptions {
  return { viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, acceptDownloads: true, locale, userAgent: PHONE_CHROME_AGENT };
}

/** A laptop's screen and browser: the reader at their desk, mouse in hand. */
export const DESKTOP = { width: 1280, height: 800 };
const DESKTOP_CHROME_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** A page as a customer's desktop browser opens the emailed link, in the customer's language. */
export function onADesktop(locale: string): BrowserContextOptions {
  return { viewport: DESKTOP, locale, userAgent: DESKTOP_CHROME_AGENT };
}

/**
 * Where the run keeps its screenshots for a person to look at: .data/screenshots/ in the
 * checkout (ignored by git, left after the run, CI's artifacts), one file per name.
 */
export const SCREENSHOTS = path.join(__dirname, '../../.data/screenshots');

/** Keeps what the page shows now as .data/screenshots/<name>.png (the whole page unless `fullPage: false`). */
export async function keepScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? true });
}
