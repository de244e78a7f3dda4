/**
 * Paying online on the portal: an invoice (seed 002: "le bouton Payer en ligne apparaîtra sur
 * votre webdocument facture … votre client pourra également récupérer le reçu de son
 * paiement"), and a quote's deposit, paid with the yes (domain/deposit.ts):
 *
 *   POST /d/:token/pay              asks the document's workflow for the hosted payment page (an
 *                                   open one again, or a new one) and sends the browser there;
 *                                   JSON clients get `{url, sessionId}`. On a quote it is the
 *                                   customer's yes with its deposit (the accept form posts here,
 *                                   options chosen included), or the deposit still due
 *   GET  /d/:token/payment-return   the provider's success URL: the payment is confirmed with
 *                                   the provider and told to the workflow, then back to the page
 *   GET  /d/:token/receipts/:id     a payment's receipt (PDF)
 *
 * Paying an invoice is open to whoever holds its link (whoever pays it, the seller is paid): no
 * link action is needed; a quote's deposit is its yes, so its link must allow accepting (or signing). The
 * page's section shows where the invoice stands (paid, partly paid, overdue), or the quote's
 * deposit (asked, paid, declined), the receipts, and the pay button while something is left to
 * pay and the tenant takes it online.
 *
 * Why no plain redirect after the form post: the portal's CSP says `form-action 'self'`, and
 * browsers apply it to the redirects that follow a form submission, so a 303 to the payment
 * provider would be blocked. The answer is a small page that moves on to the provider by itself
 * (meta refresh) with a link for the rare browser that does not.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { FoundLink } from '../../services/db/links';
import { z } from 'zod';
import { linkActionsNow, pickLocale, type Locale, type RequestSource } from '../../domain/documents';
import { depositAmountOf, depositPolicyOf, type DepositPolicy } from '../../domain/deposit';
import { yesLeadsToDeposit, type DecisionRound } from '../../domain/deciders';
import { deciderRound } from './deciders-section';
import { AppError } from '../../domain/errors';
import { amountLeftToPay, type PaymentPage } from '../../domain/invoice';
import { logger } from '../../platform/logger';
import type { AppDeps } from '../app';
import { sendProblem } from '../errors';
import { derivedDecisionId } from '../decision-id';
import { confirmReturnFromPayment, isPayableOnline, listPayments, openPayment, receiptOf, tenantTakesPayments } from '../operations/payments';
import { customerActor } from './customer-actions';
import { isCarriedDeposit } from '../../services/db/payments';
import { linkAllows } from './decisions';
import { isFormSignatureValid, signForm } from './csrf';
import { html, type SafeHtml } from './html';
import { formattersFor } from './i18n';
import { pageShell, type StatusBanner } from './layout';
import { portalSeller } from './seller-brand';

interface PaymentWords {
  heading: string;
  payOnline: (amount: string) => string;
  amountDue: (amount: string) => string;
  paid: string;
  paidOn: (date: string) => string;
  partiallyPaid: (paid: string, due: string) => string;
  overdue: string;
  overdueSince: (date: string) => string;
  dueOn: (date: string) => string;
  receipt: (number: string, amount: string) => string;
  confirming: string;
  cancelled: string;
  redirecting: string;
  continueToPayment: string;
  refused: string;
  /** The deposit paid with the quote's yes, carried into the invoice made from it. */
  depositDeducted: (amount: string, quote: string) => string;
  deposit: DepositWords;
}

/** A quote's deposit (domain/deposit.ts). */
interface DepositWords {
  heading: string;
  asked: (amount: string, policy: DepositPolicy) => string;
  acceptAndPay: (amount: string) => string;
  payDeposit: (amount: string) => string;
  paidOn: (amount: string, date: string) => string;
  receipt: (number: string, amount: string) => string;
  confirming: string;
  declined: (reason: string, policy: DepositPolicy) => string;
  refused: string;
}

const WORDS: Record<Locale, PaymentWords> = {
  fr: {
    heading: 'Règlement',
    payOnline: (amount) => `Payer en ligne ${amount}`,
    amountDue: (amount) => `Reste à payer\u202f: ${amount}`,
    paid: 'Facture payée',
    paidOn: (date) => `Facture payée le ${date}`,
    partiallyPaid: (paid, due) => `Partiellement payée\u202f: ${paid} reçus, ${due} restent à payer`,
    overdue: 'Cette facture est échue',
    overdueSince: (date) => `Cette facture est échue depuis le ${date}`,
    dueOn: (date) => `Échéance\u202f: ${date}`,
    receipt: (number, amount) => `Télécharger le reçu ${number} (${amount})`,
    confirming: 'Paiement reçu, confirmation en cours… Cette page se met à jour d’elle-même.',
    cancelled: 'Paiement annulé\u202f: rien n’a été débité.',
    redirecting: 'Redirection vers la page de paiement sécurisée…',
    continueToPayment: 'Continuer vers le paiement',
    refused: 'Le paiement en ligne n’est pas possible pour cette facture.',
    depositDeducted: (amount, quote) => `Acompte déjà versé (devis ${quote})\u202f: ${amount}`,
    deposit: {
      heading: 'Acompte',
      asked: (amount, policy) =>
        policy === 'accept_when_paid' ? `Un acompte de ${amount} est demandé à l’acceptation\u202f: le devis est accepté une fois l’acompte payé.` : `Un acompte de ${amount} est dû à l’acceptation.`,
      acceptAndPay: (amount) => `Accepter et payer l’acompte (${amount})`,
      payDeposit: (amount) => `Payer l’acompte ${amount}`,
      paidOn: (amount, date) => `Acompte de ${amount} payé le ${date}`,
      receipt: (number, amount) => `Télécharger le reçu ${number} (${amount})`,
      confirming: 'Acompte reçu, confirmation en cours… Cette page se met à jour d’elle-même.',
      declined: (reason, policy) =>
        `Le paiement de l’acompte a été refusé (${reason}). ${policy === 'accept_when_paid' ? 'Le devis n’est pas encore accepté' : 'Le devis est accepté, l’acompte reste dû'}\u202f: vous pouvez réessayer avec une autre carte.`,
      refused: 'L’acompte ne peut pas être payé en ligne maintenant.',
    },
  },
  en: {
    heading: 'Payment',
    payOnline: (amount) => `Pay online ${amount}`,
    amountDue: (amount) => `Left to pay: ${amount}`,
    paid: 'Invoice paid',
    paidOn: (date) => `Invoice paid on ${date}`,
    partiallyPaid: (paid, due) => `Partly paid: ${paid} received, ${due} left to pay`,
    overdue: 'This invoice is overdue',
    overdueSince: (date) => `This invoice is overdue: it was due on ${date}`,
    dueOn: (date) => `Due on ${date}`,
    receipt: (number, amount) => `Download receipt ${number} (${amount})`,
    confirming: 'Payment received, being confirmed… This page updates by itself.',
    cancelled: 'Payment cancelled: nothing was charged.',
    redirecting: 'Taking you to the secure payment page…',
    continueToPayment: 'Continue to payment',
    refused: 'This invoice cannot be paid online.',
    depositDeducted: (amount, quote) => `Deposit already paid (quote ${quote}): ${amount}`,
    deposit: {
      heading: 'Deposit',
      asked: (amount, policy) => (policy === 'accept_when_paid' ? `A deposit of ${amount} is asked with your acceptance: the quote is accepted once it is paid.` : `A deposit of ${amount} is due on acceptance.`),
      acceptAndPay: (amount) => `Accept and pay the deposit (${amount})`,
      payDeposit: (amount) => `Pay the deposit ${amount}`,
      paidOn: (amount, date) => `Deposit of ${amount} paid on ${date}`,
      receipt: (number, amount) => `Download receipt ${number} (${amount})`,
      confirming: 'Deposit received, being confirmed… This page updates by itself.',
      declined: (reason, policy) =>
        `The deposit payment was declined (${reason}). ${policy === 'accept_when_paid' ? 'The quote is not accepted yet' : 'The quote is accepted; the deposit is still due'}: you may try again with another card.`,
      refused: 'The deposit cannot be paid online now.',
    },
  },
  sv: {
    heading: 'Betalning',
    payOnline: (amount) => `Betala online ${amount}`,
    amountDue: (amount) => `Kvar att betala: ${amount}`,
    paid: 'Fakturan är betald',
    paidOn: (date) => `Fakturan betalades ${date}`,
    partiallyPaid: (paid, due) => `Delvis betald: ${paid} mottaget, ${due} kvar att betala`,
    overdue: 'Fakturan har förfallit',
    overdueSince: (date) => `Fakturan har förfallit: förfallodagen var ${date}`,
    dueOn: (date) => `Förfallodag: ${date}`,
    receipt: (number, amount) => `Ladda ner kvitto ${number} (${amount})`,
    confirming: 'Betalningen är mottagen och bekräftas… Sidan uppdateras av sig själv.',
    cancelled: 'Betalningen avbröts: inget drogs.',
    redirecting: 'Du skickas till den säkra betalningssidan…',
    continueToPayment: 'Fortsätt till betalningen',
    refused: 'Fakturan kan inte betalas online.',
    depositDeducted: (amount, quote) => `Handpenning redan betald (offert ${quote}): ${amount}`,
    deposit: {
      heading: 'Handpenning',
      asked: (amount, policy) =>
        policy === 'accept_when_paid' ? `En handpenning på ${amount} begärs med godkännandet: offerten godkänns när den är betald.` : `En handpenning på ${amount} ska betalas vid godkännandet.`,
      acceptAndPay: (amount) => `Godkänn och betala handpenningen (${amount})`,
      payDeposit: (amount) => `Betala handpenningen ${amount}`,
      paidOn: (amount, date) => `Handpenning på ${amount} betald ${date}`,
      receipt: (number, amount) => `Ladda ner kvitto ${number} (${amount})`,
      confirming: 'Handpenningen är mottagen och bekräftas… Sidan uppdateras av sig själv.',
      declined: (reason, policy) =>
        `Betalningen av handpenningen avvisades (${reason}). ${policy === 'accept_when_paid' ? 'Offerten är ännu inte godkänd' : 'Offerten är godkänd, handpenningen ska fortfarande betalas'}: du kan försöka igen med ett annat kort.`,
      refused: 'Handpenningen kan inte betalas online just nu.',
    },
  },
};

function localeOf(found: FoundLink): Locale {
  return pickLocale(found.document.customer.locale, found.document.tenant.locale);
}

function linkPathOf(req: Request): string {
  return `${req.baseUrl}/${encodeURIComponent(String(req.params.token))}`;
}

/**
 * What a page shows of its payments: an invoice's, where it stands in a banner at its top and
 * its payment section (receipts, the pay button); a quote's, its deposit's section; null for
 * other kinds.
 */
export interface PaymentParts {
  banner: StatusBanner | null;
  section: SafeHtml | null;
  /** A quote's yes is paid with its deposit: the accept form posts to /pay, and says so. */
  acceptLabel?: string;
  /** A quote's deposit is paid: its acceptance is no longer withdrawn on the portal (machines/quote.ts). */
  depositPaid?: true;
}

export async function paymentPageParts(deps: AppDeps, req: Request, found: FoundLink, linkPath: string): Promise<PaymentParts | null> {
  if (found.document.kind === 'quote') return depositPageParts(deps, req, found, linkPath);
  return invoicePageParts(deps, req, found, linkPath);
}

/**
 * A quote's deposit is paid with the yes, or once the quote is accepted: by a link that may
 * accept or sign it (the customer's, an approver's or a signer's among several deciders), never a
 * reviewer's.
 */
function paysDeposit(found: FoundLink): boolean {
  const actions = linkActionsNow(found.link.actions, found.document);
  return linkAllows(actions, 'accept') || linkAllows(actions, 'sign');
}

/**
 * Whether this link's yes pays the deposit: the customer's always; among several deciders, under
 * accept_when_paid, the approver's yes that meets the round (or, met, a last-step approver's, to pay
 * again) — the machine's own rule; under accept_then_pay a decider's yes is a plain vote, the
 * deposit due once their round accepted the quote.
 */
function yesPays(policy: DepositPolicy, round: DecisionRound | undefined, deciderId: string | null): boolean {
  if (!round) return true;
  return policy === 'accept_when_paid' && yesLeadsToDeposit(round, deciderId ?? undefined, Date.now());
}

/** A form that posts to /pay: its own decision id, signed for the link. */
function payForm(deps: AppDeps, found: FoundLink, linkPath: string, content: SafeHtml): SafeHtml {
  const decisionId = randomUUID();
  return html`<form method="post" action="${linkPath}/pay"><input type="hidden" name="decisionId" value="${decisionId}"><input type="hidden" name="csrf" value="${signForm(
    deps.config.appSecret,
    found.link.id,
    decisionId,
  )}">${content}</form>`;
}

/**
 * A quote's deposit: what is asked and on which policy, paid (with its receipt), being
 * confirmed after the return from the page, declined (the last refusal, while it is not paid),
 * and the pay button while it is due on an accepted quote. Before the yes, the accept form
 * itself pays it (`acceptLabel`).
 */
async function depositPageParts(deps: AppDeps, req: Request, found: FoundLink, linkPath: string): Promise<PaymentParts | null> {
  const { document } = found;
  const policy = depositPolicyOf(document);
  if (!policy || document.status === 'draft') return null;
  const locale = localeOf(found);
  const w = WORDS[locale].deposit;
  const f = formattersFor(locale, portalSeller(document).timeZone);
  const money = (amount: number) => f.money(amount, document.currency);
  // Read with the payments, not the link's (read before the page's open was recorded).
  const [payments, { status }, lastFailure, round] = await Promise.all([
    listPayments(deps.prisma, document.tenantId, document.id),
    deps.prisma.document.findUniqueOrThrow({ where: { id: document.id }, select: { status: true } }),
    deps.prisma.auditEvent.findFirst({ where: { documentId: document.id, type: 'deposit_failed' }, orderBy: { seq: 'desc' }, select: { data: true } }),
    deciderRound(deps.prisma, document),
  ]);
  const paid = payments.find((payment) => payment.status === 'succeeded');
  const amount = paid?.amount ?? depositAmountOf(document, document.grossTotal);
  // Back from the page before the workflow has recorded it (and, under accept_when_paid, accepted the quote).
  const returned = req.query.payment;
  const checks = checksMade(req.query.check);
  const confirming = returned === 'success' && (!paid || (policy === 'accept_when_paid' && status !== 'accepted')) && checks < CONFIRMING_CHECKS;
  const mayPay = !confirming && !paid && paysDeposit(found) && (await tenantTakesPayments(deps, document.tenantId));
  const failure = !paid && lastFailure ? String((lastFailure.data as { failureMessage?: unknown } | null)?.failureMessage ?? 'card_declined') : null;
  const notice = confirming
    ? html`${confirmingRefresh(linkPath, checks)}<p class="notice success" role="status">${w.confirming}</p>`
    : returned === 'cancelled' && !failure
      ? html`<p class="notice" role="status">${WORDS[locale].cancelled}</p>`
      : failure
        ? html`<p class="notice error" role="alert">${w.declined(failure, policy)}</p>`
        : null;
  const receipt = paid?.receiptNumber ? html`<p><a class="button" href="${linkPath}/receipts/${paid.id}" download>${w.receipt(paid.receiptNumber, money(paid.amount))}</a></p>` : null;
  const standing = paid?.paidAt ? html`<p class="deposit-paid">${w.paidOn(money(paid.amount), f.date(paid.paidAt))}</p>` : html`<p>${w.asked(money(amount), policy)}</p>`;
  const payDue = mayPay && status === 'accepted' ? payForm(deps, found, linkPath, html`<button class="primary" type="submit">${w.payDeposit(money(amount))}</button>`) : null;
  return {
    banner: null,
    section: html`<section class="sheet payment deposit" id="payment"><h2>${w.heading}</h2>${notice}${standing}${payDue}${receipt}</section>`,
    ...(mayPay && yesPays(policy, round, found.link.deciderId) ? { acceptLabel: w.acceptAndPay(money(amount)) } : {}),
    ...(paid ? { depositPaid: true as const } : {}),
  };
}

async function invoicePageParts(deps: AppDeps, req: Request, found: FoundLink, linkPath: string): Promise<PaymentParts | null> {
  const { document } = found;
  if (document.kind !== 'invoice' || document.status === 'draft') return null;
  const locale = localeOf(found);
  const w = WORDS[locale];
  const f = formattersFor(locale, portalSeller(document).timeZone);
  const money = (amount: number) => f.money(amount, document.currency);
  // The status read with the payments, not the link's (read before the page's open was recorded): a payment
  // counted meanwhile shows as paid with its receipt, never as a receipt under an unpaid invoice.
  const [payments, { status }] = await Promise.all([
    listPayments(deps.prisma, document.tenantId, document.id),
    deps.prisma.document.findUniqueOrThrow({ where: { id: document.id }, select: { status: true } }),
  ]);
  const succeeded = payments.filter((payment) => payment.status === 'succeeded');
  const paidTotal = succeeded.reduce((sum, payment) => sum + payment.amount, 0);
  const amountDue = amountLeftToPay({ grossTotal: document.grossTotal, paidTotal });
  const payable = amountDue > 0 && (await isPayableOnline(deps, { ...document, status }));
  const returned = req.query.payment;
  const checks = checksMade(req.query.check);
  // Back from the payment page before the workflow has recorded it (its receipt may be kept a moment before
  // the invoice is paid): say so, and look again shortly. A page still unpaid after minutes shows where it stands.
  const confirming = returned === 'success' && status !== 'paid' && checks < CONFIRMING_CHECKS;

  const lastPaidAt = succeeded
    .map((payment) => payment.paidAt)
    .filter((at): at is Date => at !== null)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  const dueOn = document.dueDate && amountDue > 0 ? w.dueOn(f.date(document.dueDate)) : null;
  const banner: StatusBanner | null =
    status === 'paid'
      ? { tone: 'paid accepted', text: lastPaidAt ? w.paidOn(f.date(lastPaidAt)) : w.paid }
      : status === 'partially_paid'
        ? { tone: 'partially_paid on_hold', text: [w.partiallyPaid(money(paidTotal), money(amountDue)), dueOn].filter(Boolean).join(' ') }
        : status === 'overdue'
          ? { tone: 'overdue refused', text: document.dueDate ? w.overdueSince(f.date(document.dueDate)) : w.overdue }
          : dueOn
            ? { tone: 'due draft', text: dueOn }
            : null;
  const pay = payable && !confirming ? payForm(deps, found, linkPath, html`<p>${w.amountDue(money(amountDue))}</p><button class="primary" type="submit">${w.payOnline(money(amountDue))}</button>`) : null;
  // The deposit paid with the quote: deducted, and what is left said even where the page takes no payment.
  const carried = succeeded.filter(isCarriedDeposit);
  const deducted = carried.length
    ? html`${carried.map((deposit) => html`<p class="deposit-deducted">${w.depositDeducted(money(deposit.amount), deposit.reference ?? '')}</p>`)}${pay ? null : html`<p>${w.amountDue(money(amountDue))}</p>`}`
    : null;
  const receipts = succeeded
    .filter((payment) => payment.receiptNumber)
    .map((payment) => html`<p><a class="button" href="${linkPath}/receipts/${payment.id}" download>${w.receipt(payment.receiptNumber ?? '', money(payment.amount))}</a></p>`);
  const notice = confirming
    ? html`${confirmingRefresh(linkPath, checks)}<p class="notice success" role="status">${w.confirming}</p>`
    : returned === 'cancelled'
      ? html`<p class="notice" role="status">${w.cancelled}</p>`
      : null;
  const section = pay || receipts.length > 0 || notice ? html`<section class="sheet payment" id="payment"><h2>${w.heading}</h2>${notice}${deducted}${pay}${receipts}</section>` : null;
  return { banner, section };
}

/**
 * The page looks again by itself while a payment is being confirmed: soon at first (it is
 * usually a matter of seconds), then less and less often, so a slow confirmation never spends
 * the link's request budget (rate-limits.ts); after about ten minutes it stops. Refreshed at an
 * address without a fragment: to the same address with one, a browser would only scroll.
 */
const CONFIRMING_CHECKS = 45;

function checksMade(check: unknown): number {
  return typeof check === 'string' && /^\d{1,3}$/.test(check) ? Number(check) : 0;
}

function confirmingRefresh(linkPath: string, checks: number): SafeHtml {
  const delaySeconds = Math.min(2 + 2 * checks, 15);
  return html`<meta http-equiv="refresh" content="${String(delaySeconds)};url=${linkPath}?payment=success&amp;check=${String(checks + 1)}">`;
}

const DECISION_ID = /^[A-Za-z0-9_-]{8,100}$/;

/** Form fields arrive as strings, a repeated checkbox as an array: both read as a list. */
const optionIds = z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(z.string().min(1).max(64)).max(100));

/** A quote's yes carries the optional lines chosen; an unreadable list is refused, not dropped. */
function chosenOptions(found: FoundLink, raw: unknown): string[] | undefined {
  if (found.document.kind !== 'quote' || raw === undefined) return undefined;
  const parsed = optionIds.safeParse(raw);
  const optional = new Set(found.document.lines.filter((line) => line.optional).map((line) => line.id));
  const unknown = parsed.success ? parsed.data.find((id) => !optional.has(id)) : 'options';
  if (!parsed.success || unknown !== undefined) {
    throw new AppError('validation_failed', 'Some fields are missing or invalid; see errors.', [{ path: 'options', message: `${unknown} is not an optional line of this quote` }]);
  }
  return parsed.data;
}

/** POST /d/:token/pay: an invoice's "Pay online", a quote's yes with its deposit (or the deposit due). */
export function payOnline(deps: AppDeps, sourceOf: (req: Request) => RequestSource) {
  return async (req: Request, res: Response, found: FoundLink): Promise<void> => {
    const isJson = Boolean(req.is('application/json'));
    const body = (req.body ?? {}) as { decisionId?: unknown; csrf?: unknown; options?: unknown };
    const signed =
      typeof body.decisionId === 'string' && DECISION_ID.test(body.decisionId) && typeof body.csrf === 'string' && isFormSignatureValid(deps.config.appSecret, found.link.id, body.decisionId, body.csrf);
    if (!isJson && !signed) throw new AppError('forbidden', 'The form lacks a valid anti-CSRF field; reload the page and submit again');
    if (found.document.kind === 'quote' && !paysDeposit(found)) throw new AppError('forbidden', 'This link does not allow accepting the quote');
    const options = chosenOptions(found, body.options);
    const linkUrl = `${deps.config.publicUrl}${linkPathOf(req)}`;
    let payment: PaymentPage;
    try {
      payment = await openPayment(deps, found, {
        decisionId: payDecisionId(found, body.decisionId),
        actor: customerActor(found.link),
        linkUrl,
        source: sourceOf(req),
        ...(options ? { options } : {}),
        ...(found.document.kind === 'quote' ? { version: found.link.documentVersion } : {}),
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'decision_rejected') throw error;
      if (isJson || req.accepts(['html', 'json']) === 'json') return sendProblem(res, error);
      const w = WORDS[localeOf(found)];
      const refused = found.document.kind === 'quote' ? w.deposit.refused : w.refused;
      res
        .status(409)
        .type('html')
        .send(pageShell(localeOf(found), w.heading, html`<p class="notice error" role="alert">${refused} ${error.message}</p><p><a class="button" href="${linkPathOf(req)}">←</a></p>`, '', portalSeller(found.document)));
      return;
    }
    if (isJson || req.accepts(['html', 'json']) === 'json') {
      res.json(payment);
      return;
    }
    const w = WORDS[localeOf(found)];
    res
      .type('html')
      .send(
        pageShell(
          localeOf(found),
          w.heading,
          html`<meta http-equiv="refresh" content="0;url=${payment.url}"><p class="notice" role="status">${w.redirecting}</p><p><a class="button primary" href="${payment.url}">${w.continueToPayment}</a></p>`,
          '',
          portalSeller(found.document),
        ),
      );
  };
}

/**
 * The decision a "Pay online" (or a yes with its deposit) is: this form (or, for a JSON client,
 * this request) on the document as it stands, so a double click is one decision and gets one page. The status is
 * part of it because Temporal answers a repeated update id with its first outcome, even once
 * the workflow has closed: the same form posted again after the invoice was paid must be
 * refused, not handed the page that was paid.
 */
function payDecisionId(found: FoundLink, formDecisionId: unknown): string {
  const asked = typeof formDecisionId === 'string' && DECISION_ID.test(formDecisionId) ? formDecisionId : null;
  return derivedDecisionId({ scope: `link:${found.link.id}`, operation: 'pay', body: { decisionId: asked, status: found.document.status } });
}

/** GET /d/:token/payment-return?session=…: the provider sends the customer back here once paid. */
export function returnFromPayment(deps: AppDeps) {
  return async (req: Request, res: Response, found: FoundLink): Promise<void> => {
    const session = typeof req.query.session === 'string' ? req.query.session : '';
    if (/^cs_[A-Za-z0-9_]{1,200}$/.test(session)) {
      // Best effort: the provider's webhook tells the same, and the page the customer lands on looks again by itself.
      await confirmReturnFromPayment(deps, found, session).catch((error: unknown) => logger.warn({ err: error }, 'payment return not confirmed now; the provider webhook will'));
    }
    res.redirect(303, `${linkPathOf(req)}?payment=success#payment`);
  };
}

/** GET /d/:token/receipts/:paymentId. */
export function downloadReceipt(deps: AppDeps) {
  return async (req: Request, res: Response, found: FoundLink): Promise<void> => {
    const receipt = await receiptOf(deps.prisma, found.document.id, String(req.params.paymentId));
    res.attachment(`${receipt.receiptNumber}.pdf`).type('application/pdf').send(Buffer.from(receipt.bytes));
  };
}
