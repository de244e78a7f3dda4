/**
 * An invoice paid online, over HTTP end to end: the real API, worker and Temporal, the
 * official Stripe SDK talking to the local stand-in, whose hosted page is paid as a browser
 * would post it and whose webhooks are signed with Stripe's scheme. Then the faults: a bad
 * signature signals nothing, a webhook replayed three times counts once, paying twice is
 * refused, two "Pay online" at once get one page, a page paid before its webhook is heard is
 * counted by the next "Pay online", which opens nothing.
 */
import { createHmac } from 'node:crypto';
import { succeeded, type components } from '../support/api';
import { eventually } from '../support/eventually';
import { createInvoice, payOnHostedPage, startPaymentStack, type PaymentStack } from '../support/payments';
import { saveClosedHistory } from '../replay/record';
import { recipientsOf } from '../support/outbox';
import { pdfText } from '../support/pdf-text';
import { backOffice, formFields, SAMPLE_LINES, type BackOffice } from './portal-fixtures';

let payments: PaymentStack;
let office: BackOffice;

beforeAll(async () => {
  payments = await startPaymentStack();
  office = await backOffice(payments.stack);
});
afterAll(async () => {
  await payments?.close();
});

const FIRM_LINES = SAMPLE_LINES.filter((line) => !line.optional);

const documentOf = (documentId: string) => office.document(documentId);
const settings = (patch: components['schemas']['UpdateSettings']) => succeeded(office.api.PATCH('/v1/settings', { body: patch }), 200);

function signed(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function postWebhook(body: string, signature: string | undefined): Promise<Response> {
  return fetch(`${payments.stack.baseUrl}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
    body,
  });
}

it('settings: payOnline is validated, saved and read back', async () => {
  // A string where the document asks a boolean: sent outside the typed client.
  expect((await office.raw('PATCH', '/v1/settings', { payOnline: 'yes' })).status).toBe(400);
  const saved = await office.api.PATCH('/v1/settings', { body: { payOnline: true } });
  expect(saved.response.status).toBe(200);
  expect(saved.data?.payOnline).toBe(true);
  expect((await office.api.GET('/v1/settings')).data?.payOnline).toBe(true);
});

it('pays an invoice online once: decline recorded, bad signatures refused, replays counted once, second payment refused', async () => {
  await settings({ payOnline: true });
  const { documentId, contactEmail } = await createInvoice(office, { locale: 'fr', lines: FIRM_LINES });
  const { url } = await office.sendQuote(documentId, contactEmail);
  const gross = (await documentOf(documentId)).totals.gross;
  expect(gross).toBeGreaterThan(0);

  // The page offers "Pay online"; a form post carries its CSRF field, a JSON post none.
  const page = await (await fetch(url)).text();
  expect(page).toContain('Payer en ligne');
  const fields = formFields(page, 'pay');
  const viaForm = await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  expect(viaForm.status).toBe(200);
  const interstitial = await viaForm.text();
  const checkoutUrl = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(interstitial)?.[1]?.replace(/&amp;/g, '&');
  expect(checkoutUrl).toMatch(new RegExp(`^${payments.stripe.url}/c/pay/cs_test_`));
  const forged = await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ decisionId: 'abcdefgh12', csrf: 'forged' }) });
  expect(forged.status).toBe(403);
  // One payment page at a time: asking again hands out the same session.
  const again = (await (await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { url: string; sessionId: string };
  expect(again.url).toBe(checkoutUrl);
  const sessionId = again.sessionId;

  // A forged "paid" event — right shape, wrong secret — and a tampered body are refused; nothing moves.
  const forgedEvent = JSON.stringify({
    id: 'evt_forged',
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: sessionId, object: 'checkout.session', status: 'complete', payment_status: 'paid', amount_total: gross, currency: 'eur', payment_intent: 'pi_forged', metadata: { greenlight_tenant: 'x', greenlight_subject: documentId, greenlight_kind: 'invoice' } } },
  });
  const wrongSecret = await postWebhook(forgedEvent, signed(forgedEvent, 'whsec_not_ours'));
  expect(wrongSecret.status).toBe(400);
  expect(wrongSecret.headers.get('content-type')).toContain('application/problem+json');
  expect((await postWebhook(forgedEvent, undefined)).status).toBe(400);
  const stale = await postWebhook(forgedEvent, signed(forgedEvent, payments.webhookSecret, Math.floor(Date.now() / 1000) - 3600));
  expect(stale.status).toBe(400);
  const tampered = await postWebhook(forgedEvent.replace('"amount_total":', '"amount_total":1'), signed(forgedEvent, payments.webhookSecret));
  expect(tampered.status).toBe(400);

  // The decline card: the hosted page says so, the invoice records the failure and stays unpaid.
  const declined = await payOnHostedPage(checkoutUrl as string, '4000 0000 0000 0002');
  expect(declined.status).toBe(402);
  expect(await declined.text()).toContain('Your card was declined.');
  const failed = await eventually(async () => (await office.events(documentId)).find((event) => event.type === 'payment_failed'), { what: 'the failed payment to be recorded' });
  expect(failed.data).toMatchObject({ failureCode: 'generic_decline' });
  expect((await documentOf(documentId)).status).toBe('sent');
  expect((await payments.charges()).count).toBe(0);

  // Back on the page before a payment is recorded, it looks again by itself, less and less often.
  const lookingAgain = async (query: string) => (await (await fetch(`${url}?${query}`, { headers: { 'accept-language': 'en' } })).text()).match(/http-equiv="refresh" content="(\d+);url=[^"]*\?payment=success&amp;check=(\d+)"/)?.slice(1);
  expect(await lookingAgain('payment=success')).toEqual(['2', '1']);
  expect(await lookingAgain('payment=success&check=3')).toEqual(['8', '4']);
  expect(await lookingAgain('payment=success&check=44')).toEqual(['15', '45']);
  // After about ten minutes it stops, and shows where the invoice stands.
  expect(await lookingAgain('payment=success&check=45')).toBeUndefined();

  // The success card: back to the portal through the success URL, paid, with a receipt.
  const accepted = await payOnHostedPage(checkoutUrl as string, '4242 4242 4242 4242');
  expect(accepted.status).toBe(303);
  const successUrl = accepted.headers.get('location') as string;
  expect(successUrl).toBe(`${url}/payment-return?session=${sessionId}`);
  const back = await fetch(successUrl, { redirect: 'manual' });
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toMatch(/\?payment=success#payment$/);
  const paid = await eventually(
    async () => {
      const document = await documentOf(documentId);
      return document.status === 'paid' ? document : undefined;
    },
    { what: 'the invoice to be paid' },
  );
  expect(paid.payments).toHaveLength(1);
  const [payment] = paid.payments;
  expect(payment).toMatchObject({ status: 'succeeded', amount: gross, checkoutSessionId: sessionId });
  expect(payment?.paymentIntentId).toMatch(/^pi_test_/);
  expect(payment?.receiptNumber).toMatch(/-R1$/);
  expect((await payments.charges()).count).toBe(1);
  // A declined then paid invoice: the history CI replays (test/replay/record.ts).
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    await saveClosedHistory(payments.stack.client.workflow, `invoice-${documentId}`, 'invoice-paid');
  }

  // The stand-in's completion event, delivered again three times (as Stripe retries): counted once.
  const completed = await eventually(
    async () => (await payments.events()).find((event) => event.type === 'checkout.session.completed' && event.data.object.id === sessionId && event.deliveries.length > 0),
    { what: 'the checkout.session.completed webhook' },
  );
  expect(completed.deliveries[0]?.statusCode).toBe(200);
  for (let replay = 0; replay < 3; replay += 1) {
    const redelivered = (await (await fetch(`${payments.stripe.url}/_test/events/${completed.id}/redeliver`, { method: 'POST' })).json()) as { deliveries: { statusCode: number }[] };
    expect(redelivered.deliveries.map((delivery) => delivery.statusCode)).toEqual([200]);
  }
  const events = await office.events(documentId);
  expect(events.filter((event) => event.type === 'paid')).toHaveLength(1);
  expect((await documentOf(documentId)).payments.filter((row) => row.status === 'succeeded')).toHaveLength(1);
  expect((await payments.charges()).count).toBe(1);

  // Paying twice is impossible: no pay button, a second session refused; the receipt downloads.
  const paidPage = await (await fetch(url)).text();
  expect(paidPage).not.toContain('Payer en ligne');
  // Where it stands, with the day it was paid, in the banner at the top.
  expect(paidPage).toMatch(/<p class="banner paid accepted" role="status">Facture payée le \d{1,2} \S+ \d{4}<\/p>[\s\S]*<article class="sheet">/);
  const second = await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(second.status).toBe(409);
  expect(((await second.json()) as { detail: string }).detail).toBe('The invoice is already paid');
  const receiptLink = /href="([^"]+\/receipts\/[^"]+)"/.exec(paidPage)?.[1] as string;
  const receipt = await fetch(new URL(receiptLink, url));
  expect(receipt.status).toBe(200);
  expect(receipt.headers.get('content-type')).toBe('application/pdf');
  const text = pdfText(new Uint8Array(await receipt.arrayBuffer()));
  expect(text).toContain('Reçu de paiement');
  expect(text).toContain(payment?.receiptNumber as string);
  // The assignee heard about it (notify: {paid: ["email"]}).
  await eventually(async () => ((await payments.stack.readOutbox()).some((email) => recipientsOf(email).some((to) => to.startsWith('jeanne-'))) ? true : undefined), { what: "the assignee's paid notice" });
  // The customer got one confirmation, in French, whose receipt link downloads the same receipt.
  const confirmation = await eventually(
    async () => (await payments.stack.readOutbox()).find((email) => recipientsOf(email).includes(contactEmail) && email.subject.startsWith('Paiement reçu')),
    { what: "the customer's confirmation of the payment" },
  );
  await payments.stack.client.workflow.getHandle(`invoice-${documentId}`).result();
  expect((await payments.stack.readOutbox()).filter((email) => recipientsOf(email).includes(contactEmail) && email.subject.startsWith('Paiement reçu'))).toHaveLength(1);
  expect(confirmation.text).toContain('Nous avons bien reçu votre paiement');
  const emailedReceipt = confirmation.links.find((link) => link.includes('/receipts/')) as string;
  expect(emailedReceipt.endsWith(`/receipts/${receiptLink.slice(receiptLink.lastIndexOf('/') + 1)}`)).toBe(true);
  const fromEmail = await fetch(emailedReceipt);
  expect(fromEmail.status).toBe(200);
  expect(pdfText(new Uint8Array(await fromEmail.arrayBuffer()))).toContain(payment?.receiptNumber as string);
});

it('without online payment, the invoice page offers no pay button and POST /pay is refused', async () => {
  await settings({ payOnline: false });
  const { documentId, contactEmail } = await createInvoice(office, { locale: 'en', lines: FIRM_LINES });
  const { url } = await office.sendQuote(documentId, contactEmail);
  expect(await (await fetch(url)).text()).not.toContain('Pay online');
  const refused = await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(refused.status).toBe(409);
  expect(((await refused.json()) as { detail: string }).detail).toBe('Online payment is not offered for this invoice');
});

it('becomes overdue after its due date, is reminded as quotes are, and once cancelled its payment page is closed', async () => {
  await settings({ payOnline: true, reminderAfter: 'PT2S', maxReminders: 1 });
  const { documentId, contactEmail } = await createInvoice(office, { locale: 'en', lines: FIRM_LINES, dueDate: new Date(Date.now() + 4000) });
  const { url } = await office.sendQuote(documentId, contactEmail);
  const opened = (await (await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { url: string; sessionId: string };

  const reminder = await eventually(
    async () => (await payments.stack.readOutbox()).find((email) => recipientsOf(email).some((to) => to.includes(contactEmail)) && email.subject.startsWith('Reminder: invoice')),
    { what: 'the automatic reminder' },
  );
  expect(reminder.links.some((link) => link.startsWith(`${payments.stack.baseUrl}/d/`))).toBe(true);
  await eventually(async () => ((await documentOf(documentId)).status === 'overdue' ? true : undefined), { what: 'the invoice to be overdue' });
  const events = await office.events(documentId);
  expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['sent', 'reminded', 'overdue']));
  const overduePage = await (await fetch(url)).text();
  // Where it stands, at the top of the page, before the invoice itself.
  const banner = /<p class="banner overdue refused" role="status">([^<]*)<\/p>/.exec(overduePage);
  expect(banner?.[1]).toMatch(/^This invoice is overdue: it was due on \w+ \d+, \d{4}$/);
  expect(overduePage.indexOf(banner?.[0] ?? '')).toBeLessThan(overduePage.indexOf('<article class="sheet">'));

  const cancelled = await office.api.POST('/v1/documents/{id}/cancel', { params: { path: { id: documentId } }, body: { reason: 'Credit note issued' } });
  expect(cancelled.response.status).toBe(202);
  expect(cancelled.data?.status).toBe('cancelled');
  await eventually(async () => ((await documentOf(documentId)).payments[0]?.status === 'expired' ? true : undefined), { what: 'the payment page to be closed' });
  expect(await (await fetch(opened.url)).text()).toContain('This payment page has expired');
  // The cancelled invoice's link is gone: no payment page opens from it.
  await eventually(async () => ((await documentOf(documentId)).status === 'cancelled' ? true : undefined), { what: 'the invoice to be cancelled' });
  const refused = await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(refused.status).toBe(410);
  expect(((await refused.json()) as { type: string }).type).toBe('https://greenlight.dev/problems/document-cancelled');
});

it('two "Pay online" at once (two tabs, a double click) get the same page and one payment row', async () => {
  await succeeded(office.api.PATCH('/v1/settings', { body: { payOnline: true } }));
  const { documentId, contactEmail } = await createInvoice(office, { locale: 'en', lines: FIRM_LINES });
  const { url } = await office.sendQuote(documentId, contactEmail);
  const tabs = await Promise.all([fetch(url), fetch(url)].map(async (page) => formFields(await (await page).text(), 'pay')));
  expect(tabs[0]?.decisionId).not.toBe(tabs[1]?.decisionId);
  const clicks = [tabs[0], tabs[1], tabs[1]].map((fields) =>
    fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(fields) }),
  );
  const opened = await Promise.all(clicks.map(async (click) => {
    const answer = await click;
    expect(answer.status).toBe(200);
    return (await answer.json()) as { url: string; sessionId: string };
  }));
  expect(new Set(opened.map((page) => page.sessionId)).size).toBe(1);
  const rows = (await documentOf(documentId)).payments;
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status: 'open', amount: (await documentOf(documentId)).totals.gross, checkoutSessionId: opened[0]?.sessionId });
});

it('a page paid whose webhook is not heard yet: the next "Pay online" counts the payment and opens nothing', async () => {
  await succeeded(office.api.PATCH('/v1/settings', { body: { payOnline: true } }));
  const { documentId, contactEmail } = await createInvoice(office, { locale: 'en', lines: FIRM_LINES });
  const { url } = await office.sendQuote(documentId, contactEmail);
  // Each click its own decision (a page rendered again): the same decision asked again is answered the same.
  const pay = (decisionId: string) => fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decisionId }) });
  const opened = (await (await pay('first-click')).json()) as { url: string; sessionId: string };
  const release = payments.holdWebhooks();
  try {
    // Paid on the hosted page; the customer does not come back, no webhook arrives.
    expect((await payOnHostedPage(opened.url, '4242 4242 4242 4242')).status).toBe(303);
    const again = await pay('second-click');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { detail: string }).detail).toBe('This invoice has just been paid; the receipt is on its way');
  } finally {
    release();
  }
  // The workflow counted it from that click: paid, one row, its receipt.
  const paid = await eventually(async () => {
    const document = await documentOf(documentId);
    return document.status === 'paid' && document.payments[0]?.receiptNumber ? document : undefined;
  }, { what: 'the invoice to be paid from the click' });
  expect(paid.payments).toHaveLength(1);
  expect(paid.payments[0]).toMatchObject({ status: 'succeeded', checkoutSessionId: opened.sessionId });
  // Paid: the first click's form posted again is refused with the reason a paid invoice gives, not handed its page.
  const afterwards = await pay('first-click');
  expect(afterwards.status).toBe(409);
  expect(((await afterwards.json()) as { detail: string }).detail).toBe('The invoice is already paid');
});

it('lists invoices by their payment status', async () => {
  const paid = await succeeded(office.api.GET('/v1/documents', { params: { query: { kind: 'invoice', status: 'paid' } } }), 200);
  expect(paid.data.length).toBeGreaterThan(0);
  expect(paid.data.every((document) => document.kind === 'invoice' && document.status === 'paid')).toBe(true);
  // A status the document does not list: sent outside the typed client.
  expect((await office.raw('GET', '/v1/documents?status=not_a_status')).status).toBe(400);
});
