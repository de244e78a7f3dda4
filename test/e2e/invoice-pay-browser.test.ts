/**
 * A customer pays an invoice in a real browser (Debian's Chromium driven by playwright-core):
 * the invoice created and sent through the API, the link read from the email, "Pay online"
 * clicked, the card typed on the Stripe stand-in's hosted page. The decline card first: the
 * page says the card was declined and the invoice stays unpaid. Then the success card: back on
 * the portal, the invoice shows paid with its receipt to download.
 * Screenshots are kept in .data/screenshots (invoice-declined.png, invoice-paid.png) for a person to look at.
 */
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { formatMoney } from '../../domain/money';
import { launchChromium, onAPhone, keepScreenshot } from '../support/browser';
import { eventually } from '../support/eventually';
import { createInvoice, startPaymentStack, typeCard, type PaymentStack } from '../support/payments';
import { whereItStands } from '../support/where-it-stands';
import { backOffice, SAMPLE_LINES, type BackOffice } from '../integration/portal-fixtures';

let payments: PaymentStack;
let office: BackOffice;
let browser: Browser;

beforeAll(async () => {
  payments = await startPaymentStack();
  office = await backOffice(payments.stack);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await payments?.close();
});

it('declines the decline card with a clear message, then pays with the success card and shows paid with a receipt', async () => {
  expect((await office.api.PATCH('/v1/settings', { body: { payOnline: true } })).response.status).toBe(200);
  const lines = SAMPLE_LINES.filter((line) => !line.optional);
  const { documentId, contactEmail } = await createInvoice(office, { locale: 'fr', lines });
  const { url } = await office.sendQuote(documentId, contactEmail);
  const gross = formatMoney((await office.document(documentId)).totals.gross, 'EUR', 'fr');

  const page = await browser.newPage(onAPhone('fr-FR'));
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
  await keepScreenshot(page, 'invoice-declined');
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
  // Webhook or return, then the workflow records, renders the receipt and answers: as long as `eventually` allows on a busy machine.
  await page
    .locator('.banner.paid')
    .filter({ hasText: 'Facture payée' })
    .waitFor({ state: 'visible', timeout: 60_000 })
    .catch(async (error: unknown) => {
      throw new Error(`${String(error)}\nThe page showed: ${(await page.locator('main').innerText().catch(() => '?')).slice(0, 400)}\n${await whereItStands(payments.stack, 'invoice', documentId)}`);
    });
  expect(await payButton.count()).toBe(0);
  const receiptLink = page.getByRole('link', { name: /Télécharger le reçu/ });
  await receiptLink.waitFor({ state: 'visible' });
  await keepScreenshot(page, 'invoice-paid');
  const [download] = await Promise.all([page.waitForEvent('download'), receiptLink.click()]);
  const pdf = await readFile(await download.path());
  expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
  expect(download.suggestedFilename()).toMatch(/-R1\.pdf$/);

  expect((await office.document(documentId)).status).toBe('paid');
  expect((await payments.charges()).count).toBe(1);
  await page.close();
});
