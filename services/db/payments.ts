/**
 * An invoice's payment pages as rows (`payment`): one row per attempt, numbered per invoice,
 * opened under the key `<invoice>:checkout:<attempt>`. The invoice's workflow opens them
 * (activities/payment/open-payment.ts) and closes them when cancelled; the provider's
 * "expired" event closes one too. A payment taken is written by recordPayment.
 */
import type { Payment, Prisma, PrismaClient } from '../../generated/prisma/client';
import { isUniqueViolation } from '../../platform/db';
import { newId } from '../../platform/ids';

/** The invoice's latest payment attempt, whatever became of it. */
export function lastPaymentAttempt(prisma: PrismaClient, documentId: string): Promise<Payment | null> {
  return prisma.payment.findFirst({ where: { documentId }, orderBy: { attempt: 'desc' } });
}

/** The provider's idempotency key of an invoice's payment attempt: the same attempt asked twice is the same session. */
export function hostedPaymentKey(documentId: string, attempt: number): string {
  return `${documentId}:checkout:${attempt}`;
}

export interface OpenedHostedPayment {
  tenantId: string;
  documentId: string;
  provider: string;
  amount: number;
  currency: string;
  attempt: number;
  sessionId: string;
  url: string;
}

/** Keeps the page opened for an attempt; the same attempt written again (a retry) changes nothing. */
export async function recordOpenedHostedPayment(prisma: PrismaClient, opened: OpenedHostedPayment): Promise<void> {
  try {
    await prisma.payment.create({
      data: {
        id: newId('pay'),
        tenantId: opened.tenantId,
        documentId: opened.documentId,
        provider: opened.provider,
        status: 'open',
        amount: opened.amount,
        currency: opened.currency,
        attempt: opened.attempt,
        idempotencyKey: hostedPaymentKey(opened.documentId, opened.attempt),
        checkoutSessionId: opened.sessionId,
        checkoutUrl: opened.url,
      },
    });
  } catch (error) {
    // The unique (document, attempt) row is already there: the provider gave both writes the same session.
    if (!isUniqueViolation(error)) throw error;
  }
}

/** A payment page that can no longer be paid (expired by us or by the provider): its row says so, and forgets its address. */
export async function markHostedPaymentExpired(prisma: PrismaClient, page: { id: string } | { checkoutSessionId: string }): Promise<void> {
  await prisma.payment.updateMany({ where: { ...page, status: 'open' }, data: { status: 'expired', checkoutUrl: null } });
}

/** The idempotency key of a quote's deposit carried into the invoice made from it: carried once. */
function carriedDepositKey(depositPaymentId: string): string {
  return `deposit:${depositPaymentId}`;
}

/** Whether an invoice's payment is the deposit paid with the quote's yes, carried over (domain/deposit.ts). */
export function isCarriedDeposit(payment: Pick<Payment, 'idempotencyKey'>): boolean {
  return payment.idempotencyKey.startsWith('deposit:');
}

/**
 * An invoice made from a chain whose quote's deposit was paid starts with that deposit as a
 * payment already received: the quote's own row, copied (amount, provider, when, its receipt),
 * under a key of its own, and referring to the quote by number. Written in the conversion's
 * transaction; a chain without a paid deposit gets nothing.
 */
export async function carryDepositInto(tx: Prisma.TransactionClient, invoice: { id: string; tenantId: string; chainId: string }): Promise<void> {
  const deposit = await tx.payment.findFirst({
    where: { tenantId: invoice.tenantId, status: 'succeeded', document: { chainId: invoice.chainId, kind: 'quote' } },
    include: { document: { select: { number: true } } },
  });
  if (!deposit) return;
  await tx.payment.create({
    data: {
      id: newId('pay'),
      tenantId: invoice.tenantId,
      documentId: invoice.id,
      provider: deposit.provider,
      status: 'succeeded',
      amount: deposit.amount,
      currency: deposit.currency,
      attempt: 1,
      idempotencyKey: carriedDepositKey(deposit.id),
      reference: deposit.document.number,
      paidAt: deposit.paidAt,
      receiptNumber: deposit.receiptNumber,
      receiptPdf: deposit.receiptPdf,
    },
  });
}
