/**
 * openHostedPayment: the invoice's workflow hands the customer a payment page for the amount
 * it says is due (machines/invoice.ts decides whether one may be opened at all); a quote's
 * workflow, one for the deposit its yes asks (machines/quote.ts), worked out on the quote's total
 * as that yes accepts it, the optional lines it chose counted (domain/deposit.ts). The page's
 * metadata names the kind paid, so the provider's events find their way back to the right
 * workflow (api/operations/payments.ts).
 *
 * One page at a time per invoice: the last one is handed out again while it is open and asks
 * that amount; one that can no longer be paid, or asks an amount no longer due (a payment came
 * in meanwhile), is expired and a new attempt opened under `<invoice>:checkout:<attempt>`. So
 * a retry of this activity, like a second click, gets the same session from the provider and
 * writes no second row. A last page found paid (its webhook not heard yet) is answered as the
 * payment, for the workflow to count: nothing new is opened.
 *
 * The page is opened on the seller's connected account (services/payment/accounts.ts); a
 * tenant that cannot be paid is refused (409) before the workflow is asked (api/operations/payments.ts).
 */
import type { DocumentLine, PrismaClient } from '../../generated/prisma/client';
import { computeTotals, withChosenOptions } from '../../domain/money';
import { pickLocale } from '../../domain/documents';
import { depositAmountOf } from '../../domain/deposit';
import { hostedPaymentKey, lastPaymentAttempt, markHostedPaymentExpired, recordOpenedHostedPayment } from '../../services/db/payments';
import { receivedPaymentOf, type HostedPayment, type PaymentProvider } from '../../services/payment/provider';
import { tenantPayments } from '../../services/payment/accounts';
import type { OpenHostedPaymentInput, OpenHostedPaymentOutcome } from '../types';

/** The quote's gross total as a yes choosing `options` makes it (the lines it ticked; none given: as the quote stands). */
function grossAsAccepted(quote: { grossTotal: number; currency: string; lines?: DocumentLine[] }, options: string[] | undefined): number {
  if (options === undefined || !quote.lines) return quote.grossTotal;
  return computeTotals(withChosenOptions(quote.lines, options), quote.currency).gross;
}

/** Whether the page sends its payer back to this link (a page whose provider does not say is taken as the document's one link's). */
function returnsTo(session: HostedPayment, linkUrl: string): boolean {
  return session.returnUrl === undefined || session.returnUrl.startsWith(`${linkUrl}/payment-return?`);
}

export async function openHostedPayment(deps: { prisma: PrismaClient; payments: PaymentProvider | undefined }, input: OpenHostedPaymentInput): Promise<OpenHostedPaymentOutcome> {
  const { prisma } = deps;
  if (!deps.payments) throw new Error('This worker was built without a payment provider (ActivityDeps.payments): it opens no payment page');
  // The seller's connected account, read from the tenant now (never from the workflow's input).
  const provider = await tenantPayments(prisma, deps.payments, input.tenantId);
  const document = await prisma.document.findFirstOrThrow({
    where: { id: input.documentId, tenantId: input.tenantId },
    include: { tenant: { select: { name: true, locale: true } }, customer: { select: { locale: true } }, lines: 'deposit' in input && input.options !== undefined },
  });
  const amountDue = 'deposit' in input ? depositAmountOf(document, grossAsAccepted(document, input.options)) : input.amountDue;

  const last = await lastPaymentAttempt(prisma, input.documentId);
  if (last?.status === 'open' && last.checkoutSessionId) {
    const session = await provider.retrieveHostedPayment(last.checkoutSessionId);
    if (session.paid) return { paid: receivedPaymentOf(session, Date.now()) };
    if (session.status === 'open' && session.url && session.amount === amountDue && returnsTo(session, input.linkUrl)) return { page: { url: session.url, sessionId: session.sessionId } };
    // Expired, asking an amount no longer due, or opened from another link (another decider's, whose link it would send this payer back to): closed before another is opened.
    if (session.status === 'open') await provider.expireHostedPayment(session.sessionId);
    await markHostedPaymentExpired(prisma, { id: last.id });
  }

  const attempt = (last?.attempt ?? 0) + 1;
  const session = await provider.createHostedPayment({
    subject: { tenantId: input.tenantId, subjectId: input.documentId, subjectKind: 'deposit' in input ? 'quote' : 'invoice' },
    amount: amountDue,
    currency: document.currency,
    description: `${document.number}${document.title ? ` — ${document.title}` : ''} · ${document.tenant.name}`,
    ...(input.customerEmail ? { customerEmail: input.customerEmail } : {}),
    locale: pickLocale(document.customer.locale, document.tenant.locale),
    successUrl: `${input.linkUrl}/payment-return?session={SESSION_ID}`,
    cancelUrl: `${input.linkUrl}?payment=cancelled#payment`,
    idempotencyKey: hostedPaymentKey(input.documentId, attempt),
  });
  if (!session.url) throw new Error('The payment provider opened no payment page');
  await recordOpenedHostedPayment(prisma, {
    tenantId: input.tenantId,
    documentId: input.documentId,
    provider: provider.name,
    amount: amountDue,
    currency: document.currency,
    attempt,
    sessionId: session.sessionId,
    url: session.url,
  });
  return { page: { url: session.url, sessionId: session.sessionId } };
}
