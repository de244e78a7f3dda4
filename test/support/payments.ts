/**
 * A stack whose payments go to the local Stripe stand-in (devtools/stripe/), as in
 * development: the SDK pointed at it by STRIPE_API_URL, its webhooks signed with a secret of
 * this run and POSTed to the stack's /webhooks/stripe. Plus the back office's invoice.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { startStripeStandIn, type StripeStandIn, type WebhookTarget } from '../../devtools/stripe/server';
import type { BackOffice, LineInput } from '../integration/portal-fixtures';
import type { Page } from 'playwright-core';
import { succeeded } from './api';
import { eventually } from './eventually';
import { recipientsOf } from './outbox';
import { startStack, type Stack, type StackOptions } from './stack';

export interface PaymentStack {
  stack: Stack;
  stripe: StripeStandIn;
  webhookSecret: string;
  /** Money the stand-in took, and the events it sent. */
  charges(): Promise<{ count: number }>;
  events(): Promise<{ id: string; type: string; data: { object: Record<string, unknown> }; deliveries: { statusCode?: number }[] }[]>;
  /** Until the answer is called, the stand-in's events reach nobody (a webhook not heard yet). */
  holdWebhooks(): () => void;
  close(): Promise<void>;
}

export async function startPaymentStack(options: StackOptions = {}): Promise<PaymentStack> {
  const webhooks: WebhookTarget[] = [];
  const stripe = await startStripeStandIn({ port: 0, webhooks });
  const webhookSecret = `whsec_test_${randomBytes(16).toString('hex')}`;
  // Read by loadConfig when the stack starts (API and worker alike).
  process.env.STRIPE_API_URL = stripe.url;
  process.env.STRIPE_SECRET_KEY = 'sk_test_greenlight_tests';
  process.env.STRIPE_WEBHOOK_SECRET = webhookSecret;
  const stack = await startStack(options);
  webhooks.push({ url: `${stack.baseUrl}/webhooks/stripe`, secret: webhookSecret });
  const getJson = async <T>(path: string): Promise<T> => (await (await fetch(`${stripe.url}${path}`)).json()) as T;
  return {
    stack,
    stripe,
    webhookSecret,
    charges: () => getJson('/_test/charges'),
    events: async () => (await getJson<{ data: Awaited<ReturnType<PaymentStack['events']>> }>('/_test/events')).data,
    holdWebhooks: () => {
      const held = webhooks.splice(0);
      return () => void webhooks.push(...held);
    },
    close: async () => {
      await stack.close();
      await stripe.close();
    },
  };
}

const unique = () => randomBytes(5).toString('hex');

/** An invoice for a new customer and contact, as a back office creates it (draft). */
export async function createInvoice(
  office: BackOffice,
  options: { locale?: string; lines: LineInput[]; dueDate?: Date },
): Promise<{ documentId: string; contactEmail: string }> {
  const contactEmail = `payer-${unique()}@customer.test`;
  const { api } = office;
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Åsa Öberg AB', ...(options.locale ? { locale: options.locale } : {}) } }), 201);
  const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Zoë Dupré', email: contactEmail } }), 201);
  const users = await succeeded(api.POST('/v1/users', { body: { name: 'Jeanne Martin', email: `jeanne-${unique()}@lumiere.test`, notify: { paid: ['email'] } } }), 201);
  const invoice = await succeeded(
    api.POST('/v1/documents', {
      body: {
        kind: 'invoice',
        customerId: customer.id,
        contactId: contact.id,
        assigneeId: users.id,
        title: 'Brochures de printemps',
        number: `FAC-${unique()}`,
        lines: options.lines,
        ...(options.dueDate ? { dueDate: options.dueDate.toISOString() } : {}),
      },
    }),
    201,
  );
  return { documentId: invoice.id, contactEmail };
}

/** A test card typed on the stand-in's hosted page, in a real browser. */
export async function typeCard(page: Page, number: string): Promise<void> {
  await page.getByLabel('Card number').fill(number);
  await page.getByLabel('Expiration').fill('12 / 34');
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Cardholder name').fill('Zoë Dupré');
}

/**
 * The portal page of a document, through the link its email to `contactEmail` carries: the one
 * whose page names `documentNumber` (a chain's documents are emailed to the same contact).
 */
export async function emailedPortalPage(stack: Stack, contactEmail: string, documentNumber: string): Promise<{ url: string; text: string }> {
  return eventually(
    async () => {
      const links = (await stack.readOutbox())
        .filter((email) => recipientsOf(email).some((to) => to.includes(contactEmail)))
        .flatMap((email) => email.links)
        .filter((link) => link.startsWith(`${stack.baseUrl}/d/`));
      const pages = await Promise.all([...new Set(links)].map(async (url) => ({ url, text: await (await fetch(url)).text() })));
      return pages.find((page) => page.text.includes(documentNumber));
    },
    { what: `the email of ${documentNumber} to ${contactEmail} and its page` },
  );
}

/** The stand-in's hosted page, posted as its form is. */
export async function payOnHostedPage(url: string, card: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'payer@customer.test', cardNumber: card, cardExpiry: '12 / 34', cardCvc: '123', billingName: 'Zoë Dupré' }),
    redirect: 'manual',
  });
}

/** A Stripe-Signature header for `body`, signed with `secret` at `timestamp` (seconds; now unless given). */
export function stripeSignature(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Stripe's "paid" event for an invoice, as its Checkout would send it; from a seller's connected account when `account` is given. */
export function paidSessionEvent(input: { id: string; tenantId: string; documentId: string; amount: number; account?: string }): string {
  return JSON.stringify({
    id: input.id,
    object: 'event',
    ...(input.account ? { account: input.account } : {}),
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `cs_test_${input.id}`,
        object: 'checkout.session',
        status: 'complete',
        payment_status: 'paid',
        amount_total: input.amount,
        currency: 'eur',
        payment_intent: `pi_test_${input.id}`,
        metadata: { greenlight_tenant: input.tenantId, greenlight_subject: input.documentId, greenlight_kind: 'invoice' },
      },
    },
  });
}
