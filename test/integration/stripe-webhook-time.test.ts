/**
 * Stripe's webhooks are taken within five minutes of their signed time, either way: a "paid"
 * event rightly signed but dated a day ahead (a clock gone wrong, or a captured event kept to be
 * replayed later) pays nothing, while a few seconds of clock skew is no reason to refuse one.
 */
import { eventually } from '../support/eventually';
import { createInvoice, paidSessionEvent, startPaymentStack, stripeSignature, type PaymentStack } from '../support/payments';
import { backOffice, SAMPLE_LINES, type BackOffice } from './portal-fixtures';

let payments: PaymentStack;
let office: BackOffice;

beforeAll(async () => {
  payments = await startPaymentStack();
  office = await backOffice(payments.stack);
});
afterAll(async () => {
  await payments?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

const signed = (body: string, timestamp: number) => stripeSignature(body, payments.webhookSecret, timestamp);

async function postWebhook(body: string, signature: string): Promise<Response> {
  return fetch(`${payments.stack.baseUrl}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });
}

const paidEvent = (id: string, tenantId: string, documentId: string, amount: number) => paidSessionEvent({ id, tenantId, documentId, amount });

test('a paid event signed a day (or ten minutes) ahead is refused and pays nothing; one a minute ahead is taken', async () => {
  const { documentId, contactEmail } = await createInvoice(office, { lines: SAMPLE_LINES.filter((line) => !line.optional) });
  await office.sendQuote(documentId, contactEmail);
  const { tenantId, grossTotal } = await payments.stack.prisma.document.findUniqueOrThrow({ where: { id: documentId } });

  for (const [id, ahead] of [
    ['evt_day_ahead', 24 * 3600],
    ['evt_ten_minutes_ahead', 600],
  ] as const) {
    const body = paidEvent(id, tenantId, documentId, grossTotal);
    const answer = await postWebhook(body, signed(body, nowSeconds() + ahead));
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { detail: string }).detail).toContain('tolerance');
  }
  expect((await office.document(documentId)).status).toBe('sent');
  expect((await office.events(documentId)).map((event) => event.type)).not.toContain('paid');

  const skewed = paidEvent('evt_minute_ahead', tenantId, documentId, grossTotal);
  expect((await postWebhook(skewed, signed(skewed, nowSeconds() + 60))).status).toBe(200);
  await eventually(async () => ((await office.document(documentId)).status === 'paid' ? true : undefined), { what: 'the invoice paid' });
});
