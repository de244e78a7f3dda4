/**
 * Paying an invoice online (seed 002: "le bouton Payer en ligne"), and a quote's deposit with
 * the yes (domain/deposit.ts): the portal asks the document's workflow for a hosted payment page
 * (what is left to pay on the invoice, the quote's deposit; one page at a time,
 * activities/payment/open-payment.ts); the provider's verified events (and the customer's return
 * from the payment page) are read from the provider and told to the workflow of the document
 * their metadata names, which counts each payment once.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { rowFields } from '../../platform/rows';
import type { Payment, PrismaClient } from '../../generated/prisma/client';
import { createStripeProvider } from '../../services/payment/stripe';
import { receivedPaymentOf, type HostedPayment, type PaymentEvent, type PaymentProvider, type PaymentSubject } from '../../services/payment/provider';
import { markHostedPaymentExpired } from '../../services/db/payments';
import { eventBelongsToTenant, ONBOARDING_NOT_DONE, PAYMENTS_NOT_SET_UP, takesPayments, tenantPayments, tenantPaymentsOrNone } from '../../services/payment/accounts';
import type { FoundLink } from '../../services/db/links';
import { AppError } from '../../domain/errors';
import { actorLabel, type Actor, type RequestSource } from '../../domain/documents';
import type { PaymentPage, ReceivedPayment } from '../../domain/invoice';
import { recordFact } from './facts';
import type { Config } from '../../platform/config';
import { documentWorkflowId } from '../../workflows/messages/document';
import { paymentFailedSignal, paymentReceivedSignal } from '../../workflows/messages/invoice';
import { isInvoicePayable } from '../../workflows/machines/invoice';
import { openDepositPaymentPage, openInvoicePaymentPage, queryInvoice, receiveInvoicePayment } from './quote-workflow';
import { sellerActor, type TenantCaller } from '../auth';
import type { PaymentMethod } from '../../domain/offline';
import { plainMoney } from '../../domain/summaries';
import type { InvoiceView } from '../../workflows/messages/invoice';
import { getSettings } from './settings';

export interface PaymentDeps {
  prisma: PrismaClient;
  temporal: Client;
  config: Config;
}

const providers = new WeakMap<Config, PaymentProvider>();

/** The configured provider (Stripe at STRIPE_API_URL), one per configuration. */
export function paymentProviderFor(config: Config): PaymentProvider {
  let provider = providers.get(config);
  if (!provider) {
    provider = createStripeProvider(config.stripe);
    providers.set(config, provider);
  }
  return provider;
}

/**
 * Whether the portal offers "Pay online" for this document now (the workflow has the last word
 * on the money): the tenant offers it, and has an account to be paid on.
 */
export async function isPayableOnline(deps: Pick<PaymentDeps, 'prisma' | 'config'>, document: { tenantId: string; kind: string; status: string }): Promise<boolean> {
  if (document.kind !== 'invoice' || !isInvoicePayable(document.status)) return false;
  if (!(await getSettings(deps.prisma, document.tenantId)).payOnline) return false;
  return tenantTakesPayments(deps, document.tenantId);
}

/** Whether the tenant has an account to be paid on (a quote's deposit needs no more: its seller asked for it). */
export async function tenantTakesPayments(deps: Pick<PaymentDeps, 'prisma' | 'config'>, tenantId: string): Promise<boolean> {
  return (await tenantPaymentsOrNone(deps.prisma, paymentProviderFor(deps.config), tenantId)) !== undefined;
}

/** The provider on the tenant's connected account (the platform's where it stands in), or 409 "payments are not set up". */
export function paymentsOfTenant(deps: Pick<PaymentDeps, 'prisma' | 'config'>, tenantId: string): Promise<PaymentProvider> {
  return tenantPayments(deps.prisma, paymentProviderFor(deps.config), tenantId);
}

/** What the customer's ask for a payment page carries: a quote's yes carries its options and the version it is for. */
export interface PaymentAsk {
  decisionId: string;
  actor: Actor;
  linkUrl: string;
  options?: string[];
  version?: number;
  source?: RequestSource;
}

/**
 * The customer asks to pay: an invoice's "Pay online", or a quote's yes with its deposit (or the
 * deposit due). The document's workflow hands out the payment page, or refuses with its
 * machine's reason (not sent, paid, cancelled, not offered, just paid; no deposit asked,
 * expired). Whether the tenant offers invoices online is read now and told to the workflow.
 */
export async function openPayment(deps: PaymentDeps, found: FoundLink, ask: PaymentAsk): Promise<PaymentPage> {
  const { document, link } = found;
  if (document.kind !== 'invoice' && document.kind !== 'quote') throw new AppError('decision_rejected', 'Only invoices, and the deposits of quotes, are paid online');
  // Not paid anywhere, or on an account Stripe does not let take payments yet: refused with the reason, the workflow not asked.
  const payments = await tenantPaymentsOrNone(deps.prisma, paymentProviderFor(deps.config), document.tenantId);
  if (!payments) throw new AppError('decision_rejected', PAYMENTS_NOT_SET_UP);
  if (!(await takesPayments(payments))) throw new AppError('decision_rejected', ONBOARDING_NOT_DONE);
  const customer = { actor: ask.actor, linkUrl: ask.linkUrl, ...(link.recipientEmail ? { customerEmail: link.recipientEmail } : {}) };
  if (document.kind === 'quote') {
    return openDepositPaymentPage(deps.temporal, document.id, ask.decisionId, {
      ...customer,
      ...(ask.options ? { options: ask.options } : {}),
      ...(ask.version !== undefined ? { version: ask.version } : {}),
      ...(ask.source ? { source: ask.source } : {}),
    });
  }
  const { payOnline } = await getSettings(deps.prisma, document.tenantId);
  return openInvoicePaymentPage(deps.temporal, document.id, ask.decisionId, { ...customer, payOnline });
}

/**
 * The customer is back from the payment page (success URL): the session is read from the
 * provider, and if it is this invoice's and paid, the workflow hears it now rather than when
 * the webhook comes. Answers whether it is paid.
 */
export async function confirmReturnFromPayment(deps: PaymentDeps, found: FoundLink, sessionId: string): Promise<boolean> {
  const row = await deps.prisma.payment.findUnique({ where: { checkoutSessionId: sessionId } });
  if (!row || row.documentId !== found.document.id) return false;
  const payments = await paymentsOfTenant(deps, found.document.tenantId);
  const session = await payments.retrieveHostedPayment(sessionId);
  if (!session.paid) return false;
  await reportHostedPayment(deps, session, Date.now(), payments.account);
  return true;
}

/** signalled: told to the document's workflow; recorded: a quote's deposit recorded after its run (recordDepositAfterItsRun); ignored: nothing to do. */
export type PaymentEventOutcome = 'signalled' | 'recorded' | 'ignored';

/** A verified provider event: told to the workflow of the document it is about (an invoice, a quote's deposit). */
export async function handlePaymentEvent(deps: PaymentDeps, event: PaymentEvent): Promise<PaymentEventOutcome> {
  switch (event.type) {
    case 'hosted_payment.paid':
      return reportHostedPayment(deps, event.session, event.createdAt, event.account);
    case 'hosted_payment.expired': {
      // The page's own seller's account only: another's cannot close it.
      const row = await deps.prisma.payment.findUnique({ where: { checkoutSessionId: event.session.sessionId }, select: { id: true, tenantId: true } });
      if (row && (await eventBelongsToTenant(deps.prisma, row.tenantId, event.account))) await markHostedPaymentExpired(deps.prisma, { id: row.id });
      return 'ignored';
    }
    case 'payment.failed': {
      const { charge } = event;
      const paid = charge.subject && (await findPaidDocument(deps.prisma, charge.subject, event.account));
      if (!paid) return 'ignored';
      return signalDocument(deps.temporal, paid, (handle) =>
        handle.signal(paymentFailedSignal, {
          paymentId: charge.paymentId,
          eventId: event.eventId,
          ...(charge.failureCode ? { failureCode: charge.failureCode } : {}),
          ...(charge.failureMessage ? { failureMessage: charge.failureMessage } : {}),
        }),
      );
    }
    // The session's completion reports hosted payments; off-session charges are their workflow's own answer.
    case 'payment.succeeded':
    case 'ignored':
      return 'ignored';
  }
}

async function reportHostedPayment(deps: PaymentDeps, session: HostedPayment, paidAt: number, account: string | undefined): Promise<PaymentEventOutcome> {
  const paid = session.paid && session.subject ? await findPaidDocument(deps.prisma, session.subject, account) : null;
  if (!paid) return 'ignored';
  const payment = receivedPaymentOf(session, paidAt);
  const outcome = await signalDocument(deps.temporal, paid, (handle) => handle.signal(paymentReceivedSignal, payment));
  return outcome === 'ignored' && paid.kind === 'quote' ? recordDepositAfterItsRun(deps, paid.id, payment) : outcome;
}

/**
 * A quote's deposit paid once the quote's run is over: its webhook came late, or the customer
 * paid a page still open as the quote closed (moved on, refused, cancelled or expired in
 * between). The money is there, so the seller must know: it is recorded once, as a fact of its
 * own (workflows/fact.ts, keyed by the provider's payment id), kept with its receipt by the
 * invoices' recordPayment, `deposit_paid` written (with `afterItsRun` and the quote's status
 * then), its webhook sent and the assignee told, in words saying when the quote was already
 * over. It accepts nothing: a refused, cancelled or expired quote stays so, the seller refunds
 * or agrees with the customer what comes next. A payment the run counted before it ended has
 * its row already (recordDeposit runs before the run ends): a report of it again changes nothing.
 */
async function recordDepositAfterItsRun(deps: PaymentDeps, quoteId: string, payment: ReceivedPayment): Promise<PaymentEventOutcome> {
  const kept = await deps.prisma.payment.findUnique({ where: { paymentIntentId: payment.paymentId }, select: { status: true } });
  if (kept?.status === 'succeeded') return 'ignored';
  const [quote, receipts] = await Promise.all([
    deps.prisma.document.findUniqueOrThrow({ where: { id: quoteId }, select: { tenantId: true, status: true } }),
    deps.prisma.payment.count({ where: { documentId: quoteId, status: 'succeeded' } }),
  ]);
  await recordFact(deps, {
    tenantId: quote.tenantId,
    documentId: quoteId,
    dedupeKey: `deposit-${payment.paymentId}`,
    type: 'deposit_paid',
    at: payment.paidAt,
    actor: actorLabel({ kind: 'system' }),
    data: { paymentId: payment.paymentId, amount: payment.amount, currency: payment.currency, provider: payment.provider, afterItsRun: true, quoteStatus: quote.status },
    payment: { payment, receiptSeq: receipts + 1, paidTotal: payment.amount },
    notify: 'paid',
  });
  return 'recorded';
}

/** Documents paid through a hosted page: the workflows that hear of their payments, by the kind the page's metadata names. */
const HOSTED_PAYMENT_KINDS = ['invoice', 'quote'] as const;
type PaidDocument = { id: string; kind: (typeof HOSTED_PAYMENT_KINDS)[number] };

/** The document (an invoice, a quote's deposit) a payment names, when the account it happened on is its seller's (services/payment/accounts.ts). */
async function findPaidDocument(prisma: PrismaClient, subject: PaymentSubject, account: string | undefined): Promise<PaidDocument | null> {
  const kind = HOSTED_PAYMENT_KINDS.find((paid) => paid === subject.subjectKind);
  if (!kind || !(await eventBelongsToTenant(prisma, subject.tenantId, account))) return null;
  const document = await prisma.document.findFirst({ where: { id: subject.subjectId, tenantId: subject.tenantId, kind }, select: { id: true } });
  return document ? { id: document.id, kind } : null;
}

/**
 * A report for a workflow that has finished (paid, cancelled, accepted) changes nothing through
 * it: a late or replayed webhook is answered 200 and forgotten, as Stripe expects (a quote's
 * deposit not counted yet is then recorded on its own: recordDepositAfterItsRun).
 */
async function signalDocument(
  client: Client,
  document: PaidDocument,
  send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
): Promise<PaymentEventOutcome> {
  try {
    await send(client.workflow.getHandle(documentWorkflowId(document.kind, document.id)));
    return 'signalled';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'ignored';
    throw error;
  }
}

export interface OfflinePaymentRequest {
  amount: number;
  method: PaymentMethod;
  receivedAt?: string;
  reference?: string;
}

/** What recording a payment answers: the invoice as its workflow counts it. */
export function presentInvoiceState(view: InvoiceView) {
  return {
    status: view.status,
    paidTotal: view.paidTotal,
    amountDue: view.amountDue,
    remindersSent: view.remindersSent,
    ...(view.nextReminderAt !== undefined ? { nextReminderAt: new Date(view.nextReminderAt).toISOString() } : {}),
    ...(view.dueDate !== undefined ? { dueDate: new Date(view.dueDate).toISOString() } : {}),
  };
}

/**
 * A payment received off line (transfer, cheque, cash), recorded by the seller: the invoice's
 * workflow counts it as any payment (partially paid or paid, reminders stop once paid, webhook
 * document.paid). More than what is left to pay is a typing mistake, refused here (422) before
 * the workflow is asked; the workflow refuses it too (409) should another payment come between.
 */
export async function recordOfflinePayment(deps: PaymentDeps, caller: TenantCaller, documentId: string, input: OfflinePaymentRequest, decisionId: string) {
  const invoice = await deps.prisma.document.findFirst({ where: { id: documentId, tenantId: caller.tenantId }, select: { kind: true, number: true, workflowId: true, currency: true } });
  if (!invoice) throw new AppError('not_found', `No document ${documentId}.`);
  if (invoice.kind !== 'invoice') throw new AppError('decision_rejected', `Only invoices are paid; ${invoice.number} is not an invoice.`);
  if (!invoice.workflowId) throw new AppError('decision_rejected', 'The invoice has not been sent yet');
  // A retry of a payment already counted gets its first answer, whatever is left now.
  const counted = await deps.prisma.payment.findUnique({ where: { paymentIntentId: `offline:${decisionId}` }, select: { id: true } });
  const current = counted ? null : await queryInvoice(deps.temporal, documentId);
  if (current && isInvoicePayable(current.status) && input.amount > current.amountDue) {
    throw new AppError('unprocessable', `The payment (${plainMoney(input.amount, invoice.currency)}) is more than what is left to pay (${plainMoney(current.amountDue, invoice.currency)}).`, [
      { path: 'amount', message: `at most ${current.amountDue}` },
    ]);
  }
  const view = await receiveInvoicePayment(deps.temporal, documentId, decisionId, {
    actor: sellerActor(caller),
    amount: input.amount,
    method: input.method,
    receivedAt: input.receivedAt ? Date.parse(input.receivedAt) : Date.now(),
    ...(input.reference ? { reference: input.reference } : {}),
  });
  return presentInvoiceState(view);
}

export type PaymentRowStatus = 'open' | 'succeeded' | 'failed' | 'expired';

/** What GET /v1/documents/:id shows of each payment (never the receipt's bytes). */
export function presentPayment(payment: Payment) {
  return {
    ...rowFields(payment, ['id', 'provider', 'amount', 'currency', 'checkoutSessionId', 'paymentIntentId', 'reference', 'paidAt', 'receiptNumber', 'createdAt']),
    status: payment.status as PaymentRowStatus,
    method: (payment.method as PaymentMethod | null) ?? null,
  };
}

export function listPayments(prisma: PrismaClient, tenantId: string, documentId: string): Promise<Payment[]> {
  return prisma.payment.findMany({ where: { tenantId, documentId }, orderBy: { attempt: 'asc' } });
}

/** A receipt of this document, for the link that opens it; not_found otherwise. */
export async function receiptOf(prisma: PrismaClient, documentId: string, paymentId: string): Promise<{ bytes: Uint8Array; receiptNumber: string }> {
  const payment = await prisma.payment.findFirst({ where: { id: paymentId, documentId, status: 'succeeded' } });
  if (!payment?.receiptPdf || !payment.receiptNumber) throw new AppError('not_found', 'No receipt here');
  return { bytes: payment.receiptPdf, receiptNumber: payment.receiptNumber };
}
