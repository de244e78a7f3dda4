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
 * - Webhooks: the SDK's own verification of `Stripe-Signature` (HMAC-SHA256 of
 *   `<t>.<raw body>`, five minutes' tolerance). The SDK (23.1.0, Webhooks.js
 *   validateComputedSignature) refuses only signatures older than the tolerance, so one
 *   signed for later (a clock far ahead, or a captured event kept to be replayed then) is
 *   refused here: five minutes both ways.
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

export function createStripeProvider(config: Pick<StripeConfig, 'apiUrl' | 'secretKey' | 'webhookSecret'>): PaymentProvider {
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

  return {
    name: 'stripe',

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
        { idempotencyKey: input.idempotencyKey },
      );
      return hostedPaymentOf(session);
    },

    async retrieveHostedPayment(sessionId: string): Promise<HostedPayment> {
      return hostedPaymentOf(await stripeClient().checkout.sessions.retrieve(sessionId));
    },

    async expireHostedPayment(sessionId: string): Promise<HostedPayment> {
      return hostedPaymentOf(await stripeClient().checkout.sessions.expire(sessionId));
    },

    async saveCard(input: SaveCardInput): Promise<SavedCard> {
      const providerCustomerId =
        input.providerCustomerId ??
        (
          await stripeClient().customers.create(
            { ...(input.name ? { name: input.name } : {}), ...(input.email ? { email: input.email } : {}) },
            { idempotencyKey: `${input.idempotencyKey}-customer` },
          )
        ).id;
      try {
        const method = await stripeClient().paymentMethods.attach(input.paymentMethodId, { customer: providerCustomerId });
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
          { idempotencyKey: input.idempotencyKey },
        );
        return chargeOf(intent);
      } catch (error) {
        // A declined card or a card needing its holder is an answer about this attempt, not an outage.
        if (error instanceof Stripe.errors.StripeCardError) return failedCharge(error, input);
        throw error;
      }
    },

    async retrieveCharge(paymentId: string): Promise<Charge> {
      return chargeOf(await stripeClient().paymentIntents.retrieve(paymentId));
    },

    parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): PaymentEvent {
      if (!config.webhookSecret) throw new AppError('unavailable', 'Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET');
      if (!signatureHeader) throw new WebhookSignatureError('No Stripe-Signature header');
      let event: Stripe.Event;
      try {
        event = stripeClient().webhooks.constructEvent(rawBody, signatureHeader, config.webhookSecret, WEBHOOK_TOLERANCE_SECONDS);
      } catch (error) {
        throw new WebhookSignatureError(error instanceof Error ? error.message : 'The signature does not match');
      }
      const aheadSeconds = signedAt(signatureHeader) - Math.floor(Date.now() / 1000);
      if (Number.isNaN(aheadSeconds) || aheadSeconds > WEBHOOK_TOLERANCE_SECONDS) throw new WebhookSignatureError('Timestamp outside the tolerance zone (in the future)');
      return paymentEventOf(event);
    },
  };
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
  if (!tenantId || !subjectId || (subjectKind !== 'invoice' && subjectKind !== 'request' && subjectKind !== 'subscription')) return undefined;
  return { tenantId, subjectId, subjectKind };
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
  const head = { eventId: event.id, createdAt: event.created * 1000 };
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
