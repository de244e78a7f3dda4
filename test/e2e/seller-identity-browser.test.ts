/**
 * The seller's identity and the customer's reading of a quote in a real browser (issue 14):
 * the seller's name and logo at the top in its brand colour, with text on it that reads
 * (≥ 4.5:1); the tax line following the chosen options live as the totals do (a rate's line
 * appears when an option of that rate is chosen); times in the seller's time zone; the page
 * printed without its buttons and forms. Screenshots are kept in .data/screenshots (identity-*.png).
 */
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { contrastRatio } from '../../domain/seller';
import { launchChromium, onAPhone, keepScreenshot } from '../support/browser';
import { startStack, type Stack } from '../support/stack';
import { pdfText } from '../support/pdf-text';
import { backOffice, type BackOffice, type LineInput } from '../integration/portal-fixtures';
import { succeeded } from '../support/api';
import { recipientsOf } from '../support/outbox';

let stack: Stack;
let office: BackOffice;
let browser: Browser;

const BRAND = '#f4c20d';
const LEGAL_NAME = 'Imprimerie Lumière SAS';

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
  browser = await launchChromium();
  await succeeded(
    office.api.PATCH('/v1/settings', {
      body: {
        seller: { legalName: LEGAL_NAME, address: '3 quai des Arts\n69005 Lyon', taxId: 'FR12345678901', brandColor: BRAND },
        timeZone: 'Asia/Tokyo',
      },
    }),
  );
  const logo = await sharp({ create: { width: 400, height: 100, channels: 3, background: '#203060' } }).png().toBuffer();
  const answer = await office.api.PUT('/v1/settings/logo', {
    body: logo as unknown as string,
    bodySerializer: (body: unknown) => body as string,
    headers: { 'content-type': 'image/png' },
  });
  expect(answer.response.status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const LINES: LineInput[] = [
  { description: 'Brochure A4, 16 pages', quantity: 500, unitPrice: 100, taxRate: 20 },
  { description: 'Pelliculage soft-touch', quantity: 500, unitPrice: 25, taxRate: 20, optional: true },
  { description: 'Livre d’or relié', quantity: 1, unitPrice: 2000, taxRate: 5.5, optional: true },
];

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((offset) => parseInt(hex.slice(offset, offset + 2), 16)).join(', ')})`;
const hexOf = (css: string) => `#${(css.match(/\d+/g) ?? []).slice(0, 3).map((value) => Number(value).toString(16).padStart(2, '0')).join('')}`;
const textOf = async (page: Page, selector: string) => (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();

it('shows the seller, follows the chosen options in the tax lines, writes times in the seller’s zone, and prints as a document', async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: LINES });
  const { url } = await office.sendQuote(documentId, contactEmail);

  // The email comes from the seller: its legal name as the sender, its logo (at an address a mail client can load) at the top.
  const email = (await stack.readOutbox()).find((candidate) => recipientsOf(candidate).includes(contactEmail));
  expect(email?.from).toContain(`"${LEGAL_NAME}"`);
  const logoUrl = /<img src="([^"]+)" alt="Imprimerie Lumière SAS"/.exec(email?.html ?? '')?.[1] ?? '';
  expect(logoUrl).toMatch(new RegExp(`^${stack.baseUrl}/assets/logos/[0-9a-f]{64}\\.png$`));
  expect((await fetch(logoUrl)).headers.get('content-type')).toBe('image/png');
  expect(email?.html).toContain(`background:${BRAND};color:#1c2230`);

  const page = await browser.newPage(onAPhone('fr-FR'));
  await page.goto(url);

  // The seller at the top: its logo (loaded) and its legal name; its details among the parties.
  const bar = page.locator('header.seller-bar');
  await bar.waitFor({ state: 'visible' });
  expect(await bar.innerText()).toContain(LEGAL_NAME);
  const logo = bar.locator('img.seller-logo');
  expect(await logo.evaluate((image: { complete: boolean; naturalWidth: number }) => image.complete && image.naturalWidth)).toBe(400);
  expect(await textOf(page, '.parties')).toContain('3 quai des Arts 69005 Lyon');
  expect(await textOf(page, '.parties')).toContain('FR12345678901');
  expect(await page.title()).toContain(LEGAL_NAME);

  // The brand on the main button, with the text colour chosen to read on it.
  const accept = page.getByRole('button', { name: 'Accepter le devis' });
  const colours = await accept.evaluate((button) => {
    // Runs in the page (the test's TypeScript has no DOM types).
    const style = (globalThis as unknown as { getComputedStyle(element: unknown): { backgroundColor: string; color: string } }).getComputedStyle(button);
    return { background: style.backgroundColor, ink: style.color };
  });
  expect(colours.background).toBe(rgb(BRAND));
  expect(contrastRatio(hexOf(colours.background), hexOf(colours.ink))).toBeGreaterThanOrEqual(4.5);
  await keepScreenshot(page, 'identity-quote');

  // The tax lines follow the options: 20 % on the brochure alone, then with the lamination; 5,5 % appears with the book.
  const rate20 = page.locator('tr[data-tax-rate="20"]');
  const rate55 = page.locator('tr[data-tax-rate="5.5"]');
  expect((await rate20.innerText()).replace(/\s+/g, ' ')).toMatch(/TVA 20 % sur 500,00 € 100,00 €/);
  expect(await rate55.isVisible()).toBe(false);
  await page.getByRole('checkbox', { name: /Pelliculage/ }).check();
  await page.locator('tr[data-tax-rate="20"]', { hasText: /sur 625,00/ }).waitFor({ state: 'visible' });
  expect((await rate20.innerText()).replace(/\s+/g, ' ')).toMatch(/TVA 20 % sur 625,00 € 125,00 €/);
  await page.getByRole('checkbox', { name: /Livre d’or/ }).check();
  await rate55.waitFor({ state: 'visible' });
  expect((await rate55.innerText()).replace(/\s+/g, ' ')).toMatch(/TVA 5,5 % sur 20,00 € 1,10 €/);
  expect(await textOf(page, 'tr.grand')).toMatch(/771,10 €/);
  await page.getByRole('checkbox', { name: /Pelliculage/ }).uncheck();
  await page.locator('tr[data-tax-rate="20"]', { hasText: /sur 500,00/ }).waitFor({ state: 'visible' });
  await keepScreenshot(page, 'identity-options');

  // Printed: the document and its seller, no answer form, no button.
  await page.emulateMedia({ media: 'print' });
  expect(await accept.isVisible()).toBe(false);
  expect(await page.locator('section.answer').isVisible()).toBe(false);
  expect(await bar.isVisible()).toBe(true);
  expect(await page.locator('table.totals').isVisible()).toBe(true);
  await page.emulateMedia({ media: 'screen' });

  // Accepted: the banner's time is Tokyo's, and says so.
  await accept.click();
  const banner = page.locator('.banner.accepted');
  await banner.waitFor({ state: 'visible' });
  const tokyoHour = new Intl.DateTimeFormat('fr', { hour: '2-digit', timeZone: 'Asia/Tokyo' }).format(new Date()).slice(0, 2);
  expect(await banner.innerText()).toMatch(new RegExp(`Accepté le .+ ${tokyoHour}:\\d\\d UTC\\+9`));
  await page.close();
});

it('prints a whole document through the browser’s own print: the PDF has the quote and the seller, not the buttons', async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'en', lines: LINES });
  const { url } = await office.sendQuote(documentId, contactEmail);
  const page = await browser.newPage({ locale: 'en-GB' });
  await page.goto(url);
  await page.locator('header.seller-bar').waitFor({ state: 'visible' });
  // Chromium's print to PDF uses the print styles.
  const text = pdfText(await page.pdf({ format: 'A4' }));
  expect(text).toContain(LEGAL_NAME);
  expect(text).toContain('Brochure A4, 16 pages');
  expect(text).toContain('Attn: Zoë Dupré');
  expect(text).not.toContain('Accept the quote');
  expect(text).not.toContain('Put on hold');
  await page.close();
});
