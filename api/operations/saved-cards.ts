/**
 * The card a customer saves for off-session charges (PATCH /v1/customers/:id {savedCard}): the
 * provider's customer is made on the first save (one per customer, whatever the retries, by its
 * idempotency key) and the card attached to it; a later save replaces the card, keeping the
 * provider customer. Read back by activities/payment/saved-card.ts when a charge is due. Both
 * on the seller's connected account: a tenant that cannot be paid is refused (409).
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { PaymentMethodRefused, type SavedCard } from '../../services/payment/provider';
import { AppError } from '../../domain/errors';
import type { Config } from '../../platform/config';
import { getCustomer } from './customers';
import { paymentsOfTenant } from './payments';

export async function saveCustomerCard(
  deps: { prisma: PrismaClient; config: Config },
  tenantId: string,
  customerId: string,
  paymentMethodId: string,
): Promise<void> {
  const customer = await getCustomer(deps.prisma, tenantId, customerId);
  let saved: SavedCard;
  try {
    saved = await (await paymentsOfTenant(deps, tenantId)).saveCard({
      ...(customer.paymentCustomerId ? { providerCustomerId: customer.paymentCustomerId } : {}),
      name: customer.name,
      ...(customer.email ? { email: customer.email } : {}),
      paymentMethodId,
      idempotencyKey: `${tenantId}-${customerId}-provider-customer`,
    });
  } catch (error) {
    if (!(error instanceof PaymentMethodRefused)) throw error;
    throw new AppError('unprocessable', `The payment provider refused the card: ${error.message}`, [{ path: 'savedCard.paymentMethodId', message: error.message }]);
  }
  await deps.prisma.customer.update({
    where: { id: customer.id },
    data: { paymentCustomerId: saved.providerCustomerId, paymentMethodId: saved.paymentMethodId },
  });
}
