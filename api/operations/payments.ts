/**
 * Paying an invoice online (seed 002: "le bouton Payer en ligne"): the portal opens a hosted
 * payment for what is left to pay, the provider's verified events (and the customer's return
 * from the payment page) tell the invoice's workflow, which counts each payment once.
 *
 * One payment page at a time per invoice: an open session for the same amount is handed out
 * again (a second click, a second tab), and a new one is opened only once the last can no
 * longer be paid (expired) or no longer asks the right amount (a payment came in meanwhile;
 * it is expired first). Each is opened under the key `<invoice>:checkout:<attempt>`, so two
 * requests racing for the same attempt get the same session from the provider, and the
 * unique (document, attempt) row settles which one writes it. A paid invoice opens nothing.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Payment, PrismaClient } from '../../generated/prisma/client';
import { createStripeProvider } from '../../services/payment/stripe';
import type { HostedPayment, PaymentEvent, PaymentProvider } from '../../services/payment/provider';
import type { FoundLink } from '../../services/db/links';
import { AppError } from '../../domain/errors';
import { pickLocale } from '../../domain/documents';
import type { ReceivedPayment } from '../../domain/invoice';
import { isUniqueViolation } from '../../platform/db';
import { newId } from '../../platform/ids';
import type { Config } from '../../platform/config';
import { documentWorkflowId } from '../../workflows/messages/document';
import { paymentFailedSignal, paymentReceivedSignal } from '../../workflows/messages/invoice';
import { closedInvoiceReason, isInvoicePayable } from '../../workflows/machines/invoice';
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

/** Whether the portal offers "Pay online" for this document now (the workflow has the last word on the money). */
export async function isPayableOnline(prisma: PrismaClient, document: { tenantId: string; kind: string; status: string }): Promise<boolean> {
  if (document.kind !== 'invoice' || !isInvoicePayable(document.status)) return false;
  return (await getSettings(prisma, document.tenantId)).payOnline;
}

async function paidSoFar(prisma: PrismaClient, documentId: string): Promise<number> {
  const paid = await prisma.payment.aggregate({ where: { documentId, status: 'succeeded' }, _sum: { amount: true } });
  return paid._sum.amount ?? 0;
}

/** Why this invoice cannot be paid online now; undefined when it can. */
async function whyNotPayable(prisma: PrismaClient, document: FoundLink['document']): Promise<string | undefined> {
  if (document.kind !== 'invoice') return 'Only invoices are paid online';
  if (document.status === 'paid' || document.status === 'cancelled') return closedInvoiceReason(document.status);
  if (!isInvoicePayable(document.status)) return 'The invoice has not been sent yet';
  if (!(await getSettings(prisma, document.tenantId)).payOnline) return 'Online payment is not offered for this invoice';
  return undefined;
}

/** The customer asks to pay: the payment page's address (an open one again, or a new one). */
export async function startInvoicePayment(deps: PaymentDeps, found: FoundLink, linkUrl: string): Promise<{ url: string; sessionId: string }> {
  const { document } = found;
  const refusal = await whyNotPayable(deps.prisma, document);
  if (refusal) throw new AppError('decision_rejected', refusal);
  const provider = paymentProviderFor(deps.config);
  const amountDue = document.grossTotal - (await paidSoFar(deps.prisma, document.id));
  if (amountDue <= 0) throw new AppError('decision_rejected', closedInvoiceReason('paid'));

  const last = await deps.prisma.payment.findFirst({ where: { documentId: document.id }, orderBy: { attempt: 'desc' } });
  if (last?.status === 'open' && last.checkoutSessionId) {
    const session = await provider.retrieveHostedPayment(last.checkoutSessionId);
    if (session.paid) {
      // Paid, and its webhook not heard yet: tell the workflow now, and open nothing.
      await reportHostedPayment(deps, session, Date.now());
      throw new AppError('decision_rejected', 'This invoice has just been paid; the receipt is on its way');
    }
    if (session.status === 'open' && session.url && session.amount === amountDue) return { url: session.url, sessionId: session.sessionId };
    // Expired, or asking an amount no longer due: closed before another is opened.
    if (session.status === 'open') await provider.expireHostedPayment(session.sessionId);
    await deps.prisma.payment.update({ where: { id: last.id }, data: { status: 'expired', checkoutUrl: null } });
  }

  const attempt = (last?.attempt ?? 0) + 1;
  const idempotencyKey = `${document.id}:checkout:${attempt}`;
  const locale = pickLocale(document.customer.locale, document.tenant.locale);
  const session = await provider.createHostedPayment({
    subject: { tenantId: document.tenantId, subjectId: document.id, subjectKind: 'invoice' },
    amount: amountDue,
    currency: document.currency,
    description: `${document.number}${document.title ? ` — ${document.title}` : ''} · ${document.tenant.name}`,
    ...(found.link.recipientEmail ? { customerEmail: found.link.recipientEmail } : {}),
    locale,
    successUrl: `${linkUrl}/payment-return?session={SESSION_ID}`,
    cancelUrl: `${linkUrl}?payment=cancelled#payment`,
    idempotencyKey,
  });
  if (!session.url) throw new AppError('unavailable', 'The payment provider opened no payment page');
  try {
    await deps.prisma.payment.create({
      data: {
        id: newId('pay'),
        tenantId: document.tenantId,
        documentId: document.id,
        provider: provider.name,
        status: 'open',
        amount: amountDue,
        currency: document.currency,
        attempt,
        idempotencyKey,
        checkoutSessionId: session.sessionId,
        checkoutUrl: session.url,
      },
    });
  } catch (error) {
    // The same attempt opened by a request racing this one: the provider gave both the same session.
    if (!isUniqueViolation(error)) throw error;
  }
  return { url: session.url, sessionId: session.sessionId };
}

/**
 * The customer is back from the payment page (success URL): the session is read from the
 * provider, and if it is this invoice's and paid, the workflow hears it now rather than when
 * the webhook comes. Answers whether it is paid.
 */
export async function confirmReturnFromPayment(deps: PaymentDeps, found: FoundLink, sessionId: string): Promise<boolean> {
  const row = await deps.prisma.payment.findUnique({ where: { checkoutSessionId: sessionId } });
  if (!row || row.documentId !== found.document.id) return false;
  const session = await paymentProviderFor(deps.config).retrieveHostedPayment(sessionId);
  if (!session.paid) return false;
  await reportHostedPayment(deps, session, Date.now());
  return true;
}

export type PaymentEventOutcome = 'signalled' | 'ignored';

/** A verified provider event: told to the invoice's workflow when it is about one. */
export async function handlePaymentEvent(deps: PaymentDeps, event: PaymentEvent): Promise<PaymentEventOutcome> {
  switch (event.type) {
    case 'hosted_payment.paid':
      return reportHostedPayment(deps, event.session, event.createdAt);
    case 'hosted_payment.expired':
      await deps.prisma.payment.updateMany({ where: { checkoutSessionId: event.session.sessionId, status: 'open' }, data: { status: 'expired', checkoutUrl: null } });
      return 'ignored';
    case 'payment.failed': {
      const { charge } = event;
      if (charge.subject?.subjectKind !== 'invoice') return 'ignored';
      const invoice = await findInvoice(deps.prisma, charge.subject.tenantId, charge.subject.subjectId);
      if (!invoice) return 'ignored';
      return signalInvoice(deps.temporal, invoice.id, (handle) =>
        handle.signal(paymentFailedSignal, {
          paymentId: charge.paymentId,
          eventId: event.eventId,
          ...(charge.failureCode ? { failureCode: charge.failureCode } : {}),
          ...(charge.failureMessage ? { failureMessage: charge.failureMessage } : {}),
        }),
      );
    }
    // The session's completion reports invoice payments; off-session charges are their workflow's own answer.
    case 'payment.succeeded':
    case 'ignored':
      return 'ignored';
  }
}

async function reportHostedPayment(deps: PaymentDeps, session: HostedPayment, paidAt: number): Promise<PaymentEventOutcome> {
  if (!session.paid || session.subject?.subjectKind !== 'invoice') return 'ignored';
  const invoice = await findInvoice(deps.prisma, session.subject.tenantId, session.subject.subjectId);
  if (!invoice) return 'ignored';
  const payment: ReceivedPayment = {
    // Counted once per provider payment, whoever reports it and however often.
    paymentId: session.paymentId ?? session.sessionId,
    amount: session.amount,
    currency: session.currency,
    provider: 'stripe',
    sessionId: session.sessionId,
    paidAt,
  };
  return signalInvoice(deps.temporal, invoice.id, (handle) => handle.signal(paymentReceivedSignal, payment));
}

function findInvoice(prisma: PrismaClient, tenantId: string, documentId: string) {
  return prisma.document.findFirst({ where: { id: documentId, tenantId, kind: 'invoice' }, select: { id: true } });
}

/**
 * A report for a workflow that has finished (paid, cancelled) changes nothing: a late or
 * replayed webhook is answered 200 and forgotten, as Stripe expects.
 */
async function signalInvoice(
  client: Client,
  documentId: string,
  send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
): Promise<PaymentEventOutcome> {
  try {
    await send(client.workflow.getHandle(documentWorkflowId('invoice', documentId)));
    return 'signalled';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'ignored';
    throw error;
  }
}

export type PaymentRowStatus = 'open' | 'succeeded' | 'failed' | 'expired';

/** What GET /v1/documents/:id shows of each payment (never the receipt's bytes). */
export function presentPayment(payment: Payment) {
  return {
    id: payment.id,
    provider: payment.provider,
    status: payment.status as PaymentRowStatus,
    amount: payment.amount,
    currency: payment.currency,
    checkoutSessionId: payment.checkoutSessionId,
    paymentIntentId: payment.paymentIntentId,
    paidAt: payment.paidAt?.toISOString() ?? null,
    receiptNumber: payment.receiptNumber,
    createdAt: payment.createdAt.toISOString(),
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
