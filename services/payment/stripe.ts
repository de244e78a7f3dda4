/**
 * The PaymentProvider on Stripe's official SDK. The SDK is pointed at `STRIPE_API_URL`
 * (Stripe itself in production, the local stand-in in development, stripe-mock in the
 * contract test), so the very requests this file makes are the ones tested.
 *
 * - Hosted payment: a Checkout Session in `payment` mode with one line (the amount due),
 *   success and cancel URLs back to the portal, and metadata naming what is paid on both the
 *   session and its PaymentIntent, so every event can be traced back to the document.
 * - Off-session charge: a PaymentIntent created and confirmed at once with `off_session`,
 *   for a saved card, under the caller's idempotency key (one per attempt).
 * - Stripe Connect: each seller has a connected account (an Express account made by
 *   `createConnectedAccount`, onboarded on Stripe's pages through an Account Link); every call of
 *   the provider `onAccount(acct_…)` answers carries `Stripe-Account` (the SDK's `stripeAccount`),
 *   so the session, the customer, the card and the money are the seller's (direct charges).
 * - Webhooks: the SDK's own verification of `Stripe-Signature` (HMAC-SHA256 of
 *   `<t>.<raw body>`, five minutes' tolerance). The SDK (23.1.0, Webhooks.js
 *   validateComputedSignature) refuses only signatures older than the tolerance, so one
 *   signed for later (a clock far ahead, or a captured event kept to be replayed then) is
 *   refused here: five minutes both ways. Events of connected accounts (a Connect endpoint,
 *   its own secret) name the account (`account`), told on with the event.
 */
import Stripe from 'stripe';
import { AppError } from '../../domain/errors';
import type { StripeConfig } from '../../platform/config';
import {
  PaymentMethodRefused,
  WebhookSignatureError,
  type Charge,
  type ChargeStatus,
  type HostedPayment,
  type HostedPaymentInput,
  type OffSessionChargeInput,
  type PaymentEvent,
  type ConnectedAccount,
  type PaymentProvider,
  type PaymentSubject,
  type SaveCardInput,
  type SavedCard,
} from './provider';

/** Checkout's own placeholder: Stripe writes the session id into the success URL. */
const STRIPE_SESSION_PLACEHOLDER = '{CHECKOUT_SESSION_ID}';
/** How far a webhook's signed time may be from ours, either way: the SDK's own default. */
const WEBHOOK_TOLERANCE_SECONDS = 300;
/** The locales Checkout speaks among ours (Stripe's `locale` enum). */
const CHECKOUT_LOCALES = new Set(['fr', 'en', 'sv']);

export function createStripeProvider(config: Pick<StripeConfig, 'apiUrl' | 'secretKey' | 'webhookSecret'> & Partial<Pick<StripeConfig, 'connectWebhookSecret' | 'platformServesUnconnected'>>): PaymentProvider {
  const url = new URL(config.apiUrl);
  // Made on first use: a deployment without Stripe keys runs, and only paying says what is missing.
  let client: Stripe | undefined;
  const stripeClient = (): Stripe => {
    if (!config.secretKey) throw new AppError('unavailable', 'Online payments are not configured: set STRIPE_SECRET_KEY');
    client ??= new Stripe(config.secretKey, {
      host: url.hostname,
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      // The SDK retries network failures with the same idempotency key: safe for every call here.
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
    });
    return client;
  };
  const webhookSecrets = [config.webhookSecret, config.connectWebhookSecret ?? ''].filter(Boolean);

  return providerOn(undefined);

  function providerOn(account: string | undefined): PaymentProvider {
    /** Every call's options: on the seller's account when there is one. */
    const on = (options: Stripe.RequestOptions = {}): Stripe.RequestOptions => (account ? { ...options, stripeAccount: account } : options);
    return {
      name: 'stripe',
      platformServesUnconnected: config.platformServesUnconnected ?? false,
      ...(account ? { account } : {}),

      onAccount: (accountId) => providerOn(accountId),

      async createConnectedAccount(input) {
        const created = await stripeClient().accounts.create(
          {
            type: 'express',
            ...(input.email ? { email: input.email } : {}),
            ...(input.country ? { country: input.country } : {}),
            capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
            metadata: { greenlight_tenant: input.tenantId },
          },
          { idempotencyKey: input.idempotencyKey },
        );
        return connectedAccountOf(created);
      },

      async retrieveConnectedAccount(accountId) {
        return connectedAccountOf(await stripeClient().accounts.retrieve(accountId));
      },

      async createOnboardingLink(input) {
        const link = await stripeClient().accountLinks.create({ account: input.accountId, type: 'account_onboarding', return_url: input.returnUrl, refresh_url: input.refreshUrl });
        return { url: link.url, expiresAt: link.expires_at * 1000 };
      },

      async createHostedPayment(input: HostedPaymentInput): Promise<HostedPayment> {
        const metadata = subjectMetadata(input.subject);
        const session = await stripeClient().checkout.sessions.create(
          {
            mode: 'payment',
            line_items: [
              {
                quantity: 1,
                price_data: { currency: input.currency.toLowerCase(), unit_amount: input.amount, product_data: { name: input.description } },
              },
            ],
            success_url: input.successUrl.replace('{SESSION_ID}', STRIPE_SESSION_PLACEHOLDER),
            cancel_url: input.cancelUrl,
            client_reference_id: input.subject.subjectId,
            metadata,
            payment_intent_data: { metadata, description: input.description },
            ...(input.customerEmail ? { customer_email: input.customerEmail } : {}),
            ...(input.locale && CHECKOUT_LOCALES.has(input.locale) ? { locale: input.locale as Stripe.Checkout.SessionCreateParams.Locale } : {}),
          },
          on({ idempotencyKey: input.idempotencyKey }),
        );
        return hostedPaymentOf(session);
      },

      async retrieveHostedPayment(sessionId: string): Promise<HostedPayment> {
        return hostedPaymentOf(await stripeClient().checkout.sessions.retrieve(sessionId, {}, on()));
      },

      async expireHostedPayment(sessionId: string): Promise<HostedPayment> {
        return hostedPaymentOf(await stripeClient().checkout.sessions.expire(sessionId, {}, on()));
      },

      async saveCard(input: SaveCardInput): Promise<SavedCard> {
        const providerCustomerId =
          input.providerCustomerId ??
          (
            await stripeClient().customers.create(
              { ...(input.name ? { name: input.name } : {}), ...(input.email ? { email: input.email } : {}) },
              on({ idempotencyKey: `${input.idempotencyKey}-customer` }),
            )
          ).id;
        try {
          const method = await stripeClient().paymentMethods.attach(input.paymentMethodId, { customer: providerCustomerId }, on());
          return { providerCustomerId, paymentMethodId: method.id };
        } catch (error) {
          // Stripe refusing the payment method (resource_missing, or one used or detached before)
          // is about the id we were given; a refused customer is ours, and stays an error.
          if (error instanceof Stripe.errors.StripeInvalidRequestError && error.param !== 'customer') throw new PaymentMethodRefused(error.message);
          throw error;
        }
      },

      async chargeSavedCard(input: OffSessionChargeInput): Promise<Charge> {
        try {
          const intent = await stripeClient().paymentIntents.create(
            {
              amount: input.amount,
              currency: input.currency.toLowerCase(),
              customer: input.customerId,
              payment_method: input.paymentMethodId,
              off_session: true,
              confirm: true,
              metadata: subjectMetadata(input.subject),
              ...(input.description ? { description: input.description } : {}),
            },
            on({ idempotencyKey: input.idempotencyKey }),
          );
          return chargeOf(intent);
        } catch (error) {
          // A declined card or a card needing its holder is an answer about this attempt, not an outage.
          if (error instanceof Stripe.errors.StripeCardError) return failedCharge(error, input);
          throw error;
        }
      },

      async retrieveCharge(paymentId: string): Promise<Charge> {
        return chargeOf(await stripeClient().paymentIntents.retrieve(paymentId, {}, on()));
      },

      parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): PaymentEvent {
        if (webhookSecrets.length === 0) throw new AppError('unavailable', 'Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET');
        if (!signatureHeader) throw new WebhookSignatureError('No Stripe-Signature header');
        const event = verifiedEvent(stripeClient(), rawBody, signatureHeader, webhookSecrets);
        const aheadSeconds = signedAt(signatureHeader) - Math.floor(Date.now() / 1000);
        if (Number.isNaN(aheadSeconds) || aheadSeconds > WEBHOOK_TOLERANCE_SECONDS) throw new WebhookSignatureError('Timestamp outside the tolerance zone (in the future)');
        return paymentEventOf(event);
      },
    };
  }
}

/** The event signed with the first of our secrets that verifies it (the platform's endpoint, the Connect endpoint). */
function verifiedEvent(stripe: Stripe, rawBody: Buffer, signatureHeader: string, secrets: string[]): Stripe.Event {
  let refusal = 'The signature does not match';
  for (const secret of secrets) {
    try {
      return stripe.webhooks.constructEvent(rawBody, signatureHeader, secret, WEBHOOK_TOLERANCE_SECONDS);
    } catch (error) {
      refusal = error instanceof Error ? error.message : refusal;
    }
  }
  throw new WebhookSignatureError(refusal);
}

function connectedAccountOf(account: Stripe.Account): ConnectedAccount {
  return { accountId: account.id, chargesEnabled: account.charges_enabled ?? false, detailsSubmitted: account.details_submitted ?? false };
}

/**
 * The time a Stripe-Signature header signs, read as the SDK reads it (its parseHeader: the last
 * `t=`, parseInt), so it is the very number the verified HMAC covered.
 */
function signedAt(header: string): number {
  let timestamp = Number.NaN;
  for (const item of header.split(',')) {
    const [key, value = ''] = item.split('=');
    if (key === 't') timestamp = Number.parseInt(value, 10);
  }
  return timestamp;
}

function subjectMetadata(subject: PaymentSubject): Record<string, string> {
  return { greenlight_tenant: subject.tenantId, greenlight_subject: subject.subjectId, greenlight_kind: subject.subjectKind };
}

function subjectOf(metadata: Stripe.Metadata | null | undefined): PaymentSubject | undefined {
  const tenantId = metadata?.greenlight_tenant;
  const subjectId = metadata?.greenlight_subject;
  const subjectKind = metadata?.greenlight_kind;
  if (!tenantId || !subjectId || !isSubjectKind(subjectKind)) return undefined;
  return { tenantId, subjectId, subjectKind };
}

const SUBJECT_KINDS: readonly PaymentSubject['subjectKind'][] = ['invoice', 'quote', 'request', 'subscription'];

function isSubjectKind(kind: string | undefined): kind is PaymentSubject['subjectKind'] {
  return (SUBJECT_KINDS as readonly (string | undefined)[]).includes(kind);
}

function idOf(value: string | { id: string } | null | undefined): string | undefined {
  return typeof value === 'string' ? value : (value?.id ?? undefined);
}

function hostedPaymentOf(session: Stripe.Checkout.Session): HostedPayment {
  const subject = subjectOf(session.metadata);
  const paymentId = idOf(session.payment_intent);
  return {
    sessionId: session.id,
    ...(session.url ? { url: session.url } : {}),
    status: session.status === 'complete' ? 'complete' : session.status === 'expired' ? 'expired' : 'open',
    paid: session.payment_status === 'paid',
    amount: session.amount_total ?? 0,
    currency: (session.currency ?? '').toUpperCase(),
    ...(paymentId ? { paymentId } : {}),
    ...(subject ? { subject } : {}),
    ...(session.expires_at ? { expiresAt: session.expires_at * 1000 } : {}),
    ...(session.success_url ? { returnUrl: session.success_url } : {}),
  };
}

function chargeStatusOf(status: Stripe.PaymentIntent.Status): ChargeStatus {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'processing':
      return 'processing';
    case 'requires_action':
    case 'requires_confirmation':
      return 'requires_action';
    default:
      // requires_payment_method after a decline, canceled, requires_capture (never asked for).
      return 'failed';
  }
}

function chargeOf(intent: Stripe.PaymentIntent): Charge {
  const subject = subjectOf(intent.metadata);
  const failure = intent.last_payment_error;
  return {
    paymentId: intent.id,
    status: chargeStatusOf(intent.status),
    amount: intent.amount,
    currency: intent.currency.toUpperCase(),
    ...(failure?.code ? { failureCode: failure.decline_code ?? failure.code } : {}),
    ...(failure?.message ? { failureMessage: failure.message } : {}),
    ...(subject ? { subject } : {}),
  };
}

function failedCharge(error: InstanceType<typeof Stripe.errors.StripeCardError>, input: OffSessionChargeInput): Charge {
  const intent = error.payment_intent;
  const base = intent ? chargeOf(intent) : undefined;
  const status: ChargeStatus = error.code === 'authentication_required' ? 'requires_action' : 'failed';
  return {
    paymentId: base?.paymentId ?? '',
    amount: base?.amount ?? input.amount,
    currency: base?.currency ?? input.currency.toUpperCase(),
    subject: base?.subject ?? input.subject,
    status,
    failureCode: error.decline_code ?? error.code ?? 'card_error',
    failureMessage: error.message,
  };
}

function paymentEventOf(event: Stripe.Event): PaymentEvent {
  const head = { eventId: event.id, createdAt: event.created * 1000, ...(event.account ? { account: event.account } : {}) };
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = hostedPaymentOf(event.data.object);
      // A session completed with a delayed method (bank debit) is paid later: its async event says so.
      return session.paid ? { type: 'hosted_payment.paid', ...head, session } : { type: 'ignored', ...head, providerType: event.type };
    }
    case 'checkout.session.expired':
      return { type: 'hosted_payment.expired', ...head, session: hostedPaymentOf(event.data.object) };
    case 'payment_intent.payment_failed':
      return { type: 'payment.failed', ...head, charge: chargeOf(event.data.object) };
    case 'payment_intent.succeeded':
      return { type: 'payment.succeeded', ...head, charge: chargeOf(event.data.object) };
    default:
      return { type: 'ignored', ...head, providerType: event.type };
  }
}
