/**
 * What Greenlight asks of a payment provider, in its own words (minor units, ISO currency,
 * epoch ms), so workflows and operations never see a provider's SDK types. Stripe is the one
 * implementation (stripe.ts); the local stand-in (devtools/stripe/) answers for it in
 * development and tests.
 *
 * Two ways to take money:
 * - a hosted payment (the customer pays on the provider's page, e.g. an invoice from the portal);
 * - an off-session charge of a card saved earlier (service requests, subscriptions): every
 *   attempt carries its own idempotency key, so a retried activity never charges twice.
 * The outcome of both arrives as a verified provider event (`parseWebhook`), and can be read
 * back at any time (`retrieve*`).
 */
import type { ReceivedPayment } from '../../domain/invoice';

/** What a payment is for: written into the provider's metadata, read back from its events. */
export interface PaymentSubject {
  tenantId: string;
  /** The document (an invoice, or a quote's deposit) or the request or subscription paid. */
  subjectId: string;
  subjectKind: 'invoice' | 'quote' | 'request' | 'subscription';
}

export interface HostedPaymentInput {
  subject: PaymentSubject;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  /** What the customer reads on the payment page ("Invoice F-2026-0001 — Acme"). */
  description: string;
  customerEmail?: string;
  locale?: string;
  /** Where the provider sends the customer back; `{SESSION_ID}` is replaced by the session id. */
  successUrl: string;
  cancelUrl: string;
  /** Same key, same request: the provider answers the first session again. */
  idempotencyKey: string;
}

export type HostedPaymentStatus = 'open' | 'complete' | 'expired';

export interface HostedPayment {
  /** The provider's session id (cs_…). */
  sessionId: string;
  /** The page the customer pays on; absent once the session is complete or expired. */
  url?: string;
  status: HostedPaymentStatus;
  /** Whether the money is taken (`paid`) — a complete session may still wait for it. */
  paid: boolean;
  amount: number;
  currency: string;
  /** The payment behind the session (pi_…), once there is one. */
  paymentId?: string;
  subject?: PaymentSubject;
  /** Epoch ms after which the session cannot be paid any more. */
  expiresAt?: number;
  /** Where the page sends its payer back once paid (the `successUrl` it was opened with, `{SESSION_ID}` unfilled), when the provider says. */
  returnUrl?: string;
}

export interface OffSessionChargeInput {
  subject: PaymentSubject;
  amount: number;
  currency: string;
  /** The provider's customer (cus_…) and the card saved for them (pm_…). */
  customerId: string;
  paymentMethodId: string;
  description?: string;
  /** One per attempt (e.g. `<subscription>-period-3-attempt-2`): a retry of the same attempt never charges twice. */
  idempotencyKey: string;
}

export interface SaveCardInput {
  /** The provider's customer already made for this customer; absent: one is made now. */
  providerCustomerId?: string;
  /** Written on a new provider customer. */
  name?: string;
  email?: string;
  /** The card the customer gave (pm_…), e.g. through the provider's card form. */
  paymentMethodId: string;
  /** Same key, same provider customer: a retried save never makes two. */
  idempotencyKey: string;
}

export interface SavedCard {
  providerCustomerId: string;
  paymentMethodId: string;
}

export type ChargeStatus = 'succeeded' | 'processing' | 'requires_action' | 'failed';

export interface Charge {
  /** The provider's payment id (pi_…). */
  paymentId: string;
  status: ChargeStatus;
  amount: number;
  currency: string;
  /** Why it failed or needs the customer (card_declined, authentication_required, …). */
  failureCode?: string;
  failureMessage?: string;
  subject?: PaymentSubject;
}

/** What every event says: its id, when, and the seller's connected account it happened on (absent: the platform's own). */
interface PaymentEventHead {
  eventId: string;
  createdAt: number;
  account?: string;
}

/** A provider event Greenlight acts on, verified and read into its own terms. */
export type PaymentEvent = PaymentEventHead &
  (
    | { type: 'hosted_payment.paid'; session: HostedPayment }
    | { type: 'hosted_payment.expired'; session: HostedPayment }
    | { type: 'payment.failed'; charge: Charge }
    | { type: 'payment.succeeded'; charge: Charge }
    /** Verified, but nothing Greenlight acts on. */
    | { type: 'ignored'; providerType: string }
  );

/** A seller's connected account (Stripe Connect), as its onboarding has left it. */
export interface ConnectedAccount {
  /** acct_… */
  accountId: string;
  /** Whether it may take payments yet (Stripe's `charges_enabled`). */
  chargesEnabled: boolean;
  /** Whether the seller has given what onboarding asks (Stripe's `details_submitted`). */
  detailsSubmitted: boolean;
}

export interface ConnectedAccountInput {
  tenantId: string;
  email?: string;
  /** ISO 3166-1 alpha-2; absent: the provider asks during onboarding. */
  country?: string;
  idempotencyKey: string;
}

export interface OnboardingLinkInput {
  accountId: string;
  /** Where the seller lands when onboarding is done (or left for later). */
  returnUrl: string;
  /** Where the seller lands when the link has expired or was used: ask for another there. */
  refreshUrl: string;
}

export interface OnboardingLink {
  url: string;
  /** Epoch ms: a link is short-lived and used once. */
  expiresAt: number;
}

export interface PaymentProvider {
  readonly name: 'stripe';
  /** Whether a tenant without a connected account is paid on the platform's own (config.stripe.platformServesUnconnected). */
  readonly platformServesUnconnected: boolean;
  /** The connected account every call below is made for (absent: the platform's own). */
  readonly account?: string;
  /** The same calls, made on a seller's connected account (Stripe Connect's `Stripe-Account`). */
  onAccount(accountId: string): PaymentProvider;
  /** A connected account for a seller (on the platform, whatever `account` is). */
  createConnectedAccount(input: ConnectedAccountInput): Promise<ConnectedAccount>;
  retrieveConnectedAccount(accountId: string): Promise<ConnectedAccount>;
  /** The provider's hosted onboarding (identity, bank account) of a connected account. */
  createOnboardingLink(input: OnboardingLinkInput): Promise<OnboardingLink>;
  createHostedPayment(input: HostedPaymentInput): Promise<HostedPayment>;
  retrieveHostedPayment(sessionId: string): Promise<HostedPayment>;
  /** Closes an open session so it cannot be paid any more (the invoice was cancelled). */
  expireHostedPayment(sessionId: string): Promise<HostedPayment>;
  /**
   * Makes the provider's customer if needed and attaches the card to it, for off-session charges
   * later. Throws PaymentMethodRefused when the provider refuses the card's id.
   */
  saveCard(input: SaveCardInput): Promise<SavedCard>;
  /** A declined card is a Charge with status `failed`, never an exception: only outages throw. */
  chargeSavedCard(input: OffSessionChargeInput): Promise<Charge>;
  retrieveCharge(paymentId: string): Promise<Charge>;
  /**
   * Throws WebhookSignatureError unless `signatureHeader` signs exactly `rawBody` with one of our
   * secrets (the platform's endpoint, or the Connect endpoint's), at a time within five minutes
   * of ours (either way).
   */
  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): PaymentEvent;
}

/**
 * The provider will not save the payment method given (it knows no such id, or the method was
 * used or detached before): a mistake in the caller's input, not an outage.
 */
export class PaymentMethodRefused extends Error {
  override name = 'PaymentMethodRefused';
}

/** A provider event whose signature does not hold: answered 400, nothing signalled. */
export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

/**
 * A paid hosted payment as an invoice counts it: by the provider's payment id (the session's,
 * should the provider name none yet), so whoever reports it and however often, it is one payment.
 */
export function receivedPaymentOf(session: HostedPayment, paidAt: number): ReceivedPayment {
  return {
    paymentId: session.paymentId ?? session.sessionId,
    amount: session.amount,
    currency: session.currency,
    provider: 'stripe',
    sessionId: session.sessionId,
    paidAt,
  };
}
