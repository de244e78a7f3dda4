/**
 * A customer pays an invoice in a real browser (Debian's Chromium driven by playwright-core):
 * the invoice created and sent through the API, the link read from the email, "Pay online"
 * clicked, the card typed on the Stripe stand-in's hosted page. The decline card first: the
 * page says the card was declined and the invoice stays unpaid. Then the success card: back on
 * the portal, the invoice shows paid with its receipt to download.
 * Screenshots land in /tmp (invoice-declined.png, invoice-paid.png) for a person to look at.
 */
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { formatMoney } from '../../domain/money';
import { eventually } from '../support/eventually';
import { createInvoice, startPaymentStack, type PaymentStack } from '../support/payments';
import { backOffice, SAMPLE_LINES, type BackOffice } from '../integration/portal-fixtures';

const CHROMIUM = '/usr/bin/chromium';
const PHONE = { width: 390, height: 844 };
const PHONE_CHROME_AGENT =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

let payments: PaymentStack;
let office: BackOffice;
let browser: Browser;

beforeAll(async () => {
  payments = await startPaymentStack();
  office = await backOffice(payments.stack);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await payments?.close();
});

async function typeCard(page: Page, number: string): Promise<void> {
  await page.getByLabel('Card number').fill(number);
  await page.getByLabel('Expiration').fill('12 / 34');
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Cardholder name').fill('Zoë Dupré');
}

it('declines the decline card with a clear message, then pays with the success card and shows paid with a receipt', async () => {
  expect((await office.call('PATCH', '/v1/settings', { payOnline: true })).status).toBe(200);
  const lines = SAMPLE_LINES.filter((line) => !line.optional);
  const { documentId, contactEmail } = await createInvoice(office, { locale: 'fr', lines });
  const { url } = await office.sendQuote(documentId, contactEmail);
  const gross = formatMoney((await office.document(documentId)).totals.gross, 'EUR', 'fr');

  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, acceptDownloads: true, locale: 'fr-FR', userAgent: PHONE_CHROME_AGENT });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('heading', { name: 'Brochures de printemps' }).waitFor({ state: 'visible' });
  const payButton = page.getByRole('button', { name: `Payer en ligne ${gross}` });
  await payButton.waitFor({ state: 'visible' });

  // The decline card: a clear failure on the payment page; the invoice stays unpaid.
  await payButton.click();
  await page.waitForURL(new RegExp(`^${payments.stripe.url}/c/pay/cs_test_`));
  await typeCard(page, '4000 0000 0000 0002');
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('alert').filter({ hasText: 'Your card was declined.' }).waitFor({ state: 'visible' });
  await page.screenshot({ path: '/tmp/invoice-declined.png', fullPage: true });
  await eventually(async () => ((await office.events(documentId)).some((event) => event.type === 'payment_failed') ? true : undefined), { what: 'the declined payment to be recorded' });
  expect((await office.document(documentId)).status).not.toBe('paid');
  expect((await payments.charges()).count).toBe(0);
  await page.goto(url);
  await payButton.waitFor({ state: 'visible' });
  expect(await page.locator('.banner.paid').count()).toBe(0);

  // The success card: back on the portal, paid, with the receipt.
  await payButton.click();
  await page.waitForURL(new RegExp(`^${payments.stripe.url}/c/pay/cs_test_`));
  await typeCard(page, '4242 4242 4242 4242');
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL((address) => address.href.startsWith(url));
  // The page says the payment is being confirmed and looks again by itself until it is recorded.
  await page.locator('.banner.paid').filter({ hasText: 'Facture payée' }).waitFor({ state: 'visible' });
  expect(await payButton.count()).toBe(0);
  const receiptLink = page.getByRole('link', { name: /Télécharger le reçu/ });
  await receiptLink.waitFor({ state: 'visible' });
  await page.screenshot({ path: '/tmp/invoice-paid.png', fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), receiptLink.click()]);
  const pdf = await readFile(await download.path());
  expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
  expect(download.suggestedFilename()).toMatch(/-R1\.pdf$/);

  expect((await office.document(documentId)).status).toBe('paid');
  expect((await payments.charges()).count).toBe(1);
  await context.close();
});
