/**
 * A 16-page proof reviewed as in a proofing tool, in a real browser (Debian's Chromium driven
 * by playwright-core), on a phone and on a desktop, proofs uploaded and sent through the API:
 *
 * - navigation: a thumbnail jumps to its page, the previous/next buttons and the ← → keys
 *   step through the pages (not while a field has the keys), and "page n of N" follows, the
 *   current thumbnail marked; on a desktop, facing pages (page 1 alone as the cover);
 * - the decision bar is on screen and on top at every scroll position, a named region, and
 *   next in the Tab order after the pages; its text is readable (WCAG AA contrast, measured
 *   in the page: axe is not a dependency of this repository);
 * - the phone downloads at most 1 MB before its first scroll (previews at the phone's width,
 *   thumbnails lazy);
 * - the customer approves (phone, terms ticked) or asks for changes (desktop) from the bar;
 *   on a phone, arming a pin folds the bar so the page can be tapped;
 * - without JavaScript the thumbnails still jump (plain anchors), the bar still stays, and
 *   approving or asking for changes still works.
 *
 * Screenshots are kept in .data/screenshots (proof-viewer-*.png) for a person to look at.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { MESSAGES, PROOF_MESSAGES } from '../../api/portal/i18n';
import { keepScreenshot, onAPhone } from '../support/browser';
import { succeeded } from '../support/api';
import { newProofRecipient, sentTextProof } from '../support/proof-uploads';
import { proofBrowserWorld, showsPage } from '../support/proof-viewer';

const t = PROOF_MESSAGES.fr;
const q = MESSAGES.fr;
const PAGES = 16;
const TERMS = { version: '2026-04', text: 'Conditions générales de vente : acompte de 30 % à la commande.' };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'fr-FR' };
const PHONE = onAPhone('fr-FR');
/** The phone budget: what a phone downloads before its first scroll. */
const PHONE_BUDGET_BYTES = 1_000_000;

const world = proofBrowserWorld('Imprimerie Feuillet', { termsOfSale: TERMS, hourlyRate: 6500 });

/** A customer of its own, who has not accepted the terms yet. */
const newCustomer = () => newProofRecipient(world.stack, world.apiKey);

const sentProof = (to = world.recipient) => sentTextProof(world.stack, world.apiKey, to, PAGES);
const documentStatus = (id: string) => succeeded(world.api.GET('/v1/documents/{id}', { params: { path: { id } } }), 200);

// ---------------------------------------------------------------- what the checks read in the page

/** The page whose top is nearest below the toolbar: where a jump landed. */
const pageAtTop = (page: Page) =>
  page.evaluate<number>(`(() => {
    const line = document.querySelector('.page-toolbar').getBoundingClientRect().bottom;
    const figures = [...document.querySelectorAll('figure.proof-page')];
    const landed = figures.find((figure) => figure.getBoundingClientRect().top >= line - 2);
    return Number(landed.dataset.page);
  })()`);

/** Page n's thumbnail is wholly inside the visible part of its strip. */
const thumbnailWithinStrip = (page: Page, n: number) =>
  page.evaluate<boolean>(`(() => {
    const strip = document.querySelector('nav.thumbnails ol').getBoundingClientRect();
    const thumbnail = document.querySelector('nav.thumbnails a[href="#page-${n}"]').getBoundingClientRect();
    return thumbnail.left >= strip.left && thumbnail.right <= strip.right;
  })()`);

const currentThumbnail = (page: Page) => page.locator('nav.thumbnails a[aria-current]').getAttribute('href');

/** The approve button is inside the screen and nothing covers its centre. */
const approveWithinReach = (page: Page) =>
  page.evaluate<boolean>(`(() => {
    const button = [...document.querySelectorAll('.decision-bar button')].find((candidate) => candidate.closest('form[action$="/approve"]'));
    const box = button.getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight || box.left < 0 || box.right > innerWidth) return false;
    return button.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2));
  })()`);

/** Scrolls to a fraction of the document (0 the top, 1 the bottom) and says whether the approve button is within reach there. */
async function reachableAt(page: Page, fraction: number): Promise<boolean> {
  await page.evaluate(`window.scrollTo(0, ${fraction} * (document.documentElement.scrollHeight - innerHeight))`);
  return approveWithinReach(page);
}

/**
 * WCAG contrast of each visible text in the decision bar and the page toolbar against the
 * first opaque background behind it: the lowest ratio found and where.
 */
const lowestContrast = (page: Page) =>
  page.evaluate<{ ratio: number; text: string }>(`(() => {
    const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    const background = (element) => {
      for (let node = element; node; node = node.parentElement) {
        const colour = rgb(getComputedStyle(node).backgroundColor);
        if (colour.length === 3 || colour[3] === 1) return colour.slice(0, 3);
      }
      return [255, 255, 255];
    };
    let lowest = { ratio: 21, text: '' };
    for (const element of document.querySelectorAll('.decision-bar *, .page-toolbar *')) {
      const text = [...element.childNodes].filter((node) => node.nodeType === 3).map((node) => node.textContent.trim()).join('');
      if (!text || !element.getClientRects().length || getComputedStyle(element).visibility === 'hidden') continue;
      const [fg, bg] = [luminance(rgb(getComputedStyle(element).color)), luminance(background(element))];
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < lowest.ratio) lowest = { ratio, text };
    }
    return lowest;
  })()`);

/** Checks shared by both screens: landmarks and names, the Tab order, contrast. */
async function checkAccessible(page: Page): Promise<void> {
  await expect(page.getByRole('navigation', { name: t.pagesLabel }).getByRole('link').count()).resolves.toBe(PAGES);
  await expect(page.getByRole('region', { name: q.answerHeading }).count()).resolves.toBe(1);
  await expect(page.getByRole('button', { name: t.previousPage }).count()).resolves.toBe(1);
  await expect(page.getByRole('button', { name: t.nextPage }).count()).resolves.toBe(1);
  // After the last page, Tab goes to the decisions before anything else.
  await page.locator(`figure[data-page="${PAGES}"] a.zoom`).focus();
  await page.keyboard.press('Tab');
  expect(await page.evaluate<boolean>(`document.querySelector('.decision-bar').contains(document.activeElement)`)).toBe(true);
  const contrast = await lowestContrast(page);
  if (contrast.ratio < 4.5) throw new Error(`"${contrast.text}" has a contrast of ${contrast.ratio.toFixed(2)}, under 4.5`);
}

/** Thumbnail, buttons and keys, each checked by the page at the top and by "page n of N". */
async function navigate(page: Page): Promise<void> {
  await showsPage(page, 1, PAGES);
  expect(await page.getByRole('button', { name: t.previousPage }).isDisabled()).toBe(true);

  await page.locator('nav.thumbnails a[href="#page-7"]').click();
  await showsPage(page, 7, PAGES);
  expect(await pageAtTop(page)).toBe(7);
  expect(await currentThumbnail(page)).toBe('#page-7');

  await page.getByRole('button', { name: t.nextPage }).click();
  await showsPage(page, 8, PAGES);
  expect(await pageAtTop(page)).toBe(8);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await showsPage(page, 10, PAGES);
  await page.keyboard.press('ArrowLeft');
  await showsPage(page, 9, PAGES);
  expect(await pageAtTop(page)).toBe(9);
  expect(await currentThumbnail(page)).toBe('#page-9');

  // A field keeps its arrow keys: the caret moves, the page does not.
  await page.getByText(t.requestChanges(1)).click();
  await page.getByLabel(t.comment).fill('abc');
  await page.keyboard.press('ArrowLeft');
  await showsPage(page, 9, PAGES);
  await page.getByLabel(t.comment).fill('');
  await page.getByText(t.requestChanges(1)).click();

  // To the end and back by the buttons, which say when they cannot go further.
  await page.locator(`nav.thumbnails a[href="#page-${PAGES}"]`).click();
  await showsPage(page, PAGES, PAGES);
  expect(await page.getByRole('button', { name: t.nextPage }).isDisabled()).toBe(true);
  await page.keyboard.press('ArrowLeft');
  await showsPage(page, PAGES - 1, PAGES);
}

async function decisionAlwaysInReach(page: Page): Promise<void> {
  for (const fraction of [0, 0.2, 0.4, 0.6, 0.8, 1]) expect([fraction, await reachableAt(page, fraction)]).toEqual([fraction, true]);
}

// ---------------------------------------------------------------- the stories

it('on a phone: light before the first scroll, thumbnails, buttons and keys, page n of N, the decision bar at every scroll position, approved', async () => {
  const proof = await sentProof();
  const page = await world.browser.newPage(PHONE);
  const bytes: { url: string; size: number }[] = [];
  page.on('requestfinished', (request) => {
    void request.sizes().then((sizes) => bytes.push({ url: request.url(), size: sizes.responseBodySize + sizes.responseHeadersSize }));
  });
  await page.goto(proof.url, { waitUntil: 'networkidle' });
  const before = bytes.reduce((sum, entry) => sum + entry.size, 0);
  expect(before).toBeLessThanOrEqual(PHONE_BUDGET_BYTES);
  // Only the pages on screen, at the phone's width: not the last page's preview, never a full-width one.
  expect(bytes.filter((entry) => entry.url.includes(`/pages/${PAGES}?`) && !entry.url.includes('size=thumbnail'))).toEqual([]);
  expect(bytes.filter((entry) => /\/pages\/\d+\?revision=1$/.test(entry.url))).toEqual([]);
  await keepScreenshot(page, 'proof-viewer-phone', { fullPage: false });

  expect(await approveWithinReach(page)).toBe(true);
  await navigate(page);
  // Back to the thumbnails from the toolbar, which stays at the top of the screen.
  expect((await page.locator('.page-toolbar').boundingBox())!.y).toBeLessThanOrEqual(1);
  await page.getByRole('link', { name: t.allPages }).click();
  // The strip, centred on the page being read while it was off screen, stays put once back on screen.
  expect(await thumbnailWithinStrip(page, PAGES - 1)).toBe(true);
  await page.getByRole('navigation', { name: t.pagesLabel }).getByRole('link', { name: t.pageOf(3, PAGES) }).click();
  await showsPage(page, 3, PAGES);
  await keepScreenshot(page, 'proof-viewer-phone-page-3', { fullPage: false });

  await decisionAlwaysInReach(page);
  await checkAccessible(page);

  // Pinning from the bar: armed, the bar folds to the pin button and its hint, so the page can be tapped; the pin's field then opens in it.
  await page.getByText(t.requestChanges(1)).click();
  await page.getByRole('button', { name: t.addPin }).click();
  expect((await page.locator('.decision-bar').boundingBox())!.height).toBeLessThan(PHONE.viewport!.height / 3);
  await page.locator('figure[data-page="3"] img').tap({ position: { x: 120, y: 200 } });
  const pinField = page.getByLabel(t.pinComment('1', '3'));
  expect(await page.evaluate<string>('document.activeElement.id')).toBe(await pinField.getAttribute('id'));
  expect(await pinField.isVisible()).toBe(true);
  await page.getByRole('button', { name: t.removePin }).click();
  await page.getByText(t.requestChanges(1)).click();

  await page.getByLabel(t.acceptTerms(TERMS.version)).check();
  await page.getByRole('button', { name: t.approve(1) }).click();
  await page.getByText(q.decided.approve).waitFor();
  expect((await documentStatus(proof.id)).status).toBe('approved');
  await page.close();
}, 240_000);

it('on a desktop: thumbnails beside the pages, facing pages, page n of N, the decision column at every scroll position, changes requested', async () => {
  const proof = await sentProof();
  const page = await world.browser.newPage(DESKTOP);
  await page.goto(proof.url);
  // The thumbnails are a column left of the pages, the decisions one right of them.
  const boxOf = async (selector: string) => (await page.locator(selector).boundingBox())!;
  const [thumbnails, pages, decisions] = await Promise.all([boxOf('nav.thumbnails'), boxOf('section.pages'), boxOf('.decision-bar')]);
  expect(thumbnails.x + thumbnails.width).toBeLessThanOrEqual(pages.x);
  expect(pages.x + pages.width).toBeLessThanOrEqual(decisions.x);
  expect(await approveWithinReach(page)).toBe(true);

  await navigate(page);
  await decisionAlwaysInReach(page);
  await checkAccessible(page);

  // Facing pages: page 1 alone on the right, then 2–3, 4–5…; the arrows go a spread at a time.
  await page.getByRole('link', { name: t.spreads }).click();
  expect(new URL(page.url()).searchParams.get('view')).toBe('spreads');
  const box = (n: number) => boxOf(`figure[data-page="${n}"]`);
  const [one, two, three, four] = await Promise.all([box(1), box(2), box(3), box(4)]);
  expect(one.x).toBeCloseTo(three.x, 0);
  expect(two.y).toBeCloseTo(three.y, 0);
  expect(two.x + two.width).toBeLessThanOrEqual(three.x + 1);
  expect(four.y).toBeGreaterThan(three.y);
  await page.locator('nav.thumbnails a[href="#page-2"]').click();
  await showsPage(page, 2, PAGES);
  await page.keyboard.press('ArrowRight');
  await showsPage(page, 4, PAGES);
  await keepScreenshot(page, 'proof-viewer-desktop-spreads', { fullPage: false });
  // The address keeps the view: opened again, it is facing pages without the script's help.
  await page.reload();
  expect(await page.locator('section.pages').getAttribute('class')).toBe('pages spreads');
  await page.getByRole('link', { name: t.singlePages }).click();
  expect(await page.locator('section.pages').getAttribute('class')).toBe('pages');
  // Back to single pages in place, the previews are asked at the single page's width again.
  expect(await page.locator('figure[data-page="1"] img').getAttribute('sizes')).toMatch(/^\(min-width: 80rem\) 48\.75rem/);

  await page.getByText(t.requestChanges(1)).click();
  await page.getByLabel(t.comment).fill('Le sommaire page 3 renvoie à la mauvaise page.');
  await keepScreenshot(page, 'proof-viewer-desktop', { fullPage: false });
  await page.getByRole('button', { name: t.sendChanges }).click();
  await page.getByText(q.decided['request-changes']).waitFor();
  const document = await documentStatus(proof.id);
  expect(document.status).toBe('changes_requested');
  expect(document.revisions[0]?.changeRequests).toEqual([expect.objectContaining({ comment: 'Le sommaire page 3 renvoie à la mauvaise page.', pins: [] })]);
  await page.close();
}, 240_000);

it('without JavaScript: thumbnails still jump, the bar still stays, and the customer approves (phone) or asks for changes (desktop)', async () => {
  for (const [screen, options] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    // The terms are asked until a customer accepts them: this one never has.
    const proof = await sentProof(await newCustomer());
    const page = await world.browser.newPage({ ...options, javaScriptEnabled: false });
    await page.goto(proof.url);
    // No script, no previous/next: each page's caption says where it is.
    expect(await page.locator('.page-nav').isVisible()).toBe(false);
    await page.locator('nav.thumbnails a[href="#page-5"]').click();
    expect(new URL(page.url()).hash).toBe('#page-5');
    expect(await pageAtTop(page)).toBe(5);
    await decisionAlwaysInReach(page);
    await keepScreenshot(page, `proof-viewer-${screen}-no-script`, { fullPage: false });

    if (screen === 'phone') {
      await page.getByLabel(t.acceptTerms(TERMS.version)).check();
      await page.getByRole('button', { name: t.approve(1) }).click();
      await page.getByText(q.decided.approve).waitFor();
      expect((await documentStatus(proof.id)).status).toBe('approved');
    } else {
      await page.getByText(t.requestChanges(1)).click();
      await page.getByLabel(t.comment).fill('Sans script : le titre en bleu.');
      await page.getByRole('button', { name: t.sendChanges }).click();
      await page.getByText(q.decided['request-changes']).waitFor();
      expect((await documentStatus(proof.id)).status).toBe('changes_requested');
    }
    await page.close();
  }
}, 300_000);
