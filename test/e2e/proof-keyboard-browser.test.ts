/**
 * The proof page without a mouse, and without JavaScript, in a real browser (Debian's
 * Chromium driven by playwright-core), on proofs uploaded and sent through the API:
 *
 * - the zoom opens from the keyboard as a modal dialog named after its page, keeps Tab inside,
 *   and Escape closes it and gives the focus back to the page it came from;
 * - a pin is placed by keyboard only: arm "Épingler…", Tab to page 2, move the crosshair with
 *   the arrow keys (its position announced), Enter drops the pin there, and the change request
 *   carries it where the crosshair stood;
 * - changes are requested without a pin, the most common way, with JavaScript and without.
 *
 * A screenshot of the crosshair on its page is kept as .data/screenshots/proof-keyboard-crosshair.png.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { MESSAGES, PROOF_MESSAGES } from '../../api/portal/i18n';
import path from 'node:path';
import { launchChromium, SCREENSHOTS } from '../support/browser';
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { sentTextProof } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';

const t = PROOF_MESSAGES.fr;
const unique = () => randomBytes(4).toString('hex');
const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'fr-FR' };

let stack: Stack;
let api: GreenlightClient;
let apiKey: string;
let browser: Browser;
let customerId: string;
let contactId: string;
const contactEmail = `zoe-${unique()}@librairie.example`;

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant(`Imprimerie Clavier ${unique()}`));
  api = greenlightClient(stack.baseUrl, apiKey);
  customerId = (await succeeded(api.POST('/v1/customers', { body: { name: 'Librairie Sève', locale: 'fr' } }))).id;
  contactId = (await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customerId } }, body: { name: 'Zoë Dupré', email: contactEmail } }))).id;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A proof of `pages` pages, sent: its id and the portal link of its email. */
const sentProof = (pages: number) => sentTextProof(stack, apiKey, { customerId, contactId, contactEmail }, pages);

const changeRequests = (id: string) => succeeded(api.GET('/v1/documents/{id}', { params: { path: { id } } }));

/** The page number of the figure holding the focus, or what holds it. */
const focusedPage = (page: Page) =>
  page.evaluate<string>(`(() => { const figure = document.activeElement.closest('figure'); return figure ? 'page ' + figure.dataset.page : document.activeElement.tagName; })()`);

it('opens the zoom from the keyboard as a named modal dialog that keeps the focus, and Escape gives it back to the page', async () => {
  const proof = await sentProof(2);
  const page = await browser.newPage(DESKTOP);
  await page.goto(proof.url);
  await page.locator('figure[data-page="2"] a.zoom').focus();
  await page.keyboard.press('Enter');

  const dialog = page.getByRole('dialog', { name: t.zoomDialog(t.pageOf(2, 2)) });
  await dialog.waitFor();
  expect(await dialog.getAttribute('aria-modal')).toBe('true');
  const focusInDialog = () => page.evaluate<boolean>(`document.querySelector('.zoom-view').contains(document.activeElement)`);
  expect(await focusInDialog()).toBe(true);
  for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Tab']) {
    await page.keyboard.press(key);
    expect(await focusInDialog()).toBe(true);
  }
  // The page behind is out of reach while the dialog is open.
  expect(await page.evaluate<boolean>(`document.querySelector('main').inert`)).toBe(true);

  await page.keyboard.press('Escape');
  await expect(dialog.count()).resolves.toBe(0);
  expect(await focusedPage(page)).toBe('page 2');
  expect(await page.evaluate<boolean>(`document.querySelector('main').inert`)).toBe(false);
  await page.close();
}, 180_000);

it('places a pin with the keyboard alone: arm, Tab to the page, move the crosshair with the arrows, Enter, and send', async () => {
  const proof = await sentProof(2);
  const page = await browser.newPage(DESKTOP);
  await page.goto(proof.url);

  await page.locator('details.request-changes summary').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: t.addPin }).focus();
  await page.keyboard.press('Enter');
  expect(await page.getByRole('button', { name: t.addPin }).getAttribute('aria-pressed')).toBe('true');
  // Armed from the keyboard, the focus is on the first page; Tab goes on to the second.
  expect(await focusedPage(page)).toBe('page 1');
  await page.keyboard.press('Tab');
  expect(await focusedPage(page)).toBe('page 2');

  // From the centre: 10 steps of 1 % right, 2 of 10 % down (Shift).
  for (let step = 0; step < 10; step += 1) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(page.locator('[aria-live="polite"]').innerText()).resolves.toBe(t.crosshairAt('60', '70', '2'));
  await page.locator('figure[data-page="2"]').screenshot({ path: path.join(SCREENSHOTS, 'proof-keyboard-crosshair.png') });
  await page.keyboard.press('Enter');

  // The pin is dropped where the crosshair stood, and its comment field has the focus.
  const marker = page.locator('figure[data-page="2"] .pin.new');
  expect(await marker.getAttribute('style')).toMatch(/left: 60%; top: 70%/);
  await page.keyboard.type('Agrandir le logo ici');
  expect(await page.evaluate<string>(`document.activeElement.labels[0].textContent`)).toBe(t.pinComment('1', '2'));
  await page.getByLabel(t.comment).fill('Merci de corriger la couleur du titre.');
  await page.getByRole('button', { name: t.sendChanges }).press('Enter');
  await page.getByText(MESSAGES.fr.decided['request-changes']).waitFor();

  const document = await changeRequests(proof.id);
  expect(document.status).toBe('changes_requested');
  expect(document.revisions?.[0]?.changeRequests[0]?.pins).toEqual([{ number: 1, page: 2, x: 0.6, y: 0.7, comment: 'Agrandir le logo ici', resolved: false, resolution: null }]);
  await page.close();
}, 180_000);

it('requests changes without a pin, with JavaScript and without', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const proof = await sentProof(1);
    const page = await browser.newPage({ ...DESKTOP, javaScriptEnabled });
    await page.goto(proof.url);
    await page.getByText(t.requestChanges(1)).click();
    await page.getByLabel(t.comment).fill(`Le titre en bleu (JavaScript ${javaScriptEnabled ? 'on' : 'off'}).`);
    await page.getByRole('button', { name: t.sendChanges }).click();
    await page.getByText(MESSAGES.fr.decided['request-changes']).waitFor();
    expect(await page.locator('.banner').first().getAttribute('data-status')).toBe('changes_requested');

    const document = await changeRequests(proof.id);
    expect(document.revisions?.[0]?.changeRequests).toEqual([expect.objectContaining({ comment: expect.stringContaining('Le titre en bleu'), pins: [] })]);
    await page.close();
  }
}, 240_000);
