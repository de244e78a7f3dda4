/**
 * Which page images a many-page proof costs each screen, read from the requests Debian's
 * Chromium makes (the DevTools protocol's, which say each request's priority):
 * - on a phone, before any scroll, page 1's preview first and at high priority, the later
 *   pages lazily (at low priority, only as far as the browser's lazy-loading distance: never
 *   the last ones), all at
 *   the 800 px width the phone's screen needs; scrolled to the end, each page once, still
 *   800 px; nothing moved as they arrived (each box reserved);
 * - on a laptop's 2× screen, the 1600 px preview the page column needs there.
 * The zoom still loads its full-size image on demand (proof-browser.test.ts).
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { DESKTOP, onAPhone } from '../support/browser';
import { eventually } from '../support/eventually';
import { sentTextProof } from '../support/proof-uploads';
import { proofBrowserWorld } from '../support/proof-viewer';

const PAGES = 12;

const world = proofBrowserWorld('Imprimerie Vélin');

interface ImageRequest {
  page: number;
  /** The `size` asked ("small", "thumbnail"…; "preview" without one). */
  size: string;
  /** Chromium's priority when it sent the request ("High", "Low"…). */
  priority: string;
}

/** The proof opened in a fresh context (a cold cache), each page image it requests recorded in order. */
async function openRecordingImages(options: BrowserContextOptions, url: string): Promise<{ page: Page; requests: ImageRequest[] }> {
  const context = await world.browser.newContext(options);
  const page = await context.newPage();
  const session = await context.newCDPSession(page);
  const requests: ImageRequest[] = [];
  session.on('Network.requestWillBeSent', ({ request }) => {
    const address = new URL(request.url);
    const position = address.pathname.match(/\/pages\/(\d+)$/)?.[1];
    if (position) requests.push({ page: Number(position), size: address.searchParams.get('size') ?? 'preview', priority: request.initialPriority });
  });
  await session.send('Network.enable');
  await page.goto(url, { waitUntil: 'networkidle' });
  return { page, requests };
}

const previewsOf = (requests: ImageRequest[]) => requests.filter((request) => request.size !== 'thumbnail');

/** What the page does without the reader: no DOM types in this project, so each names what it reads. */
interface BrowserWindow {
  PerformanceObserver: new (callback: (list: { getEntries(): { value: number }[] }) => void) => { observe(options: { type: string; buffered: boolean }): void };
  innerHeight: number;
  scrollY: number;
  scrollBy(x: number, y: number): void;
  document: { documentElement: { scrollHeight: number } };
}

/** Scrolls a screen at a time, as a reader would, to the end. */
async function scrollToTheEnd(page: Page): Promise<void> {
  const scrollAScreen = () =>
    page.evaluate(() => {
      const window = globalThis as unknown as BrowserWindow;
      window.scrollBy(0, window.innerHeight);
      return window.scrollY + window.innerHeight >= window.document.documentElement.scrollHeight - 1;
    });
  while (!(await scrollAScreen())) await page.waitForTimeout(100);
}

/** The layout shifts so far, added up (the Cumulative Layout Shift without its windows: an upper bound). */
const layoutShift = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const window = globalThis as unknown as BrowserWindow;
        let total = 0;
        new window.PerformanceObserver((list) => {
          for (const entry of list.getEntries()) total += entry.value;
        }).observe({ type: 'layout-shift', buffered: true });
        // Buffered entries come in the observer's first call, right after observe.
        setTimeout(() => resolve(total), 200);
      }),
  );

const currentSource = (page: Page, n: number) => page.locator(`figure[data-page="${n}"] a.zoom img`).evaluate((image) => (image as unknown as { currentSrc: string }).currentSrc);

let proofUrl: string;
beforeAll(async () => {
  proofUrl = (await sentTextProof(world.stack, world.apiKey, world.recipient, PAGES)).url;
}, 180_000);

it('on a phone: page 1 first, at high priority, the last pages only once scrolled near, every preview at the phone’s 800 px, nothing moving', async () => {
  const { page, requests } = await openRecordingImages(onAPhone('fr-FR'), proofUrl);
  const before = previewsOf(requests);
  expect(before[0]).toEqual({ page: 1, size: 'small', priority: 'High' });
  // Every later page waits for the reader to come near (lazy), and then comes after what is on screen.
  expect(new Set(before.slice(1).map((request) => request.priority))).toEqual(new Set(['Low']));
  // Lazy: the pages fetched are those near the first screen, never the last ones.
  const pagesBefore = before.map((request) => request.page);
  expect(pagesBefore).toEqual(Array.from({ length: pagesBefore.length }, (_, index) => index + 1));
  expect(pagesBefore.length).toBeLessThan(PAGES / 2);
  expect(new Set(before.map((request) => request.size))).toEqual(new Set(['small']));
  expect(await currentSource(page, 1)).toMatch(/\/pages\/1\?revision=1&size=small$/);

  await scrollToTheEnd(page);
  const all = await eventually(async () => (previewsOf(requests).length >= PAGES ? previewsOf(requests) : undefined), { what: 'every page’s preview requested' });
  expect(all.map((request) => request.page)).toEqual(Array.from({ length: PAGES }, (_, index) => index + 1));
  expect(new Set(all.map((request) => request.size))).toEqual(new Set(['small']));
  expect(await layoutShift(page)).toBeLessThan(0.01);
  await page.context().close();
}, 120_000);

it('on a laptop’s 2× screen: the 1600 px preview, page 1 first at high priority', async () => {
  const { page, requests } = await openRecordingImages({ viewport: DESKTOP, deviceScaleFactor: 2, locale: 'fr-FR' }, proofUrl);
  const before = previewsOf(requests);
  expect(before[0]).toEqual({ page: 1, size: 'preview', priority: 'High' });
  expect(new Set(before.map((request) => request.size))).toEqual(new Set(['preview']));
  expect(await currentSource(page, 1)).toMatch(/\/pages\/1\?revision=1$/);
  await page.context().close();
}, 120_000);
