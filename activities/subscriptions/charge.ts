/**
 * One charge attempt of a subscription period, on the customer's saved card.
 *
 * The attempt's row is written first (pending) with its idempotency key
 * `<subscriptionId>-period-<n>-attempt-<k>`, the provider is asked with that same key, then the
 * outcome is written. A retry of the activity (a timeout, a worker killed between the charge
 * and the write) asks the provider again with the same key and gets the first answer back:
 * the card is charged once, and the row ends with the real outcome. A row already settled is
 * answered as it is.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { newId } from '../../platform/ids';
import type { PaymentProvider } from '../../services/payment/provider';
import { chargeCustomerSavedCard, settledChargeOutcome, type SavedCardChargeOutcome } from '../payment/saved-card';
import type { ChargeSubscriptionInput } from './types';

const subscriptionChargeKey = (subscriptionId: string, period: number, attempt: number): string =>
  `${subscriptionId}-period-${period}-attempt-${attempt}`;

export async function chargeSubscription(
  deps: { prisma: PrismaClient; payments: PaymentProvider | undefined },
  input: ChargeSubscriptionInput,
): Promise<SavedCardChargeOutcome> {
  const { prisma } = deps;
  const idempotencyKey = subscriptionChargeKey(input.subscriptionId, input.period, input.attempt);
  const row = await prisma.subscriptionPayment.upsert({
    where: { idempotencyKey },
    create: {
      id: newId('pay'),
      subscriptionId: input.subscriptionId,
      period: input.period,
      attempt: input.attempt,
      idempotencyKey,
      status: 'pending',
      amount: input.amount,
      currency: input.currency,
    },
    update: {},
  });
  if (row.status !== 'pending') return settledChargeOutcome(row);

  const outcome = await chargeCustomerSavedCard(deps, {
    tenantId: input.tenantId,
    customerId: input.customerId,
    subject: { tenantId: input.tenantId, subjectId: input.subscriptionId, subjectKind: 'subscription' },
    amount: input.amount,
    currency: input.currency,
    description: `Subscription ${input.subscriptionId}, period ${input.period}`,
    idempotencyKey,
  });
  await prisma.subscriptionPayment.update({
    where: { idempotencyKey },
    data: { status: outcome.status, paymentIntentId: outcome.paymentId ?? null, failureCode: outcome.failureCode ?? null, failureMessage: outcome.failureMessage ?? null },
  });
  return outcome;
}
