/**
 * An invoice's payment pages as rows (`payment`): one row per attempt, numbered per invoice,
 * opened under the key `<invoice>:checkout:<attempt>`. The invoice's workflow opens them
 * (activities/payment/open-payment.ts) and closes them when cancelled; the provider's
 * "expired" event closes one too. A payment taken is written by recordPayment.
 */
import type { Payment, PrismaClient } from '../../generated/prisma/client';
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
