/**
 * A deposit paid with the yes, in a real browser (Debian's Chromium driven by playwright-core):
 * a quote asking 30 % is accepted on the portal, the deposit paid on the Stripe stand-in's hosted
 * page, and the quote shows accepted with its deposit paid. Converted into an invoice by the back
 * office, the invoice's page shows the deposit deducted and asks for the rest.
 * Screenshots are kept in .data/screenshots (quote-deposit-paid.png, invoice-deposit-deducted.png).
 */
import type { Browser } from 'playwright-core';
import { formatMoney } from '../../domain/money';
import { succeeded } from '../support/api';
import { launchChromium, onAPhone, keepScreenshot } from '../support/browser';
import { eventually } from '../support/eventually';
import { emailedPortalPage, startPaymentStack, typeCard, type PaymentStack } from '../support/payments';
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

it('accepts a quote with a 30 % deposit paid on the hosted page, then its invoice shows the deposit deducted', async () => {
  await succeeded(office.api.PATCH('/v1/settings', { body: { payOnline: true } }), 200);
  const lines = SAMPLE_LINES.filter((line) => !line.optional);
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines, deposit: { percent: 30 } });
  const { url } = await office.sendQuote(documentId, contactEmail);
  const quote = await office.document(documentId);
  const depositAmount = quote.deposit?.amount as number;
  expect(depositAmount).toBe(Math.round(quote.totals.gross * 0.3));
  const money = (amount: number) => formatMoney(amount, 'EUR', 'fr');

  const page = await browser.newPage(onAPhone('fr-FR'));
  await page.goto(url);
  await page.getByRole('heading', { name: 'Brochures de printemps' }).waitFor({ state: 'visible' });
  // The yes is the deposit's payment: one button says both.
  const acceptAndPay = page.getByRole('button', { name: `Accepter et payer l’acompte (${money(depositAmount)})` });
  await acceptAndPay.click();
  await page.waitForURL(new RegExp(`^${payments.stripe.url}/c/pay/cs_test_`));
  await typeCard(page, '4242 4242 4242 4242');
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL((address) => address.href.startsWith(url));
  // Back on the portal, the page looks again by itself until the deposit is recorded and the quote accepted.
  await page.locator('.deposit-paid').filter({ hasText: `Acompte de ${money(depositAmount)} payé le` }).waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.banner.accepted').waitFor({ state: 'visible', timeout: 60_000 });
  await page.getByRole('link', { name: /Télécharger le reçu/ }).waitFor({ state: 'visible' });
  await keepScreenshot(page, 'quote-deposit-paid');
  expect((await payments.charges()).count).toBe(1);

  // The back office converts it; the invoice's page shows the deposit deducted and asks for the rest.
  const invoice = await succeeded(office.api.POST('/v1/documents/{id}/convert', { params: { path: { id: documentId } }, body: { to: 'invoice' } }), 201);
  await succeeded(office.api.POST('/v1/documents/{id}/send', { params: { path: { id: invoice.id } }, body: {} }), 202);
  const invoiceLink = await emailedPortalPage(payments.stack, contactEmail, (await office.document(invoice.id)).number);
  // The email goes out before the workflow records it: a page read in between shows a draft.
  await eventually(async () => ((await office.document(invoice.id)).status === 'sent' ? true : undefined), { what: 'the invoice to be sent' });
  await page.goto(invoiceLink.url);
  await page.locator('.deposit-deducted').filter({ hasText: `Acompte déjà versé (devis ${quote.number})` }).waitFor({ state: 'visible' });
  await page.getByRole('button', { name: `Payer en ligne ${money(quote.totals.gross - depositAmount)}` }).waitFor({ state: 'visible' });
  await keepScreenshot(page, 'invoice-deposit-deducted');
  await page.close();
});
