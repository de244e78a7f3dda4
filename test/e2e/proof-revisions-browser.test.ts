/**
 * A 16-page proof's second revision, reviewed in a real browser (Debian's Chromium driven by
 * playwright-core) on a desktop and a phone, and without JavaScript:
 *
 * - the customer asked for changes with two pins; the seller marked the first done through the
 *   API; revision 2's email names it, and its page says "Révision 2, suite à vos demandes du …",
 *   lists what was asked (done or not) and draws revision 1's pins, the done one ticked;
 * - the customer compares revision 2 with revision 1: side by side (the same page of each, next
 *   to each other), then overlaid — identical pixels cancel to black and the changed text stands
 *   out, measured in a screenshot of the page — also without the script;
 * - and approves revision 2 from the comparison.
 *
 * Screenshots are kept in .data/screenshots (proof-revisions-*.png) for a person to look at.
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { formattersFor, MESSAGES, PROOF_MESSAGES } from '../../api/portal/i18n';
import path from 'node:path';
import { launchChromium, onAPhone, keepScreenshot, SCREENSHOTS } from '../support/browser';
import { documentEvents, greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { eventually } from '../support/eventually';
import { recipientsOf } from '../support/outbox';
import { sentTextProof, textPdf, uploadRevision } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';

const t = PROOF_MESSAGES.fr;
const unique = () => randomBytes(4).toString('hex');
const PAGES = 16;
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'fr-FR' };
const PHONE = onAPhone('fr-FR');

let stack: Stack;
let api: GreenlightClient;
let apiKey: string;
let browser: Browser;
const contactEmail = `zoe-${unique()}@librairie.example`;
let revision2: { url: string; subject: string; requestedAt: Date; proofId: string };

/** The two pins asked on revision 1: the first marked done by the seller. */
const PINS = [
  { page: 3, x: 0.3, y: 0.2, comment: 'Logo plus grand' },
  { page: 5, x: 0.6, y: 0.7, comment: 'Adresse en gras' },
];

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant(`Imprimerie Révisions ${unique()}`));
  api = greenlightClient(stack.baseUrl, apiKey);
  browser = await launchChromium();
  const customerId = (await succeeded(api.POST('/v1/customers', { body: { name: 'Librairie Sève', locale: 'fr' } }))).id;
  const contactId = (await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customerId } }, body: { name: 'Zoë Dupré', email: contactEmail } }))).id;
  const proof = await sentTextProof(stack, apiKey, { customerId, contactId, contactEmail }, PAGES);
  const asked = await fetch(`${proof.url}/request-changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ revision: 1, comment: 'Le titre en bleu partout.', pins: PINS }),
  });
  expect(asked.status).toBe(200);
  await succeeded(api.PATCH('/v1/documents/{id}/revisions/{number}/pins/{pin}', { params: { path: { id: proof.id, number: 1, pin: 1 } }, body: { resolved: true } }), 200);
  const { number } = await succeeded(api.GET('/v1/documents/{id}', { params: { path: { id: proof.id } } }));
  expect((await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'r2.pdf', bytes: await textPdf(`${number} R2`, PAGES) }])).status).toBe(201);
  const email = await eventually(
    async () => (await stack.readOutbox()).find((candidate) => recipientsOf(candidate).includes(contactEmail) && candidate.subject.startsWith(`Révision 2 du BAT ${number}`)),
    { what: 'the email of revision 2', timeoutMs: 120_000 },
  );
  const events = await documentEvents(api, proof.id);
  revision2 = {
    url: email.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`))!,
    subject: email.subject,
    requestedAt: new Date(events.find((event) => event.type === 'changes_requested')!.at),
    proofId: proof.id,
  };
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

interface BlendReader {
  getComputedStyle(element: unknown): { mixBlendMode: string };
}

const plain = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Revision 2 says what it follows, what was asked and what was done; revision 1's pins on its pages, the done one ticked. */
async function checkAnnounced(page: Page): Promise<void> {
  expect(plain(await page.locator('#answers-heading').innerText())).toBe(plain(t.follows(2, formattersFor('fr').date(revision2.requestedAt))));
  const asked = page.getByRole('region', { name: plain(t.follows(2, formattersFor('fr').date(revision2.requestedAt))) });
  expect(plain(await asked.locator('li').nth(0).innerText())).toBe(`${t.pinLabel(1, 3)} — Logo plus grand — ✓ ${t.pinDone}`);
  expect(plain(await asked.locator('li').nth(1).innerText())).toBe(`${t.pinLabel(2, 5)} — Adresse en gras — ${t.pinOpen}`);
  expect(await page.locator('figure[data-page="3"] .pin.earlier.resolved').getAttribute('title')).toBe(`${t.revision(1)} — Logo plus grand (${t.pinDone})`);
  expect(await page.locator('figure[data-page="5"] .pin.earlier:not(.resolved)').getAttribute('title')).toBe(`${t.revision(1)} — Adresse en gras (${t.pinOpen})`);
}

/** Side by side: each page of revision 1 left of the same page of revision 2, at the same height. */
async function checkSideBySide(page: Page): Promise<void> {
  await page.getByRole('heading', { name: t.compareHeading(2, 1) }).waitFor();
  expect(await page.locator('figure.proof-page').count()).toBe(PAGES);
  const images = page.locator('figure[data-page="1"] .compare-pair img');
  expect(await images.evaluateAll((found) => found.map((image) => new URL((image as unknown as { src: string }).src).searchParams.get('revision')))).toEqual(['1', '2']);
  const [left, right] = [(await images.nth(0).boundingBox())!, (await images.nth(1).boundingBox())!];
  expect(left.x + left.width).toBeLessThanOrEqual(right.x);
  expect(left.y).toBeCloseTo(right.y, 0);
}

/**
 * Overlaid, revision 1 is blended over revision 2 with `difference`: what did not change is black,
 * the changed text ("R2" in each page's line) stands out. Measured in a screenshot of page 1.
 */
async function checkOverlay(page: Page, screenshot: string): Promise<void> {
  await page.getByText(t.overlayHint).waitFor();
  const overlay = page.locator('figure[data-page="1"] .page-image.overlay');
  // Both previews decoded before the screenshot (page 1 is not lazy, but may still be arriving).
  await overlay.locator('img').evaluateAll((images) => Promise.all(images.map((image) => (image as unknown as { decode(): Promise<void> }).decode())));
  expect(await overlay.locator('img').nth(1).evaluate((image) => (globalThis as unknown as BlendReader).getComputedStyle(image).mixBlendMode)).toBe('difference');
  const stats = await sharp(await overlay.screenshot({ path: screenshot })).greyscale().stats();
  const [grey] = stats.channels;
  // Mostly black (the unchanged white paper cancels out), with bright strokes where the text changed.
  expect(grey!.mean).toBeLessThan(25);
  expect(grey!.max).toBeGreaterThan(200);
}

it('on a desktop: revision 2 announced for what it follows, revision 1 pins marked, compared side by side and overlaid, then approved', async () => {
  expect(revision2.subject).toMatch(/^Révision 2 du BAT /);
  const page = await browser.newPage(DESKTOP);
  await page.goto(revision2.url);
  await checkAnnounced(page);
  await keepScreenshot(page, 'proof-revisions-desktop-announced', { fullPage: false });
  await page.locator('figure[data-page="3"]').scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'proof-revisions-desktop-pins', { fullPage: false });

  await page.getByRole('link', { name: t.compareWith(1) }).click();
  expect(new URL(page.url()).searchParams.get('compare')).toBe('1');
  await checkSideBySide(page);
  // The page toolbar still steps through the compared pages.
  await page.locator('nav.thumbnails a[href="#page-4"]').click();
  await page.locator('.page-indicator', { hasText: t.pageOf(4, PAGES) }).waitFor({ timeout: 15_000 });
  await keepScreenshot(page, 'proof-revisions-desktop-side-by-side', { fullPage: false });

  await page.getByRole('link', { name: t.overlay }).click();
  await checkOverlay(page, path.join(SCREENSHOTS, 'proof-revisions-desktop-overlay.png'));
  await keepScreenshot(page, 'proof-revisions-desktop-overlay-page', { fullPage: false });

  // The decision is at hand in the comparison too.
  await page.getByRole('button', { name: t.approve(2) }).click();
  await page.getByText(MESSAGES.fr.decided.approve).waitFor();
  expect((await succeeded(api.GET('/v1/documents/{id}', { params: { path: { id: revision2.proofId } } }))).status).toBe('approved');
  await page.close();
}, 240_000);

it('on a phone, and without JavaScript: the same announcement, comparison and overlay', async () => {
  for (const [name, options] of [
    ['phone', PHONE],
    ['no-script', { ...DESKTOP, javaScriptEnabled: false }],
  ] as const) {
    const page = await browser.newPage(options);
    await page.goto(revision2.url);
    await checkAnnounced(page);
    await keepScreenshot(page, `proof-revisions-${name}-announced`, { fullPage: false });
    await page.getByRole('link', { name: t.compareWith(1) }).click();
    await checkSideBySide(page);
    await keepScreenshot(page, `proof-revisions-${name}-side-by-side`, { fullPage: false });
    await page.getByRole('link', { name: t.overlay }).click();
    await checkOverlay(page, path.join(SCREENSHOTS, `proof-revisions-${name}-overlay.png`));
    await page.getByRole('link', { name: t.leaveCompare }).click();
    await page.locator('#answers-heading').waitFor();
    await page.close();
  }
}, 240_000);

interface ImageBox {
  naturalWidth: number;
  getBoundingClientRect(): { width: number; height: number };
}
interface LensStyle {
  hidden: boolean;
  style: { backgroundImage: string; left: string; top: string };
}

it('on a desktop: a magnifier follows the mouse over a page, and the zoom view has its levels and steps through the pages', async () => {
  const page = await browser.newPage(DESKTOP);
  await page.goto(`${revision2.url}?revision=2`);
  const preview = page.locator('figure[data-page="1"] a.zoom img');
  await preview.evaluate((image) => (image as unknown as { decode(): Promise<void> }).decode());
  const box = (await preview.boundingBox())!;

  // Hovered, the lens is there, centred on the pointer, drawn from the page's own preview; gone when the mouse leaves.
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.1);
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.12);
  const lens = page.locator('.magnifier');
  await lens.waitFor();
  const seen = await lens.evaluate((element) => {
    const { hidden, style } = element as unknown as LensStyle;
    return { hidden, backgroundImage: style.backgroundImage, left: style.left, top: style.top };
  });
  expect(seen.hidden).toBe(false);
  expect(seen.backgroundImage).toMatch(/\/pages\/1\?revision=2/);
  expect([parseFloat(seen.left), parseFloat(seen.top)]).toEqual([expect.closeTo(box.x + box.width * 0.4, 0), expect.closeTo(box.y + box.height * 0.12, 0)]);
  await keepScreenshot(page, 'proof-revisions-desktop-magnifier', { fullPage: false });
  await page.mouse.move(5, 5);
  await lens.waitFor({ state: 'hidden' });

  // The zoom opens at 100 %, one image pixel a screen pixel; the whole page fits the screen; 200 % doubles it.
  await preview.click({ position: { x: box.width * 0.4, y: box.height * 0.12 } });
  const dialog = page.getByRole('dialog', { name: t.zoomDialog(t.pageOf(1, PAGES)) });
  await dialog.waitFor();
  const zoomed = page.locator('.zoom-view img');
  await zoomed.evaluate((image) => (image as unknown as { decode(): Promise<void> }).decode());
  const size = () =>
    zoomed.evaluate((image) => {
      const shown = image as unknown as ImageBox;
      const { width, height } = shown.getBoundingClientRect();
      return { natural: shown.naturalWidth, width, height };
    });
  await page.getByRole('button', { name: t.zoomLevel.replace('{n}', '100') }).waitFor();
  expect(await page.getByRole('button', { name: t.zoomLevel.replace('{n}', '100') }).getAttribute('aria-pressed')).toBe('true');
  const atOpen = await size();
  expect(atOpen.width).toBeCloseTo(atOpen.natural, 0);

  await page.getByRole('button', { name: t.zoomFit }).click();
  const fit = await size();
  expect(fit.width).toBeLessThanOrEqual(DESKTOP.viewport!.width);
  expect(fit.height).toBeLessThanOrEqual(DESKTOP.viewport!.height);
  await keepScreenshot(page, 'proof-revisions-desktop-zoom-fit', { fullPage: false });
  await page.getByRole('button', { name: t.zoomLevel.replace('{n}', '200') }).click();
  expect((await size()).width).toBeCloseTo(2 * atOpen.natural, 0);

  // Next and previous page without leaving the zoom, at the level chosen; no page before the first.
  expect(await page.getByRole('button', { name: t.previousPage }).last().isDisabled()).toBe(true);
  await page.getByRole('button', { name: t.nextPage }).last().click();
  await page.getByRole('dialog', { name: t.zoomDialog(t.pageOf(2, PAGES)) }).waitFor();
  expect(await zoomed.getAttribute('src')).toMatch(/\/pages\/2\?revision=2&size=zoom$/);
  await zoomed.evaluate((image) => (image as unknown as { decode(): Promise<void> }).decode());
  expect((await size()).width).toBeCloseTo(2 * atOpen.natural, 0);
  await keepScreenshot(page, 'proof-revisions-desktop-zoom-200', { fullPage: false });
  // Tab goes round the dialog's buttons and stays in it; Escape gives the focus to the page last shown.
  for (let press = 0; press < 8; press += 1) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate<boolean>(`document.querySelector('.zoom-view').contains(document.activeElement)`)).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog.count()).resolves.toBe(0);
  expect(await page.evaluate<string | null>(`document.activeElement.closest('figure') && document.activeElement.closest('figure').dataset.page`)).toBe('2');
  await page.close();
}, 240_000);
