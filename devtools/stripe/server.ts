/**
 * A local stand-in for the part of Stripe's API Greenlight uses, written from Stripe's public
 * documentation (API reference, testing cards, webhook signatures, idempotent requests) so
 * development and tests pay for real through the official SDK without leaving the machine:
 *
 *   POST /v1/checkout/sessions            a Checkout Session (mode=payment, price_data lines)
 *   GET  /v1/checkout/sessions/:id        retrieve it
 *   POST /v1/checkout/sessions/:id/expire  close an open one
 *   POST /v1/customers                    a customer (for cards saved off-session)
 *   POST /v1/payment_methods/:id/attach   save a test payment method to a customer
 *   POST /v1/payment_intents              create (and with confirm=true, confirm) a payment
 *   GET  /v1/payment_intents/:id          retrieve it
 *   GET  /c/pay/:sessionId                the hosted payment page a browser pays on
 *   POST /v1/accounts                     a connected account (Stripe Connect, type=express)
 *   GET  /v1/accounts/:id                 retrieve it (charges_enabled once onboarded)
 *   POST /v1/account_links                an onboarding link (type=account_onboarding)
 *   GET  /connect/onboarding/:linkId      the hosted onboarding a seller completes (once)
 *
 * Connect as Stripe does it: a request with `Stripe-Account: acct_…` acts on that connected
 * account (an unknown one is refused, 403); what it creates (sessions, customers, payments) is
 * that account's, found only under the same header; an account takes payments once its
 * onboarding is done (charges_enabled); its events carry `account`, and its money is counted
 * under it (GET /_test/charges?account=).
 *
 * As Stripe does: form-encoded bodies with bracket keys (`metadata[a]=b`,
 * `line_items[0][quantity]=1`), Bearer secret key, JSON objects with `object`, `livemode`,
 * lower-case currencies and seconds since the epoch, `{error: {type, code, message, param}}`
 * errors (402 for card errors), `Idempotency-Key` (the first answer saved and replayed with
 * `Idempotent-Replayed: true`; the same key with other parameters is an `idempotency_error`),
 * and events POSTed to the webhook endpoints signed `Stripe-Signature: t=<seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>">`.
 *
 * Test cards as documented: 4242 4242 4242 4242 (and 5555 5555 5555 4444) succeed;
 * 4000 0000 0000 0002 is declined (card_declined / generic_decline); 4000 0000 0000 9995 is
 * declined for insufficient funds; 4000 0000 0000 0341 attaches to a customer and is declined
 * when charged; 4000 0025 0000 3155 and 4000 0027 6000 3184 ask for
 * authentication (a 3D Secure page with "Complete" and "Fail"). Saved test payment methods
 * for off-session charges: pm_card_visa, pm_card_chargeDeclined,
 * pm_card_chargeDeclinedInsufficientFunds, pm_card_chargeCustomerFail,
 * pm_card_authenticationRequired. Any other id is `resource_missing` (404), as at Stripe.
 *
 * For tests only: GET /_test/charges (money taken, counted; `?account=` one account's), GET /_test/events, and
 * POST /_test/events/:id/redeliver (sends an event again, as Stripe's retries do).
 * State lives in memory: a restart forgets everything, like a fresh test-mode account.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import escapeHtml from 'escape-html';
import { loadConfig } from '../../platform/config';
import { listenOn } from '../../platform/listen';

type Json = Record<string, unknown>;

export interface WebhookTarget {
  url: string;
  /** whsec_…: the endpoint's signing secret. */
  secret: string;
}

export interface StripeStandInOptions {
  port: number;
  host?: string;
  /** Where events are POSTed, each signed with its endpoint's secret. */
  webhooks: WebhookTarget[];
  /** Base of the hosted page's URL as browsers reach it; the listening address when absent. */
  publicUrl?: string;
}

export interface StripeStandIn {
  url: string;
  close(): Promise<void>;
}

/** What a card does, by number (Stripe's testing page). */
type CardBehaviour = { outcome: 'succeed'; brand: string } | { outcome: 'decline'; declineCode: string; message: string } | { outcome: 'authenticate'; brand: string };

const DECLINED = 'Your card was declined.';
const CARDS: Record<string, CardBehaviour> = {
  '4242424242424242': { outcome: 'succeed', brand: 'visa' },
  '5555555555554444': { outcome: 'succeed', brand: 'mastercard' },
  '4000000000000002': { outcome: 'decline', declineCode: 'generic_decline', message: DECLINED },
  '4000000000009995': { outcome: 'decline', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  // Attaching it to a customer succeeds; every charge is declined.
  '4000000000000341': { outcome: 'decline', declineCode: 'generic_decline', message: DECLINED },
  '4000002500003155': { outcome: 'authenticate', brand: 'visa' },
  '4000002760003184': { outcome: 'authenticate', brand: 'visa' },
};
/** Stripe's test PaymentMethods, usable off-session as if saved earlier. */
const TEST_PAYMENT_METHODS: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  pm_card_mastercard: '5555555555554444',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeCustomerFail: '4000000000000341',
  pm_card_authenticationRequired: '4000002760003184',
};
const AUTHENTICATION_FAILED = 'We are unable to authenticate your payment method. Please choose a different payment method and try again.';
const API_VERSION = '2026-10-28.endive';

class StripeError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}

const invalidRequest = (message: string, param?: string, code?: string) =>
  new StripeError(400, { type: 'invalid_request_error', message, ...(param ? { param } : {}), ...(code ? { code } : {}) });
const missing = (kind: string, id: string) => new StripeError(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: `No such ${kind}: '${id}'` });

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

/** Stripe's form encoding: `a[b][0][c]=v` → {a: {b: [{c: v}]}}. */
export function parseStripeForm(body: string): Json {
  const root: Json = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> = root;
    path.forEach((part, index) => {
      if (index === path.length - 1) {
        node[part] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[index + 1] ?? '');
      node[part] ??= nextIsIndex ? [] : {};
      node = node[part] as Record<string, unknown>;
    });
  }
  return root;
}

function luhnValid(number: string): boolean {
  let sum = 0;
  [...number].reverse().forEach((digit, index) => {
    let value = Number(digit);
    if (index % 2 === 1) value = value * 2 > 9 ? value * 2 - 9 : value * 2;
    sum += value;
  });
  return number.length >= 12 && sum % 10 === 0;
}

function integerParam(params: Json, name: string, path = name): number {
  const raw = params[name];
  if (raw === undefined) throw invalidRequest(`Missing required param: ${path}.`, path, 'parameter_missing');
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw invalidRequest(`Invalid integer: ${String(raw)}`, path, 'parameter_invalid_integer');
  return Number(raw);
}

function stringParam(params: Json, name: string, path = name): string {
  const raw = params[name];
  if (typeof raw !== 'string' || raw === '') throw invalidRequest(`Missing required param: ${path}.`, path, 'parameter_missing');
  return raw;
}

function metadataParam(params: Json, path = 'metadata'): Record<string, string> {
  const raw = params.metadata;
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidRequest(`Invalid object`, path);
  return raw as Record<string, string>;
}

function currencyParam(params: Json, path: string): string {
  const currency = stringParam(params, 'currency', path);
  if (!/^[a-z]{3}$/.test(currency)) throw invalidRequest(`Invalid currency: ${currency}. Stripe currently supports these currencies: eur, usd, sek, ...`, path);
  return currency;
}

interface SavedResponse {
  requestHash: string;
  statusCode: number;
  body: Json;
}

interface Delivery {
  url: string;
  statusCode?: number;
  error?: string;
  at: number;
}

class StripeState {
  readonly accounts = new Map<string, Json>();
  readonly accountLinks = new Map<string, Json>();
  readonly sessions = new Map<string, Json>();
  readonly intents = new Map<string, Json>();
  readonly customers = new Map<string, Json>();
  readonly events: { event: Json; deliveries: Delivery[] }[] = [];
  /** Money taken: one row per succeeded payment. */
  readonly charges: { id: string; paymentIntent: string; amount: number; currency: string; offSession: boolean; at: number; account: string | null }[] = [];
  readonly idempotent = new Map<string, SavedResponse>();

  constructor(
    private readonly webhooks: WebhookTarget[],
    readonly publicUrl: () => string,
  ) {}

  createSession(params: Json, account: string | null): Json {
    this.requireCharges(account);
    const mode = stringParam(params, 'mode');
    if (mode !== 'payment') throw invalidRequest(`This stand-in serves mode=payment only, not ${mode}.`, 'mode');
    const items = params.line_items;
    if (!Array.isArray(items) || items.length === 0) throw invalidRequest('Missing required param: line_items.', 'line_items', 'parameter_missing');
    let amountTotal = 0;
    let currency = '';
    items.forEach((raw, index) => {
      const item = raw as Json;
      const priceData = item.price_data as Json | undefined;
      if (!priceData) throw invalidRequest('You must specify either `price` or `price_data` for each line item.', `line_items[${index}]`);
      const lineCurrency = currencyParam(priceData, `line_items[${index}][price_data][currency]`);
      if (currency && currency !== lineCurrency) throw invalidRequest('All line items must share one currency.', `line_items[${index}][price_data][currency]`);
      currency = lineCurrency;
      const productData = priceData.product_data as Json | undefined;
      stringParam(productData ?? {}, 'name', `line_items[${index}][price_data][product_data][name]`);
      amountTotal += integerParam(priceData, 'unit_amount', `line_items[${index}][price_data][unit_amount]`) * integerParam(item, 'quantity', `line_items[${index}][quantity]`);
    });
    // Stripe's minimum charge is about 0.50 in the major currencies.
    if (amountTotal < 50) throw invalidRequest('The Checkout Session\'s total amount due must add up to at least €0.50 eur', 'line_items', 'amount_too_small');
    const id = newId('cs');
    const intentData = (params.payment_intent_data as Json | undefined) ?? {};
    const session: Json = {
      id,
      object: 'checkout.session',
      livemode: false,
      mode,
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: amountTotal,
      amount_total: amountTotal,
      currency,
      created: now(),
      expires_at: now() + 24 * 3600,
      success_url: params.success_url ?? null,
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      customer_email: params.customer_email ?? null,
      locale: params.locale ?? null,
      metadata: metadataParam(params),
      payment_intent: null,
      url: `${this.publicUrl()}/c/pay/${id}`,
      _account: account,
      // Kept for the PaymentIntent the page creates; Stripe does not echo it on the session.
      _intent: { metadata: metadataParam(intentData, 'payment_intent_data[metadata]'), description: intentData.description ?? null },
    };
    this.sessions.set(id, session);
    return session;
  }

  session(id: string, account: string | null): Json {
    return owned(this.sessions.get(id), account, 'checkout.session', id);
  }

  expireSession(id: string, account: string | null): Json {
    const session = this.session(id, account);
    if (session.status !== 'open') throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired.`, undefined, 'checkout_session_not_open');
    session.status = 'expired';
    session.url = null;
    void this.emit('checkout.session.expired', session);
    return session;
  }

  createCustomer(params: Json, account: string | null): Json {
    const customer: Json = { id: newId('cus'), object: 'customer', livemode: false, created: now(), email: params.email ?? null, name: params.name ?? null, metadata: metadataParam(params), _account: account };
    this.customers.set(String(customer.id), customer);
    return customer;
  }

  /**
   * Stripe gives an attached test method (pm_card_visa) a new pm_… id; this stand-in keeps the
   * test method's own id, which names its behaviour in later charges.
   */
  attachPaymentMethod(id: string, params: Json, account: string | null): Json {
    if (!TEST_PAYMENT_METHODS[id]) throw missing('payment_method', id);
    const customer = stringParam(params, 'customer');
    owned(this.customers.get(customer), account, 'customer', customer);
    return { id, object: 'payment_method', livemode: false, type: 'card', customer, created: now() };
  }

  intent(id: string, account: string | null): Json {
    return owned(this.intents.get(id), account, 'payment_intent', id);
  }

  /** POST /v1/payment_intents: with confirm=true and a saved card, the charge happens now. */
  createIntent(params: Json, account: string | null): Json {
    this.requireCharges(account);
    const amount = integerParam(params, 'amount');
    if (amount < 50) throw invalidRequest('Amount must be at least €0.50 eur', 'amount', 'amount_too_small');
    const currency = currencyParam(params, 'currency');
    const customer = typeof params.customer === 'string' ? params.customer : null;
    if (customer) owned(this.customers.get(customer), account, 'customer', customer);
    const paymentMethod = typeof params.payment_method === 'string' ? params.payment_method : null;
    const offSession = params.off_session === 'true';
    const confirm = params.confirm === 'true';
    if (offSession && !confirm) throw invalidRequest('off_session can only be used with confirm=true.', 'off_session');
    if (confirm && !paymentMethod) throw invalidRequest('You cannot confirm this PaymentIntent because it\'s missing a payment method.', 'payment_method', 'payment_intent_unexpected_state');
    const intent = this.newIntent({ amount, currency, customer, metadata: metadataParam(params), description: params.description ?? null, account });
    if (!confirm || !paymentMethod) return intent;
    const number = TEST_PAYMENT_METHODS[paymentMethod];
    if (!number) throw missing('payment_method', paymentMethod);
    intent.payment_method = paymentMethod;
    const card = CARDS[number] as CardBehaviour;
    if (card.outcome === 'succeed') {
      this.succeed(intent, offSession);
      return intent;
    }
    // Nobody is there to authenticate (this stand-in confirms server-side only, as off-session
    // charges are): Stripe fails the attempt with authentication_required.
    const failure =
      card.outcome === 'decline'
        ? { code: 'card_declined', decline_code: card.declineCode, message: card.message }
        : { code: 'authentication_required', decline_code: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.' };
    this.fail(intent, failure);
    throw new StripeError(402, { type: 'card_error', ...failure, payment_intent: intent, doc_url: `https://docs.stripe.com/error-codes/${failure.code.replace(/_/g, '-')}` });
  }

  newIntent(fields: { amount: number; currency: string; customer: string | null; metadata: Json; description: unknown; account: string | null }): Json {
    const intent: Json = {
      id: newId('pi'),
      object: 'payment_intent',
      livemode: false,
      amount: fields.amount,
      amount_received: 0,
      currency: fields.currency,
      customer: fields.customer,
      description: fields.description,
      metadata: fields.metadata,
      status: 'requires_payment_method',
      payment_method: null,
      latest_charge: null,
      last_payment_error: null,
      created: now(),
      _account: fields.account,
    };
    this.intents.set(String(intent.id), intent);
    return intent;
  }

  succeed(intent: Json, offSession: boolean): void {
    const charge = { id: newId('ch'), paymentIntent: String(intent.id), amount: Number(intent.amount), currency: String(intent.currency), offSession, at: Date.now(), account: (intent._account as string | null) ?? null };
    this.charges.push(charge);
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, latest_charge: charge.id, last_payment_error: null });
    void this.emit('payment_intent.succeeded', intent);
  }

  fail(intent: Json, failure: { code: string; decline_code: string; message: string }): void {
    Object.assign(intent, { status: 'requires_payment_method', last_payment_error: { type: 'card_error', ...failure } });
    void this.emit('payment_intent.payment_failed', intent);
  }

  /** The hosted page's payment attempt for a session: its PaymentIntent is made on the first one. */
  sessionIntent(session: Json): Json {
    const account = (session._account as string | null) ?? null;
    if (typeof session.payment_intent === 'string') return this.intent(session.payment_intent, account);
    const carried = session._intent as { metadata: Json; description: unknown };
    const intent = this.newIntent({ amount: Number(session.amount_total), currency: String(session.currency), customer: null, metadata: carried.metadata, description: carried.description, account });
    session.payment_intent = intent.id;
    return intent;
  }

  completeSession(session: Json): void {
    const intent = this.sessionIntent(session);
    intent.payment_method = newId('pm');
    this.succeed(intent, false);
    Object.assign(session, { status: 'complete', payment_status: 'paid', url: null });
    void this.emit('checkout.session.completed', session);
  }

  /** POST /v1/accounts: a connected account, not yet able to take payments (onboarding to do). */
  createAccount(params: Json): Json {
    const type = params.type ?? 'express';
    if (type !== 'express' && type !== 'standard' && type !== 'custom') throw invalidRequest(`Invalid type: must be one of express, standard, or custom`, 'type');
    const account: Json = {
      id: newId('acct'),
      object: 'account',
      type,
      country: params.country ?? 'FR',
      email: params.email ?? null,
      metadata: metadataParam(params),
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      created: now(),
    };
    this.accounts.set(String(account.id), account);
    return account;
  }

  account(id: string): Json {
    const account = this.accounts.get(id);
    if (!account) throw missing('account', id);
    return account;
  }

  /** POST /v1/account_links: one onboarding, used once, for a few minutes. */
  createAccountLink(params: Json): Json {
    const account = this.account(stringParam(params, 'account'));
    const type = stringParam(params, 'type');
    if (type !== 'account_onboarding') throw invalidRequest(`This stand-in serves type=account_onboarding only, not ${type}.`, 'type');
    const returnUrl = stringParam(params, 'return_url');
    const refreshUrl = stringParam(params, 'refresh_url');
    const id = newId('link');
    const link: Json = { object: 'account_link', created: now(), expires_at: now() + 300, url: `${this.publicUrl()}/connect/onboarding/${id}`, _account: account.id, _return: returnUrl, _refresh: refreshUrl, _used: false };
    this.accountLinks.set(id, link);
    return link;
  }

  completeOnboarding(account: Json): void {
    Object.assign(account, { charges_enabled: true, payouts_enabled: true, details_submitted: true });
    void this.emit('account.updated', { ...account, _account: account.id });
  }

  /** Stripe refuses payments on a connected account whose onboarding is not done. */
  requireCharges(account: string | null): void {
    if (account && this.accounts.get(account)?.charges_enabled !== true) {
      throw invalidRequest(`The account ${account} cannot currently make charges: its onboarding is not complete (charges_enabled is false).`, undefined, 'account_invalid');
    }
  }

  async emit(type: string, object: Json): Promise<void> {
    const event: Json = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: now(),
      livemode: false,
      pending_webhooks: this.webhooks.length,
      ...(object._account ? { account: object._account } : {}),
      type,
      data: { object: publicView(structuredClone(object)) },
    };
    const entry = { event, deliveries: [] as Delivery[] };
    this.events.push(entry);
    await this.deliver(entry);
  }

  /** One attempt per endpoint now; an endpoint that did not answer 2xx is tried again later, as Stripe does. */
  async deliver(entry: { event: Json; deliveries: Delivery[] }): Promise<Delivery[]> {
    return Promise.all(this.webhooks.map((target) => this.deliverTo(target, entry, 0)));
  }

  private async deliverTo(target: WebhookTarget, entry: { event: Json; deliveries: Delivery[] }, attempt: number): Promise<Delivery> {
    const body = JSON.stringify(entry.event, null, 2);
    const timestamp = now();
    const signature = createHmac('sha256', target.secret).update(`${timestamp}.${body}`).digest('hex');
    const delivery: Delivery = { url: target.url, at: Date.now() };
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': `t=${timestamp},v1=${signature}`, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
        body,
      });
      delivery.statusCode = response.status;
      await response.arrayBuffer();
    } catch (error) {
      delivery.error = String(error);
    }
    entry.deliveries.push(delivery);
    const delivered = delivery.statusCode !== undefined && delivery.statusCode < 300;
    const retryIn = WEBHOOK_RETRY_DELAYS_MS[attempt];
    if (!delivered && retryIn !== undefined) setTimeout(() => void this.deliverTo(target, entry, attempt + 1), retryIn).unref();
    return delivery;
  }
}

/** Stripe retries a failed webhook for days, with backoff; the stand-in does the same, in seconds. */
const WEBHOOK_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000];

/** What the API shows of an object: our private carry-overs (`_intent`, `_account`, …) stay in. */
function publicView(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !key.startsWith('_')));
}

/** An object of the account the request acts on (the platform's: null); another account's is not there. */
function owned(object: Json | undefined, account: string | null, kind: string, id: string): Json {
  if (!object || ((object._account as string | null) ?? null) !== account) throw missing(kind, id);
  return object;
}

function sendJson(response: http.ServerResponse, statusCode: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(statusCode, { 'content-type': 'application/json', 'request-id': newId('req'), 'stripe-version': API_VERSION, ...headers });
  response.end(JSON.stringify(body, null, 2));
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function apiKeyOf(request: http.IncomingMessage): string | undefined {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return header.slice(7);
  if (header.startsWith('Basic ')) return Buffer.from(header.slice(6), 'base64').toString().split(':')[0];
  return undefined;
}

/** The API routes: each returns its object, or throws a StripeError. */
function apiRoute(state: StripeState, method: string, path: string, params: Json, account: string | null): Json {
  let match: RegExpMatchArray | null;
  if (method === 'POST' && path === '/v1/checkout/sessions') return state.createSession(params, account);
  if (method === 'GET' && (match = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) return state.session(decodeURIComponent(match[1] as string), account);
  if (method === 'POST' && (match = path.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/))) return state.expireSession(decodeURIComponent(match[1] as string), account);
  if (method === 'POST' && path === '/v1/customers') return state.createCustomer(params, account);
  if (method === 'POST' && (match = path.match(/^\/v1\/payment_methods\/([^/]+)\/attach$/))) return state.attachPaymentMethod(decodeURIComponent(match[1] as string), params, account);
  if (method === 'POST' && path === '/v1/payment_intents') return state.createIntent(params, account);
  if (method === 'GET' && (match = path.match(/^\/v1\/payment_intents\/([^/]+)$/))) return state.intent(decodeURIComponent(match[1] as string), account);
  if (method === 'POST' && path === '/v1/accounts' && !account) return state.createAccount(params);
  if (method === 'GET' && (match = path.match(/^\/v1\/accounts\/([^/]+)$/)) && !account) return state.account(decodeURIComponent(match[1] as string));
  if (method === 'POST' && path === '/v1/account_links' && !account) return state.createAccountLink(params);
  throw new StripeError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}). This stand-in serves only what Greenlight uses.` });
}

async function handleApi(state: StripeState, request: http.IncomingMessage, response: http.ServerResponse, path: string): Promise<void> {
  const key = apiKeyOf(request);
  if (!key) {
    sendJson(response, 401, { error: { type: 'invalid_request_error', message: 'You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. \'Authorization: Bearer YOUR_SECRET_KEY\').' } });
    return;
  }
  if (!/^sk_test_/.test(key)) {
    sendJson(response, 401, { error: { type: 'invalid_request_error', code: 'api_key_invalid', message: `Invalid API Key provided: ${key.slice(0, 8)}****` } });
    return;
  }
  const account = typeof request.headers['stripe-account'] === 'string' ? request.headers['stripe-account'] : null;
  if (account && !state.accounts.has(account)) {
    sendJson(response, 403, {
      error: {
        type: 'invalid_request_error',
        code: 'account_invalid',
        message: `The provided key '${key.slice(0, 8)}****' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
      },
    });
    return;
  }
  const method = request.method ?? 'GET';
  const raw = method === 'POST' ? await readBody(request) : new URL(request.url ?? '/', 'http://x').searchParams.toString();
  const params = parseStripeForm(raw);
  const idempotencyKey = method === 'POST' ? request.headers['idempotency-key'] : undefined;
  // Keys are per account, as at Stripe: the same key on two connected accounts is two requests.
  const scope = typeof idempotencyKey === 'string' ? `${key}:${account ?? ''}:${idempotencyKey}` : undefined;
  // Parameters compared as a whole, whatever their order on the wire.
  const requestHash = createHash('sha256').update(`${method} ${path} ${JSON.stringify(sortKeys(params))}`).digest('hex');
  if (scope) {
    const saved = state.idempotent.get(scope);
    if (saved && saved.requestHash !== requestHash) {
      sendJson(response, 400, {
        error: {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${String(idempotencyKey)}' if you meant to execute a different request.`,
        },
      });
      return;
    }
    if (saved) {
      sendJson(response, saved.statusCode, saved.body, { 'idempotent-replayed': 'true', 'idempotency-key': String(idempotencyKey) });
      return;
    }
  }
  let statusCode = 200;
  let body: Json;
  try {
    body = publicView(structuredClone(apiRoute(state, method, path, params, account)));
  } catch (error) {
    if (!(error instanceof StripeError)) throw error;
    statusCode = error.statusCode;
    const { payment_intent: intent, ...rest } = error.body;
    body = { error: { ...rest, ...(intent ? { payment_intent: publicView(structuredClone(intent as Json)) } : {}) } };
    // Stripe saves nothing for a request refused before its endpoint ran (invalid parameters).
    if (statusCode === 400 || statusCode === 404) {
      sendJson(response, statusCode, body);
      return;
    }
  }
  if (scope) state.idempotent.set(scope, { requestHash, statusCode, body });
  sendJson(response, statusCode, body, scope ? { 'idempotency-key': String(idempotencyKey) } : {});
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  return value;
}

// ---------------------------------------------------------------- the hosted payment page

function money(amount: number, currency: string, locale: string | null): string {
  return new Intl.NumberFormat(locale ?? 'en', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100);
}

function pageShell(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>
body{font-family:system-ui,sans-serif;background:#f6f9fc;margin:0;padding:24px;color:#1a1f36}
main{max-width:420px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 2px 8px #0001}
label{display:block;margin:12px 0 4px;font-size:14px}input{width:100%;box-sizing:border-box;padding:10px;font-size:16px;border:1px solid #ccd;border-radius:6px}
button{margin-top:16px;width:100%;padding:12px;font-size:16px;border:0;border-radius:6px;background:#635bff;color:#fff}
button.secondary{background:#e3e8ee;color:#1a1f36}.error{color:#df1b41;background:#fff0f3;padding:10px;border-radius:6px}
.amount{font-size:28px;font-weight:600}.test{font-size:12px;background:#ffde92;padding:2px 6px;border-radius:4px}
</style></head><body><main><p><span class="test">TEST MODE</span> · Greenlight's local Stripe stand-in</p>${body}</main></body></html>`;
}

function checkoutPage(session: Json, error?: string): string {
  const id = String(session.id);
  const amount = money(Number(session.amount_total), String(session.currency), session.locale as string | null);
  if (session.status !== 'open') {
    return pageShell('Checkout', `<h1>${session.status === 'complete' ? 'This payment is complete' : 'This payment page has expired'}</h1>`);
  }
  return pageShell(
    `Pay ${amount}`,
    `<h1>Pay</h1><p class="amount">${escapeHtml(amount)}</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/c/pay/${encodeURIComponent(id)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" value="${escapeHtml(String(session.customer_email ?? ''))}">
<label for="cardNumber">Card number</label><input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required>
<label for="cardExpiry">Expiration</label><input id="cardExpiry" name="cardExpiry" placeholder="MM / YY" autocomplete="cc-exp" required>
<label for="cardCvc">CVC</label><input id="cardCvc" name="cardCvc" inputmode="numeric" autocomplete="cc-csc" required>
<label for="billingName">Cardholder name</label><input id="billingName" name="billingName" autocomplete="cc-name">
<button type="submit">Pay ${escapeHtml(amount)}</button></form>
${session.cancel_url ? `<p><a href="${escapeHtml(String(session.cancel_url))}">Back</a></p>` : ''}`,
  );
}

function authenticationPage(session: Json): string {
  const action = `/c/pay/${encodeURIComponent(String(session.id))}/authenticate`;
  return pageShell(
    '3D Secure authentication',
    `<h1>3D Secure 2 test page</h1><p>This test card asks its holder to authenticate the payment of ${escapeHtml(money(Number(session.amount_total), String(session.currency), null))}.</p>
<form method="post" action="${action}"><input type="hidden" name="outcome" value="complete"><button type="submit">Complete authentication</button></form>
<form method="post" action="${action}"><input type="hidden" name="outcome" value="fail"><button class="secondary" type="submit">Fail authentication</button></form>`,
  );
}

function expiryValid(raw: string): boolean {
  const match = raw.replace(/\s/g, '').match(/^(\d{2})\/?(\d{2})$/);
  if (!match) return false;
  const month = Number(match[1]);
  const year = 2000 + Number(match[2]);
  const today = new Date();
  return month >= 1 && month <= 12 && (year > today.getFullYear() || (year === today.getFullYear() && month >= today.getMonth() + 1));
}

function sendHtml(response: http.ServerResponse, statusCode: number, page: string): void {
  response.writeHead(statusCode, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(page);
}

function redirect(response: http.ServerResponse, location: string): void {
  response.writeHead(303, { location });
  response.end();
}

function successUrlOf(session: Json): string {
  return String(session.success_url ?? '/').replace('{CHECKOUT_SESSION_ID}', String(session.id));
}

async function handleCheckout(state: StripeState, request: http.IncomingMessage, response: http.ServerResponse, path: string): Promise<void> {
  const match = path.match(/^\/c\/pay\/([^/]+)(\/authenticate)?$/);
  const session = match ? state.sessions.get(decodeURIComponent(match[1] as string)) : undefined;
  if (!match || !session) return sendHtml(response, 404, pageShell('Not found', '<h1>Something went wrong</h1><p>The page you were looking for could not be found.</p>'));
  if (request.method !== 'POST') return sendHtml(response, 200, checkoutPage(session));
  if (session.status !== 'open') return sendHtml(response, 409, checkoutPage(session));
  const form = new URLSearchParams(await readBody(request));

  if (match[2]) {
    // The 3D Secure page's answer.
    if (form.get('outcome') === 'complete') {
      state.completeSession(session);
      return redirect(response, successUrlOf(session));
    }
    state.fail(state.sessionIntent(session), { code: 'payment_intent_authentication_failure', decline_code: 'authentication_failure', message: AUTHENTICATION_FAILED });
    return sendHtml(response, 402, checkoutPage(session, AUTHENTICATION_FAILED));
  }

  const number = (form.get('cardNumber') ?? '').replace(/\D/g, '');
  if (!luhnValid(number)) return sendHtml(response, 400, checkoutPage(session, 'Your card number is invalid.'));
  if (!expiryValid(form.get('cardExpiry') ?? '')) return sendHtml(response, 400, checkoutPage(session, "Your card's expiration date is incomplete or in the past."));
  if (!/^\d{3,4}$/.test(form.get('cardCvc') ?? '')) return sendHtml(response, 400, checkoutPage(session, "Your card's security code is incomplete."));
  const card = CARDS[number];
  if (!card) {
    state.fail(state.sessionIntent(session), { code: 'card_declined', decline_code: 'test_mode_live_card', message: 'Your card was declined. Your request was in test mode, but used a non test card.' });
    return sendHtml(response, 402, checkoutPage(session, 'Your card was declined. Your request was in test mode, but used a non test card.'));
  }
  if (card.outcome === 'decline') {
    state.fail(state.sessionIntent(session), { code: 'card_declined', decline_code: card.declineCode, message: card.message });
    return sendHtml(response, 402, checkoutPage(session, card.message));
  }
  if (card.outcome === 'authenticate') return sendHtml(response, 200, authenticationPage(session));
  state.completeSession(session);
  redirect(response, successUrlOf(session));
}

// ---------------------------------------------------------------- Connect onboarding

async function handleOnboarding(state: StripeState, request: http.IncomingMessage, response: http.ServerResponse, path: string): Promise<void> {
  const match = path.match(/^\/connect\/onboarding\/([^/]+)$/);
  const link = match ? state.accountLinks.get(decodeURIComponent(match[1] as string)) : undefined;
  if (!match || !link) return sendHtml(response, 404, pageShell('Not found', '<h1>Something went wrong</h1><p>The page you were looking for could not be found.</p>'));
  // A used or expired link sends the seller to the refresh URL, to ask for another.
  if (link._used === true || Number(link.expires_at) < now()) return redirect(response, String(link._refresh));
  const account = state.account(String(link._account));
  if (request.method !== 'POST') {
    return sendHtml(
      response,
      200,
      pageShell(
        'Onboarding',
        `<h1>Set up payments</h1><p>Account ${escapeHtml(String(account.id))}: in test mode, no identity or bank details are asked.</p>
<form method="post" action="${escapeHtml(path)}"><button type="submit">Complete onboarding</button></form>`,
      ),
    );
  }
  link._used = true;
  state.completeOnboarding(account);
  redirect(response, String(link._return));
}

// ---------------------------------------------------------------- test controls

async function handleTestControls(state: StripeState, request: http.IncomingMessage, response: http.ServerResponse, path: string): Promise<void> {
  let match: RegExpMatchArray | null;
  if (request.method === 'GET' && path === '/_test/charges') {
    // ?account=acct_… : that connected account's money; ?account=platform : the platform's own.
    const account = new URL(request.url ?? '/', 'http://x').searchParams.get('account');
    const charges = account === null ? state.charges : state.charges.filter((charge) => (charge.account ?? 'platform') === account);
    return sendJson(response, 200, { count: charges.length, data: charges });
  }
  if (request.method === 'GET' && path === '/_test/events') return sendJson(response, 200, { data: state.events.map((entry) => ({ ...entry.event, deliveries: entry.deliveries })) });
  if (request.method === 'POST' && (match = path.match(/^\/_test\/events\/([^/]+)\/redeliver$/))) {
    const entry = state.events.find((candidate) => candidate.event.id === match?.[1]);
    if (!entry) return sendJson(response, 404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such event: '${match[1]}'` } });
    return sendJson(response, 200, { deliveries: await state.deliver(entry) });
  }
  sendJson(response, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${path}).` } });
}

export async function startStripeStandIn(options: StripeStandInOptions): Promise<StripeStandIn> {
  const host = options.host ?? '127.0.0.1';
  let listening = '';
  const state = new StripeState(options.webhooks, () => options.publicUrl ?? listening);
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const handler = path.startsWith('/v1/') ? handleApi : path.startsWith('/c/pay/') ? handleCheckout : path.startsWith('/connect/') ? handleOnboarding : handleTestControls;
    handler(state, request, response, path).catch((error: unknown) => {
      console.error('[stripe stand-in] request failed', request.method, path, error);
      if (!response.headersSent) sendJson(response, 500, { error: { type: 'api_error', message: 'An unknown error occurred' } });
      else response.end();
    });
  });
  await listenOn(server, options.port, host, 'stripe stand-in');
  listening = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    url: listening,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

if (require.main === module) {
  const config = loadConfig();
  const webhookUrl = process.env.STRIPE_STANDIN_WEBHOOK_URL ?? `${config.publicUrl}/webhooks/stripe`;
  startStripeStandIn({
    port: config.stripe.standInPort,
    host: process.env.STRIPE_STANDIN_HOST || undefined,
    webhooks: [{ url: webhookUrl, secret: config.stripe.webhookSecret }],
    ...(process.env.STRIPE_STANDIN_PUBLIC_URL ? { publicUrl: process.env.STRIPE_STANDIN_PUBLIC_URL } : {}),
  }).then(
    (standIn) => {
      console.log(`[stripe] stand-in listening on ${standIn.url}; events signed to ${webhookUrl}`);
      const stop = (signal: string) => {
        console.log(`[stripe] ${signal}: stopping`);
        standIn.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    },
    (error: unknown) => {
      console.error(`[stripe] could not start on port ${config.stripe.standInPort}: ${String(error)}`);
      process.exit(1);
    },
  );
}
