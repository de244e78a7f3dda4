/**
 * The whole review of a 16-page proof, as issue 13 tells it, in a real browser (Debian's
 * Chromium driven by playwright-core), the customer at her desk, then on her phone, then at her
 * desk again; the seller works through the API, each revision reaches her by email:
 *
 * 1. revision 1 on a desktop: she jumps to page 7 by its thumbnail, looks at it under the
 *    magnifier that follows the mouse, places a pin on it with the keyboard alone and asks for
 *    changes with that pin — accepted; the seller marks the pin done;
 * 2. revision 2's email names it ("Révision 2 du BAT …"); on a phone she sees what it follows and
 *    revision 1's pin on page 7 ("asked in revision 1", ticked done), jumps there by its
 *    thumbnail, taps the page to zoom, pinches (two fingers apart: the image grows with their
 *    spread) and pans with one finger (CDP touch events), and asks for changes without a pin —
 *    accepted;
 * 3. revision 3's email names it; on the desktop she compares it with revision 2 side by side and
 *    overlaid (the changed text stands out), ticks the terms and approves it.
 *
 * Screenshots are kept in .data/screenshots (proof-story-*.png) for a person to look at.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { formattersFor, MESSAGES, PROOF_MESSAGES } from '../../api/portal/i18n';
import { keepScreenshot, onADesktop, onAPhone } from '../support/browser';
import { documentEvents, succeeded } from '../support/api';
import { emailedProofLink, sentTextProof, textPdf, uploadRevision } from '../support/proof-uploads';
import { checkOverlay, checkSideBySide, decoded, hoverMagnifier, proofBrowserWorld, showsPage } from '../support/proof-viewer';
import { eventually } from '../support/eventually';

const t = PROOF_MESSAGES.fr;
const q = MESSAGES.fr;
const PAGES = 16;
const TERMS = { version: '2026-04', text: 'Conditions générales de vente : acompte de 30 % à la commande.' };
const DESKTOP = onADesktop('fr-FR');
const PHONE = onAPhone('fr-FR');
const PIN = { page: 7, x: 0.3, y: 0.2, comment: 'Logo plus grand' };

const world = proofBrowserWorld('Imprimerie Récit', { termsOfSale: TERMS, hourlyRate: 6500 });

/** A page of its own, waiting up to a minute for anything (CI's loaded machine). */
async function openPage(options: BrowserContextOptions): Promise<Page> {
  const page = await world.browser.newPage(options);
  page.setDefaultTimeout(60_000);
  return page;
}
const proofOf = (id: string) => succeeded(world.api.GET('/v1/documents/{id}', { params: { path: { id } } }), 200);
const plain = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The seller uploads revision n (each page's line names it) and the customer's email announcing it arrives: its subject and link. */
async function revisionEmailed(proof: { id: string; number: string }, n: number) {
  expect((await uploadRevision(world.stack.baseUrl, world.apiKey, proof.id, [{ name: `r${n}.pdf`, bytes: await textPdf(`${proof.number} R${n}`, PAGES) }])).status).toBe(201);
  const { email, url } = await emailedProofLink(world.stack, world.recipient.contactEmail, `the email of revision ${n}`, (subject) => subject.includes(`Révision ${n} `));
  return { subject: email.subject, url };
}

/** "Révision n, suite à vos demandes du <date>", the date of the change request on the revision before. */
async function follows(proofId: string, n: number): Promise<string> {
  const requests = (await documentEvents(world.api, proofId)).filter((event) => event.type === 'changes_requested');
  return plain(t.follows(n, formattersFor('fr').date(new Date(requests[n - 2]!.at))));
}

/** The zoom image's scale: its width on screen over its own (1: one image pixel a screen pixel). */
const zoomScale = (page: Page) =>
  page.locator('.zoom-view img').evaluate((image) => {
    const shown = image as unknown as { naturalWidth: number; getBoundingClientRect(): { width: number } };
    return shown.getBoundingClientRect().width / shown.naturalWidth;
  });
/** The zoom image's scale once `landed` accepts it: the page handles the touch events after CDP dispatched them. */
const scaleOnceIt = (page: Page, landed: (scale: number) => boolean, what: string) =>
  eventually(
    async () => {
      const scale = await zoomScale(page);
      return landed(scale) ? scale : undefined;
    },
    { what, timeoutMs: 30_000 },
  );
const zoomScrollLeft = (page: Page) => page.locator('.zoom-view').evaluate((view) => (view as unknown as { scrollLeft: number }).scrollLeft);

/**
 * Fingers on the phone's screen through CDP (touch points, each [x, y]), moved in `steps` from
 * `from` to `to`, held there a moment, then lifted: lifted while still moving, the browser would
 * take it for a fling and swallow the next tap as the one that stops it.
 */
async function drag(page: Page, from: [number, number][], to: [number, number][], steps = 10): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const at = (fraction: number) => from.map(([x, y], id) => ({ id, x: x + (to[id]![0] - x) * fraction, y: y + (to[id]![1] - y) * fraction }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let step = 1; step <= steps; step += 1) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(step / steps) });
  await new Promise((resolve) => setTimeout(resolve, 250));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(1) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** Two fingers around the middle of a phone's screen moving apart, from 80 px to 240 px: three times the spread. */
const pinchOut = (page: Page) => drag(page, [[155, 330], [235, 330]], [[75, 330], [315, 330]]);

/** Revision 1 at her desk: thumbnail, magnifier, a pin by keyboard, changes asked with it. */
async function reviewFirstOnDesktop(url: string, proofId: string): Promise<void> {
  const page = await openPage(DESKTOP);
  await page.goto(url);
  await showsPage(page, 1, PAGES);
  await page.locator('nav.thumbnails a[href="#page-7"]').click();
  await showsPage(page, 7, PAGES);
  expect(await page.locator('nav.thumbnails a[aria-current]').getAttribute('href')).toBe('#page-7');

  // The magnifier follows the mouse over page 7, drawn from page 7's own preview.
  expect((await hoverMagnifier(page, 7, { x: 0.35, y: 0.25 })).backgroundImage).toMatch(/\/pages\/7\?revision=1/);
  await keepScreenshot(page, 'proof-story-desktop-magnifier', { fullPage: false });
  await page.mouse.move(5, 5);
  await page.locator('.magnifier').waitFor({ state: 'hidden' });

  // A pin by keyboard: open the request, arm, Tab from page 1 to page 7, the crosshair to 30 % × 20 %, Enter.
  await page.locator('details.request-changes summary').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: t.addPin }).focus();
  await page.keyboard.press('Enter');
  for (let press = 1; press < PIN.page; press += 1) await page.keyboard.press('Tab');
  expect(await page.evaluate<string>(`document.activeElement.closest('figure').dataset.page`)).toBe(String(PIN.page));
  for (const key of ['Shift+ArrowLeft', 'Shift+ArrowLeft', 'Shift+ArrowUp', 'Shift+ArrowUp', 'Shift+ArrowUp']) await page.keyboard.press(key);
  await expect(page.locator('[aria-live="polite"]').innerText()).resolves.toBe(t.crosshairAt('30', '20', '7'));
  await page.keyboard.press('Enter');
  await page.keyboard.type(PIN.comment);
  await page.getByLabel(t.comment).fill('Le titre en bleu partout.');
  await page.locator('#page-7').evaluate((figure) => (figure as unknown as { scrollIntoView(): void }).scrollIntoView());
  await keepScreenshot(page, 'proof-story-desktop-pinned', { fullPage: false });
  await page.getByRole('button', { name: t.sendChanges }).press('Enter');
  await page.getByText(q.decided['request-changes']).waitFor();

  const proof = await proofOf(proofId);
  expect(proof.status).toBe('changes_requested');
  expect(proof.revisions?.[0]?.changeRequests).toEqual([expect.objectContaining({ comment: 'Le titre en bleu partout.', pins: [expect.objectContaining(PIN)] })]);
  await page.close();
}

/** Revision 2 on her phone: what it follows, revision 1's pin, thumbnail, tap, pinch and pan, changes asked without a pin. */
async function reviewSecondOnPhone(url: string, proofId: string): Promise<void> {
  const page = await openPage(PHONE);
  await page.goto(url);
  expect(plain(await page.locator('#answers-heading').innerText())).toBe(await follows(proofId, 2));
  await page.getByText(t.earlierPins(1)).waitFor();
  await page.locator('nav.thumbnails a[href="#page-7"]').tap();
  await showsPage(page, 7, PAGES);
  const earlier = page.locator('figure[data-page="7"] .pin.earlier.resolved');
  expect(await earlier.getAttribute('title')).toBe(`${t.revision(1)} — ${PIN.comment} (${t.pinDone})`);
  await decoded(page.locator('figure[data-page="7"] a.zoom img'));
  await keepScreenshot(page, 'proof-story-phone-earlier-pin', { fullPage: false });

  // A tap opens the zoom; from the whole page, two fingers moving apart from 80 to 240 px enlarge it three times.
  await page.locator('figure[data-page="7"] a.zoom img').tap({ position: { x: 100, y: 80 } });
  await page.getByRole('dialog', { name: t.zoomDialog(t.pageOf(7, PAGES)) }).waitFor();
  await decoded(page.locator('.zoom-view img'));
  await page.getByRole('button', { name: t.zoomFit }).tap();
  const fit = await zoomScale(page);
  expect(fit).toBeLessThan(1);
  // The whole page shows, below the tools, which wrap to two rows on a phone.
  const [tools, image] = [(await page.locator('.zoom-tools').boundingBox())!, (await page.locator('.zoom-view img').boundingBox())!];
  expect(image.y).toBeGreaterThanOrEqual(tools.y + tools.height - 1);
  await keepScreenshot(page, 'proof-story-phone-zoom-fit', { fullPage: false });
  await pinchOut(page);
  // Waited for where the whole gesture ends (a loaded machine may still be handling its last moves).
  const pinched = await scaleOnceIt(page, (scale) => Math.abs(scale / fit - 3) < 0.05, 'the pinch to enlarge the zoom image three times');
  expect(await page.getByRole('button', { name: t.zoomFit }).getAttribute('aria-pressed')).toBe('false');
  await keepScreenshot(page, 'proof-story-phone-pinched', { fullPage: false });
  // Two fingers pinching in far past the whole page stop there: the smallest level.
  await drag(page, [[45, 330], [345, 330]], [[185, 330], [205, 330]]);
  await scaleOnceIt(page, (scale) => Math.abs(scale - fit) < 0.001, 'the pinch to shrink the zoom image to the whole page');
  // Up again, then one finger pans: 100 px to the left scrolls the image 100 px, and the zoom stays open.
  await pinchOut(page);
  expect(await scaleOnceIt(page, (scale) => Math.abs(scale / fit - 3) < 0.05, 'the second pinch')).toBeCloseTo(pinched, 2);
  const before = await zoomScrollLeft(page);
  await drag(page, [[250, 400]], [[150, 400]]);
  await eventually(async () => (Math.abs((await zoomScrollLeft(page)) - before - 100) <= 2 ? true : undefined), { what: 'the pan to scroll the zoom image', timeoutMs: 30_000 });
  expect(await page.getByRole('dialog').count()).toBe(1);
  await keepScreenshot(page, 'proof-story-phone-panned', { fullPage: false });
  await page.locator('.zoom-close').tap();
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  // Changes without a pin, from the bar at the bottom of the screen.
  await page.getByText(t.requestChanges(2)).tap();
  await page.getByLabel(t.comment).fill('La date de la page 12 est fausse.');
  await keepScreenshot(page, 'proof-story-phone-request', { fullPage: false });
  await page.getByRole('button', { name: t.sendChanges }).tap();
  await page.getByText(q.decided['request-changes']).waitFor();
  const proof = await proofOf(proofId);
  expect(proof.status).toBe('changes_requested');
  expect(proof.revisions?.[1]?.changeRequests).toEqual([expect.objectContaining({ comment: 'La date de la page 12 est fausse.', pins: [] })]);
  await page.close();
}

/** Revision 3 at her desk: compared with revision 2 side by side and overlaid, approved with the terms. */
async function approveThirdOnDesktop(url: string, proofId: string): Promise<void> {
  const page = await openPage(DESKTOP);
  await page.goto(url);
  expect(plain(await page.locator('#answers-heading').innerText())).toBe(await follows(proofId, 3));
  await keepScreenshot(page, 'proof-story-desktop-revision-3', { fullPage: false });
  await page.getByRole('link', { name: t.compareWith(2) }).click();
  await checkSideBySide(page, 3, 2, PAGES);
  await keepScreenshot(page, 'proof-story-desktop-side-by-side', { fullPage: false });
  await page.getByRole('link', { name: t.overlay }).click();
  await checkOverlay(page, 'proof-story-desktop-overlay-page-1');
  await keepScreenshot(page, 'proof-story-desktop-overlay', { fullPage: false });

  await page.getByLabel(t.acceptTerms(TERMS.version)).check();
  await page.getByRole('button', { name: t.approve(3) }).click();
  await page.getByText(q.decided.approve).waitFor();
  await keepScreenshot(page, 'proof-story-desktop-approved', { fullPage: false });
  expect((await proofOf(proofId)).status).toBe('approved');
  await page.close();
}

it('reviews a 16-page proof from its first email to its approval: desktop, phone, desktop, three revisions', async () => {
  const proof = await sentTextProof(world.stack, world.apiKey, world.recipient, PAGES);
  await reviewFirstOnDesktop(proof.url, proof.id);
  await succeeded(world.api.PATCH('/v1/documents/{id}/revisions/{number}/pins/{pin}', { params: { path: { id: proof.id, number: 1, pin: 1 } }, body: { resolved: true } }), 200);

  const second = await revisionEmailed(proof, 2);
  expect(second.subject).toMatch(new RegExp(`^Révision 2 du BAT ${proof.number} `));
  await reviewSecondOnPhone(second.url, proof.id);

  const third = await revisionEmailed(proof, 3);
  expect(third.subject).toMatch(new RegExp(`^Révision 3 du BAT ${proof.number} `));
  await approveThirdOnDesktop(third.url, proof.id);
}, 600_000);
