/**
 * The invoice workflow's payment activities:
 * - recordPayment keeps a payment the provider took: its row (the hosted payment it came
 *   through, completed, or a new one) with the provider's ids and the receipt PDF. Keyed by
 *   the provider's payment id, so a retry or a second report writes nothing twice.
 * - closeHostedPayments expires the invoice's open payment pages (the invoice was cancelled),
 *   so nobody pays a cancelled invoice.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { pickLocale } from '../../domain/documents';
import { newId } from '../../platform/ids';
import { layoutPaymentReceipt } from '../../services/render/payment-receipt';
import { loadSeller } from '../../services/seller/identity';
import { readerTimeZone } from '../../domain/seller';
import type { ClosePaymentsInput, RecordPaymentInput } from '../types';
import type { PaymentProvider } from '../../services/payment/provider';
import { markHostedPaymentExpired } from '../../services/db/payments';
import { tenantPayments } from '../../services/payment/accounts';

export async function recordPayment(prisma: PrismaClient, input: RecordPaymentInput): Promise<void> {
  const { payment } = input;
  const existing = await prisma.payment.findUnique({ where: { paymentIntentId: payment.paymentId } });
  if (existing?.status === 'succeeded' && existing.receiptPdf) return;

  const document = await prisma.document.findFirstOrThrow({
    where: { id: input.documentId, tenantId: input.tenantId },
    include: { tenant: { select: { name: true, locale: true } }, customer: { select: { name: true, locale: true, timeZone: true } } },
  });
  const receiptNumber = `${document.number}-R${input.receiptSeq}`;
  const seller = await loadSeller(prisma, input.tenantId);
  const paidAt = new Date(payment.paidAt);
  const receiptPdf = new Uint8Array(await layoutPaymentReceipt({
    locale: pickLocale(document.customer.locale, document.tenant.locale),
    receiptNumber,
    seller: { identity: seller.identity, ...(seller.logo ? { logo: seller.logo } : {}) },
    timeZone: readerTimeZone(document.customer.timeZone, seller.timeZone),
    customer: document.customer.name,
    invoiceNumber: document.number,
    ...(document.title ? { invoiceTitle: document.title } : {}),
    amount: payment.amount,
    currency: payment.currency,
    paidAt,
    // Off line, the receipt names how it came and the seller's reference.
    provider: payment.method ?? payment.provider,
    paymentId: payment.reference ?? payment.paymentId,
    paidTotal: input.paidTotal,
    amountDue: Math.max(0, document.grossTotal - input.paidTotal),
  }));
  const completed = {
    status: 'succeeded',
    paymentIntentId: payment.paymentId,
    amount: payment.amount,
    currency: payment.currency,
    paidAt,
    receiptNumber,
    receiptPdf,
    checkoutUrl: null,
    failureCode: null,
    failureMessage: null,
    method: payment.method ?? null,
    reference: payment.reference ?? null,
  };
  // The hosted payment it came through (opened by the portal), else a row of its own.
  const through = existing ?? (payment.sessionId ? await prisma.payment.findUnique({ where: { checkoutSessionId: payment.sessionId } }) : null);
  if (through) {
    await prisma.payment.update({ where: { id: through.id }, data: completed });
    return;
  }
  await prisma.$transaction(async (tx) => {
    const last = await tx.payment.findFirst({ where: { documentId: document.id }, orderBy: { attempt: 'desc' }, select: { attempt: true } });
    await tx.payment.create({
      data: {
        id: newId('pay'),
        tenantId: input.tenantId,
        documentId: document.id,
        provider: payment.provider,
        attempt: (last?.attempt ?? 0) + 1,
        idempotencyKey: `payment:${payment.paymentId}`,
        ...(payment.sessionId ? { checkoutSessionId: payment.sessionId } : {}),
        ...completed,
      },
    });
  });
}

export async function closeHostedPayments(deps: { prisma: PrismaClient; payments: PaymentProvider | undefined }, input: ClosePaymentsInput): Promise<void> {
  const open = await deps.prisma.payment.findMany({ where: { tenantId: input.tenantId, documentId: input.documentId, status: 'open' } });
  for (const row of open) {
    if (!row.checkoutSessionId) continue;
    if (!deps.payments) throw new Error('This worker was built without a payment provider (ActivityDeps.payments) and a payment page is open');
    const payments = await tenantPayments(deps.prisma, deps.payments, input.tenantId);
    // An open session is expired; one already closed (paid meanwhile, or expired) is read as it is.
    const current = await payments.retrieveHostedPayment(row.checkoutSessionId);
    const session = current.status === 'open' ? await payments.expireHostedPayment(row.checkoutSessionId) : current;
    if (session.status === 'expired') await markHostedPaymentExpired(deps.prisma, { id: row.id });
  }
}
