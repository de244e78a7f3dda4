/**
 * The card a customer saved for off-session charges (service requests on confirm, subscription
 * periods): the provider's customer and payment method, as PATCH /v1/customers/:id {savedCard}
 * stored them, and one charge attempt on it.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { PaymentProvider, PaymentSubject } from '../../services/payment/provider';
import { PAYMENTS_NOT_SET_UP, tenantPaymentsOrNone } from '../../services/payment/accounts';

export interface SavedCard {
  providerCustomerId: string;
  paymentMethodId: string;
}

/** Null when the customer has none: the caller decides what that means. */
async function savedCardOf(prisma: PrismaClient, tenantId: string, customerId: string): Promise<SavedCard | null> {
  const customer = await prisma.customer.findFirst({
    where: { id: customerId, tenantId },
    select: { paymentCustomerId: true, paymentMethodId: true },
  });
  if (!customer?.paymentCustomerId || !customer.paymentMethodId) return null;
  return { providerCustomerId: customer.paymentCustomerId, paymentMethodId: customer.paymentMethodId };
}

/** How one off-session attempt ended: off session nobody can authenticate or wait, so anything but the money taken failed. */
export interface SavedCardChargeOutcome {
  status: 'succeeded' | 'failed';
  paymentId?: string;
  failureCode?: string;
  failureMessage?: string;
}

export interface SavedCardChargeInput {
  tenantId: string;
  customerId: string;
  subject: PaymentSubject;
  amount: number;
  currency: string;
  description: string;
  /** One per attempt: the provider answers a repeated key with its first answer, never a second charge. */
  idempotencyKey: string;
}

/** One attempt on the customer's saved card; a customer without one fails it as `no_saved_card`. */
export async function chargeCustomerSavedCard(
  deps: { prisma: PrismaClient; payments: PaymentProvider | undefined },
  input: SavedCardChargeInput,
): Promise<SavedCardChargeOutcome> {
  const card = await savedCardOf(deps.prisma, input.tenantId, input.customerId);
  if (!card) return { status: 'failed', failureCode: 'no_saved_card', failureMessage: 'The customer has no saved card.' };
  if (!deps.payments) throw new Error(`This worker was built without a payment provider (ActivityDeps.payments); ${input.description} waits for one`);
  // The card was saved on the seller's connected account, and is charged there.
  const payments = await tenantPaymentsOrNone(deps.prisma, deps.payments, input.tenantId);
  if (!payments) return { status: 'failed', failureCode: 'payments_not_set_up', failureMessage: PAYMENTS_NOT_SET_UP };
  const result = await payments.chargeSavedCard({
    subject: input.subject,
    amount: input.amount,
    currency: input.currency,
    customerId: card.providerCustomerId,
    paymentMethodId: card.paymentMethodId,
    description: input.description,
    idempotencyKey: input.idempotencyKey,
  });
  if (result.status === 'succeeded') return { status: 'succeeded', paymentId: result.paymentId };
  return {
    status: 'failed',
    ...(result.paymentId ? { paymentId: result.paymentId } : {}),
    failureCode: result.failureCode ?? result.status,
    ...(result.failureMessage ? { failureMessage: result.failureMessage } : {}),
  };
}

/** The outcome an attempt row already settled keeps (a retry answers it as it is). */
export function settledChargeOutcome(row: { status: string; paymentIntentId: string | null; failureCode: string | null; failureMessage: string | null }): SavedCardChargeOutcome {
  return {
    status: row.status === 'succeeded' ? 'succeeded' : 'failed',
    ...(row.paymentIntentId ? { paymentId: row.paymentIntentId } : {}),
    ...(row.failureCode ? { failureCode: row.failureCode } : {}),
    ...(row.failureMessage ? { failureMessage: row.failureMessage } : {}),
  };
}
