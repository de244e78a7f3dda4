/**
 * Every request our Stripe adapter (services/payment/stripe.ts) makes, sent through the
 * official SDK to stripe-mock — Stripe's own mock, which validates each request against
 * Stripe's OpenAPI description and refuses what Stripe would refuse (unknown parameters,
 * wrong types, missing required ones). A request Stripe would reject fails here.
 *
 * The same calls then go to our stand-in (devtools/stripe/), which must accept them too and
 * answer the shapes the adapter reads: the stand-in cannot drift from what the adapter sends.
 * Its hosted page and webhooks are checked the same way: the 3-D Secure card, and events whose
 * signatures the SDK's own verification accepts (and refuses under another secret).
 *
 * stripe-mock is built once by scripts/install-stripe-mock.sh (`make test` runs it); without
 * it (no Go on this machine) the stripe-mock half says so and is skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebhookSignatureError, type PaymentProvider, type PaymentSubject } from '../../services/payment/provider';
import { createStripeProvider } from '../../services/payment/stripe';
import { startStripeStandIn, type StripeStandIn } from '../../devtools/stripe/server';
import { findFreePort } from '../../scripts/lib/ports';
import { eventually } from '../support/eventually';

const STRIPE_MOCK = path.resolve(__dirname, '../../.tools/bin/stripe-mock');
const SUBJECT: PaymentSubject = { tenantId: 'ten_contract', subjectId: 'doc_contract', subjectKind: 'invoice' };
const SECRET_KEY = 'sk_test_contract';

/** The adapter's every call, in the order a real invoice and a saved-card charge make them. */
async function exerciseEveryCall(provider: PaymentProvider, customerId: string) {
  const session = await provider.createHostedPayment({
    subject: SUBJECT,
    amount: 119873,
    currency: 'EUR',
    description: 'FAC-0001 — Brochures de printemps · Imprimerie Lumière',
    customerEmail: 'payer@customer.test',
    locale: 'fr',
    successUrl: 'http://localhost:3000/d/token/payment-return?session={SESSION_ID}',
    cancelUrl: 'http://localhost:3000/d/token?payment=cancelled#payment',
    idempotencyKey: `doc_contract:checkout:${Date.now()}`,
  });
  const retrieved = await provider.retrieveHostedPayment(session.sessionId);
  const expired = await provider.expireHostedPayment(session.sessionId);
  const charge = await provider.chargeSavedCard({
    subject: { ...SUBJECT, subjectKind: 'subscription' },
    amount: 2900,
    currency: 'EUR',
    customerId,
    paymentMethodId: 'pm_card_visa',
    description: 'Plan Pro — November',
    idempotencyKey: `sub_contract:period-1:attempt-1:${Date.now()}`,
  });
  const chargeRead = await provider.retrieveCharge(charge.paymentId);
  // A card saved for a customer (PATCH /v1/customers/:id {savedCard}): the provider customer made, the card attached.
  const saved = await provider.saveCard({ name: 'Åsa Öberg AB', email: 'payer@customer.test', paymentMethodId: 'pm_card_visa', idempotencyKey: `cus_contract:save:${Date.now()}` });
  return { session, retrieved, expired, charge, chargeRead, saved };
}

/**
 * Stripe Connect, as POST /v1/settings/payments/connect and a connected seller's payments make
 * the calls: the seller's account and its onboarding link on the platform, then a card saved, a
 * Checkout Session and an off-session charge on the seller's account (`Stripe-Account`).
 * `onboard` is the seller going through the link (nothing to do at stripe-mock).
 */
async function exerciseConnectCalls(provider: PaymentProvider, onboard: (url: string) => Promise<void>) {
  const account = await provider.createConnectedAccount({ tenantId: SUBJECT.tenantId, email: 'vente@lumiere.test', country: 'FR', idempotencyKey: `ten_contract:account:${Date.now()}` });
  const link = await provider.createOnboardingLink({ accountId: account.accountId, returnUrl: 'https://erp.example/settings/payments', refreshUrl: 'https://erp.example/settings/payments?expired=1' });
  await onboard(link.url);
  const onboarded = await provider.retrieveConnectedAccount(account.accountId);
  const seller = provider.onAccount(account.accountId);
  const saved = await seller.saveCard({ name: 'Åsa Öberg AB', paymentMethodId: 'pm_card_visa', idempotencyKey: `cus_contract:connect-save:${Date.now()}` });
  const session = await seller.createHostedPayment({
    subject: SUBJECT,
    amount: 119873,
    currency: 'EUR',
    description: 'FAC-0001 — Brochures de printemps · Imprimerie Lumière',
    successUrl: 'http://localhost:3000/d/token/payment-return?session={SESSION_ID}',
    cancelUrl: 'http://localhost:3000/d/token?payment=cancelled#payment',
    idempotencyKey: `doc_contract:connect-checkout:${Date.now()}`,
  });
  const retrieved = await seller.retrieveHostedPayment(session.sessionId);
  const charge = await seller.chargeSavedCard({
    subject: { ...SUBJECT, subjectKind: 'subscription' },
    amount: 2900,
    currency: 'EUR',
    customerId: saved.providerCustomerId,
    paymentMethodId: saved.paymentMethodId,
    idempotencyKey: `sub_contract:connect-charge:${Date.now()}`,
  });
  return { account, link, onboarded, seller, saved, session, retrieved, charge };
}

describe('against stripe-mock (Stripe’s OpenAPI description)', () => {
  const available = existsSync(STRIPE_MOCK);
  if (!available) {
    it.skip('stripe-mock is not installed (scripts/install-stripe-mock.sh needs Go)', () => undefined);
    return;
  }
  let mock: ChildProcess;
  let provider: PaymentProvider;

  beforeAll(async () => {
    const port = await findFreePort();
    mock = spawn(STRIPE_MOCK, ['-http-addr', `127.0.0.1:${port}`], { stdio: 'ignore' });
    provider = createStripeProvider({ apiUrl: `http://127.0.0.1:${port}`, secretKey: SECRET_KEY, webhookSecret: 'whsec_contract' });
    await eventually(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/v1/customers`, { headers: { authorization: `Bearer ${SECRET_KEY}` } }).catch(() => undefined);
        return response?.ok ? true : undefined;
      },
      { what: 'stripe-mock to listen' },
    );
  });
  afterAll(() => {
    mock?.kill('SIGTERM');
  });

  it('accepts every request the adapter makes, and the adapter reads its answers', async () => {
    const { session, retrieved, expired, charge, chargeRead, saved } = await exerciseEveryCall(provider, 'cus_contract');
    expect(saved.providerCustomerId).toMatch(/^cus_/);
    expect(saved.paymentMethodId).toMatch(/^pm_/);
    expect(session.sessionId).toMatch(/^cs_/);
    expect(retrieved.sessionId).toMatch(/^cs_/);
    expect(expired.sessionId).toMatch(/^cs_/);
    expect(charge.paymentId).toMatch(/^pi_/);
    expect(chargeRead.paymentId).toMatch(/^pi_/);
  });

  it('accepts the Connect calls: an account, its onboarding link, and payments on it with Stripe-Account', async () => {
    const { account, link, onboarded, seller, session, retrieved, charge } = await exerciseConnectCalls(provider, async () => undefined);
    expect(account.accountId).toMatch(/^acct_/);
    expect(link.url).toMatch(/^https?:\/\//);
    expect(onboarded.accountId).toMatch(/^acct_/);
    expect(seller.account).toBe(account.accountId);
    expect(session.sessionId).toMatch(/^cs_/);
    expect(retrieved.sessionId).toMatch(/^cs_/);
    expect(charge.paymentId).toMatch(/^pi_/);
  });

  it('refuses what Stripe would refuse, so this test has teeth', async () => {
    await expect(
      provider.createHostedPayment({
        subject: SUBJECT,
        amount: 1.5,
        currency: 'EUR',
        description: 'not an integer amount',
        successUrl: 'http://localhost/ok',
        cancelUrl: 'http://localhost/cancel',
        idempotencyKey: `bad-${Date.now()}`,
      }),
    ).rejects.toThrow(/unit_amount|integer/i);
  });
});

describe('against the local stand-in (devtools/stripe/)', () => {
  let standIn: StripeStandIn;
  let provider: PaymentProvider;

  beforeAll(async () => {
    standIn = await startStripeStandIn({ port: 0, webhooks: [] });
    provider = createStripeProvider({ apiUrl: standIn.url, secretKey: SECRET_KEY, webhookSecret: 'whsec_contract' });
  });
  afterAll(async () => {
    await standIn?.close();
  });

  it('accepts the same requests and answers what the adapter reads', async () => {
    const customer = (await (
      await fetch(`${standIn.url}/v1/customers`, { method: 'POST', headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=payer%40customer.test' })
    ).json()) as { id: string };
    const { session, retrieved, expired, charge, chargeRead, saved } = await exerciseEveryCall(provider, customer.id);
    expect(saved).toEqual({ providerCustomerId: expect.stringMatching(/^cus_/), paymentMethodId: 'pm_card_visa' });
    expect(session).toMatchObject({ status: 'open', paid: false, amount: 119873, currency: 'EUR', subject: SUBJECT });
    expect(session.url).toBe(`${standIn.url}/c/pay/${session.sessionId}`);
    expect(retrieved).toMatchObject({ sessionId: session.sessionId, status: 'open' });
    expect(expired).toMatchObject({ sessionId: session.sessionId, status: 'expired' });
    expect(expired.url).toBeUndefined();
    expect(charge).toMatchObject({ status: 'succeeded', amount: 2900, currency: 'EUR', subject: { ...SUBJECT, subjectKind: 'subscription' } });
    expect(chargeRead).toMatchObject({ paymentId: charge.paymentId, status: 'succeeded' });
  });

  it("learns Connect: the seller's account takes payments once onboarded, on its own account only", async () => {
    const pending = await provider.createConnectedAccount({ tenantId: 'ten_pending', idempotencyKey: 'ten_pending:account' });
    expect(pending).toEqual({ accountId: expect.stringMatching(/^acct_test_/), chargesEnabled: false, detailsSubmitted: false });
    // Not onboarded yet: Stripe takes no payment on it.
    await expect(
      provider.onAccount(pending.accountId).createHostedPayment({ subject: SUBJECT, amount: 5000, currency: 'EUR', description: 'FAC-0003', successUrl: 'http://localhost/ok', cancelUrl: 'http://localhost/no', idempotencyKey: 'pending-1' }),
    ).rejects.toThrow(/onboarding is not complete/);
    // An account the platform does not know is refused outright.
    await expect(provider.onAccount('acct_test_unknown').retrieveCharge('pi_x')).rejects.toThrow(/does not have access to account 'acct_test_unknown'/);

    const onboardings: { get: number; post: number; location: string | null } = { get: 0, post: 0, location: null };
    const { account, onboarded, seller, session, charge } = await exerciseConnectCalls(provider, async (url) => {
      expect(url).toMatch(new RegExp(`^${standIn.url}/connect/onboarding/`));
      onboardings.get = (await fetch(url)).status;
      const done = await fetch(url, { method: 'POST', redirect: 'manual' });
      onboardings.post = done.status;
      onboardings.location = done.headers.get('location');
      // A link opens once: again, it sends the seller to the refresh URL for another.
      expect((await fetch(url, { redirect: 'manual' })).headers.get('location')).toBe('https://erp.example/settings/payments?expired=1');
    });
    expect(onboardings).toEqual({ get: 200, post: 303, location: 'https://erp.example/settings/payments' });
    expect(onboarded).toEqual({ accountId: account.accountId, chargesEnabled: true, detailsSubmitted: true });
    expect(session).toMatchObject({ status: 'open', amount: 119873, subject: SUBJECT });
    expect(charge).toMatchObject({ status: 'succeeded', amount: 2900 });
    // What the seller's account made is the seller's: the platform (or another account) finds none of it.
    await expect(provider.retrieveHostedPayment(session.sessionId)).rejects.toThrow(/No such checkout.session/);
    await expect(provider.retrieveCharge(charge.paymentId)).rejects.toThrow(/No such payment_intent/);
    await expect(provider.onAccount(pending.accountId).retrieveCharge(charge.paymentId)).rejects.toThrow(/No such payment_intent/);
    await expect(seller.retrieveCharge(charge.paymentId)).resolves.toMatchObject({ paymentId: charge.paymentId, status: 'succeeded' });
    const onAccount = (await (await fetch(`${standIn.url}/_test/charges?account=${account.accountId}`)).json()) as { data: { paymentIntent: string; account: string }[] };
    expect(onAccount.data).toEqual([expect.objectContaining({ paymentIntent: charge.paymentId, account: account.accountId })]);
  });

  it('answers a declined or unauthenticated saved card as a failed charge, and the same attempt key charges once', async () => {
    const customer = (await (
      await fetch(`${standIn.url}/v1/customers`, { method: 'POST', headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
    ).json()) as { id: string };
    const attempt = (paymentMethodId: string, idempotencyKey: string) =>
      provider.chargeSavedCard({ subject: SUBJECT, amount: 5000, currency: 'EUR', customerId: customer.id, paymentMethodId, idempotencyKey });
    await expect(attempt('pm_card_chargeDeclined', 'declined-1')).resolves.toMatchObject({ status: 'failed', failureCode: 'generic_decline', failureMessage: 'Your card was declined.' });
    await expect(attempt('pm_card_authenticationRequired', 'auth-1')).resolves.toMatchObject({ status: 'requires_action', failureCode: 'authentication_required' });
    const first = await attempt('pm_card_visa', 'retried-1');
    const retried = await attempt('pm_card_visa', 'retried-1');
    expect(retried.paymentId).toBe(first.paymentId);
    const charges = (await (await fetch(`${standIn.url}/_test/charges`)).json()) as { data: { paymentIntent: string }[] };
    expect(charges.data.filter((charge) => charge.paymentIntent === first.paymentId)).toHaveLength(1);
    // The same key with other parameters is Stripe's idempotency_error, never a second charge.
    await expect(
      provider.chargeSavedCard({ subject: SUBJECT, amount: 7000, currency: 'EUR', customerId: customer.id, paymentMethodId: 'pm_card_visa', idempotencyKey: 'retried-1' }),
    ).rejects.toThrow(/same parameters/);
  });
});

describe("the stand-in's hosted page and webhooks", () => {
  it('asks for 3-D Secure with the authentication card (Fail declines, Complete pays) and signs its events as the SDK verifies them', async () => {
    const received: { body: Buffer; signature: string | undefined }[] = [];
    const receiver = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ body: Buffer.concat(chunks), signature: request.headers['stripe-signature'] as string | undefined });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const standIn = await startStripeStandIn({ port: 0, webhooks: [{ url: receiverUrl, secret: 'whsec_hosted' }] });
    try {
      const provider = createStripeProvider({ apiUrl: standIn.url, secretKey: SECRET_KEY, webhookSecret: 'whsec_hosted' });
      const session = await provider.createHostedPayment({
        subject: SUBJECT,
        amount: 5000,
        currency: 'EUR',
        description: 'FAC-0002',
        successUrl: 'http://localhost/d/token/payment-return?session={SESSION_ID}',
        cancelUrl: 'http://localhost/d/token',
        idempotencyKey: 'hosted-3ds-1',
      });
      const post = (path: string, fields: Record<string, string>) =>
        fetch(`${standIn.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields), redirect: 'manual' });
      const card = { cardNumber: '4000 0025 0000 3155', cardExpiry: '12/34', cardCvc: '123' };
      const challenge = await post(`/c/pay/${session.sessionId}`, card);
      expect(await challenge.text()).toContain('Complete authentication');
      const failed = await post(`/c/pay/${session.sessionId}/authenticate`, { outcome: 'fail' });
      expect(failed.status).toBe(402);
      expect(await failed.text()).toContain('We are unable to authenticate your payment method.');
      expect((await provider.retrieveHostedPayment(session.sessionId)).paid).toBe(false);
      await post(`/c/pay/${session.sessionId}`, card);
      const completed = await post(`/c/pay/${session.sessionId}/authenticate`, { outcome: 'complete' });
      expect(completed.status).toBe(303);
      expect(completed.headers.get('location')).toBe(`http://localhost/d/token/payment-return?session=${session.sessionId}`);

      const types = await eventually(
        async () => {
          const parsed = received.map((delivery) => provider.parseWebhook(delivery.body, delivery.signature));
          return parsed.some((event) => event.type === 'hosted_payment.paid') ? parsed.map((event) => event.type) : undefined;
        },
        { what: 'the signed completion event' },
      );
      expect(types).toEqual(expect.arrayContaining(['payment.failed', 'payment.succeeded', 'hosted_payment.paid']));
      const paid = received.map((delivery) => provider.parseWebhook(delivery.body, delivery.signature)).find((event) => event.type === 'hosted_payment.paid');
      expect(paid).toMatchObject({ session: { sessionId: session.sessionId, paid: true, amount: 5000, currency: 'EUR', subject: SUBJECT } });
      // Another secret's signature is refused by the same verification.
      const other = createStripeProvider({ apiUrl: standIn.url, secretKey: SECRET_KEY, webhookSecret: 'whsec_other' });
      expect(() => other.parseWebhook(received[0]?.body as Buffer, received[0]?.signature)).toThrow(WebhookSignatureError);
    } finally {
      await standIn.close();
      receiver.close();
    }
  });
});
