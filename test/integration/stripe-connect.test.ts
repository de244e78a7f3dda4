/**
 * Money goes to the right account (issue 15): two sellers, each with its own connected Stripe
 * account made and onboarded through the API (POST /v1/settings/payments/connect, the stand-in's
 * hosted onboarding), each one's invoice paid on the portal lands on that seller's account in
 * the stand-in, never the platform's nor the other's; the stand-in's events of a connected
 * account (`account`) reach that seller's invoice, and an event of one seller's account naming
 * the other's invoice moves nothing. A tenant not connected, where the platform does not stand
 * in (STRIPE_CONNECT_REQUIRED=true, as in production), is not offered "Pay online", and asking
 * is refused with the reason; a card cannot be saved for its customers either; connected but
 * not through onboarding, paying is refused with that reason.
 */
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { createInvoice, paidSessionEvent, startPaymentStack, stripeSignature, type PaymentStack } from '../support/payments';
import { backOffice, SAMPLE_LINES, type BackOffice } from './portal-fixtures';

let payments: PaymentStack;

beforeAll(async () => {
  payments = await startPaymentStack({ env: { STRIPE_CONNECT_REQUIRED: 'true' } });
});
afterAll(async () => {
  await payments?.close();
});

const FIRM_LINES = SAMPLE_LINES.filter((line) => !line.optional);

/** A seller that offers "Pay online" and has connected and onboarded its own Stripe account. */
async function connectedSeller(): Promise<{ office: BackOffice; accountId: string }> {
  const office = await backOffice(payments.stack);
  await succeeded(office.api.PATCH('/v1/settings', { body: { payOnline: true } }), 200);
  expect(await succeeded(office.api.GET('/v1/settings/payments'), 200)).toEqual({ provider: 'stripe', accountId: null, chargesEnabled: false, detailsSubmitted: false, paidTo: 'nowhere' });
  const connect = () => succeeded(office.api.POST('/v1/settings/payments/connect', { body: { returnUrl: 'https://erp.example/settings/payments', country: 'FR' } }), 200);
  const first = await connect();
  expect(first).toMatchObject({ accountId: expect.stringMatching(/^acct_test_/), chargesEnabled: false, paidTo: 'connected_account' });
  // Asked again (the seller left onboarding half-way): the same account, a fresh link.
  const again = await connect();
  expect(again.accountId).toBe(first.accountId);
  expect(again.onboarding.url).not.toBe(first.onboarding.url);
  const done = await fetch(again.onboarding.url, { method: 'POST', redirect: 'manual' });
  expect(done.headers.get('location')).toBe('https://erp.example/settings/payments');
  expect(await succeeded(office.api.GET('/v1/settings/payments'), 200)).toMatchObject({ accountId: first.accountId, chargesEnabled: true, detailsSubmitted: true });
  return { office, accountId: first.accountId as string };
}

/** The invoice sent, and paid with the success card on the page the portal hands out. */
async function payInvoice(office: BackOffice): Promise<{ documentId: string; sessionId: string; gross: number }> {
  const { documentId, contactEmail } = await createInvoice(office, { locale: 'fr', lines: FIRM_LINES });
  const { url } = await office.sendQuote(documentId, contactEmail);
  const page = (await (await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { url: string; sessionId: string };
  const paid = await fetch(page.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'payer@customer.test', cardNumber: '4242 4242 4242 4242', cardExpiry: '12 / 34', cardCvc: '123' }),
    redirect: 'manual',
  });
  expect(paid.status).toBe(303);
  return { documentId, sessionId: page.sessionId, gross: (await office.document(documentId)).totals.gross };
}

const chargesOf = async (account: string) => ((await (await fetch(`${payments.stripe.url}/_test/charges?account=${account}`)).json()) as { data: { amount: number; paymentIntent: string }[] }).data;

it("pays each seller's invoice on its own connected account, and routes each account's events to its own seller", async () => {
  const [lumiere, durand] = [await connectedSeller(), await connectedSeller()];
  expect(lumiere.accountId).not.toBe(durand.accountId);

  const first = await payInvoice(lumiere.office);
  const second = await payInvoice(durand.office);
  for (const [seller, invoice] of [
    [lumiere, first],
    [durand, second],
  ] as const) {
    const paid = await eventually(
      async () => {
        const document = await seller.office.document(invoice.documentId);
        return document.status === 'paid' ? document : undefined;
      },
      { what: "the seller's invoice to be paid" },
    );
    expect(paid.payments).toEqual([expect.objectContaining({ status: 'succeeded', amount: invoice.gross, checkoutSessionId: invoice.sessionId })]);
    // The money is on the seller's account, and only there.
    expect(await chargesOf(seller.accountId)).toEqual([expect.objectContaining({ amount: invoice.gross, paymentIntent: paid.payments[0]?.paymentIntentId })]);
  }
  expect(await chargesOf('platform')).toEqual([]);

  // The stand-in's completion events came from the sellers' accounts (`account`), and each reached its seller (outcome signalled).
  const completions = (await payments.events()).filter((event) => event.type === 'checkout.session.completed') as unknown as { account?: string; data: { object: { id: string } }; deliveries: { statusCode?: number }[] }[];
  expect(completions.map((event) => [event.data.object.id, event.account])).toEqual([
    [first.sessionId, lumiere.accountId],
    [second.sessionId, durand.accountId],
  ]);
});

it("counts a connected account's event for its own seller's invoice only", async () => {
  const [mallory, victim] = [await connectedSeller(), await connectedSeller()];
  const { documentId, contactEmail } = await createInvoice(victim.office, { locale: 'fr', lines: FIRM_LINES });
  await victim.office.sendQuote(documentId, contactEmail);
  const gross = (await victim.office.document(documentId)).totals.gross;
  const { tenantId } = await payments.stack.prisma.document.findUniqueOrThrow({ where: { id: documentId }, select: { tenantId: true } });
  // A completed session as Stripe would sign it for an event of `account`: a seller's account
  // controls what it creates, metadata included.
  const completed = (account: string) => paidSessionEvent({ id: `evt_${account}`, tenantId, documentId, amount: gross, account });
  const deliver = async (body: string) => {
    const response = await fetch(`${payments.stack.baseUrl}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(body, payments.webhookSecret) }, body });
    expect(response.status).toBe(200);
    return ((await response.json()) as { outcome: string }).outcome;
  };

  // Another seller's account naming this invoice: answered (Stripe stops retrying), nothing counted.
  expect(await deliver(completed(mallory.accountId))).toBe('ignored');
  expect(await deliver(completed('acct_test_nobody'))).toBe('ignored');
  expect((await victim.office.document(documentId)).status).toBe('sent');
  // The invoice's own seller's account: the invoice hears it.
  expect(await deliver(completed(victim.accountId))).toBe('signalled');
  const paid = await eventually(
    async () => {
      const document = await victim.office.document(documentId);
      return document.status === 'paid' ? document : undefined;
    },
    { what: 'the invoice to count its own account\'s payment' },
  );
  expect(paid.payments).toEqual([expect.objectContaining({ status: 'succeeded', amount: gross, paymentIntentId: `pi_test_evt_${victim.accountId}` })]);
});

it('refuses payments of a tenant not connected, with the reason', async () => {
  const office = await backOffice(payments.stack);
  await succeeded(office.api.PATCH('/v1/settings', { body: { payOnline: true } }), 200);
  const { documentId, contactEmail } = await createInvoice(office, { locale: 'fr', lines: FIRM_LINES });
  const { url } = await office.sendQuote(documentId, contactEmail);
  // The portal offers no "Pay online"; asking anyway is refused, saying why.
  expect(await (await fetch(url)).text()).not.toContain('Payer en ligne');
  const asked = await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(asked.status).toBe(409);
  expect(((await asked.json()) as { detail: string }).detail).toBe(
    'Payments are not set up: the seller has no connected Stripe account yet (POST /v1/settings/payments/connect).',
  );
  // Nor is a card saved for its customers (it would be on nobody's account).
  const customer = await succeeded(office.api.POST('/v1/customers', { body: { name: 'Åsa Öberg AB' } }), 201);
  const saved = await office.api.PATCH('/v1/customers/{id}', { params: { path: { id: customer.id } }, body: { savedCard: { paymentMethodId: 'pm_card_visa' } } });
  expect(saved.response.status).toBe(409);
  expect(saved.error).toMatchObject({ detail: expect.stringContaining('Payments are not set up') });
  expect(await succeeded(office.api.GET('/v1/settings/payments'), 200)).toMatchObject({ accountId: null, paidTo: 'nowhere' });

  // Connected, onboarding not finished: Stripe would take nothing on it, and the portal says so.
  await succeeded(office.api.POST('/v1/settings/payments/connect', { body: { returnUrl: 'https://erp.example/settings/payments' } }), 200);
  const early = await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(early.status).toBe(409);
  expect(((await early.json()) as { detail: string }).detail).toBe(
    "Payments are not set up: the seller's Stripe account has not finished its onboarding (POST /v1/settings/payments/connect answers a link to finish it).",
  );
  expect((await office.document(documentId)).payments).toEqual([]);
});
