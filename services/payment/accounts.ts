/**
 * Whose account a tenant's payments go to (Stripe Connect, README "Online payments"): the
 * seller's connected account once POST /v1/settings/payments/connect has made one, every call
 * for its documents carrying `Stripe-Account`. A tenant without one is paid on the platform's
 * own account only where the configuration says so (development and `make start`'s demo
 * tenant, config.stripe.platformServesUnconnected); elsewhere its payments are refused, with
 * the reason (409 at the API, a failed charge `payments_not_set_up` in a workflow).
 *
 * Resolved from the tenant each time an activity or an operation calls the provider, never
 * carried in a workflow's input: a workflow's history holds no account id.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { AppError } from '../../domain/errors';
import type { PaymentProvider } from './provider';

export const PAYMENTS_NOT_SET_UP = 'Payments are not set up: the seller has no connected Stripe account yet (POST /v1/settings/payments/connect).';
export const ONBOARDING_NOT_DONE = "Payments are not set up: the seller's Stripe account has not finished its onboarding (POST /v1/settings/payments/connect answers a link to finish it).";

/** The provider on the tenant's account; undefined when the tenant cannot be paid (not connected, and the platform does not stand in). */
export async function tenantPaymentsOrNone(prisma: PrismaClient, provider: PaymentProvider, tenantId: string): Promise<PaymentProvider | undefined> {
  const tenant = await prisma.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { stripeAccountId: true } });
  if (tenant.stripeAccountId) return provider.onAccount(tenant.stripeAccountId);
  return provider.platformServesUnconnected ? provider : undefined;
}

/** Whether Stripe lets the account take payments now: a connected account once its onboarding is done (`charges_enabled`), the platform's always. */
export async function takesPayments(payments: PaymentProvider): Promise<boolean> {
  return !payments.account || (await payments.retrieveConnectedAccount(payments.account)).chargesEnabled;
}

/** The provider on the tenant's account, or 409 "payments are not set up". */
export async function tenantPayments(prisma: PrismaClient, provider: PaymentProvider, tenantId: string): Promise<PaymentProvider> {
  const payments = await tenantPaymentsOrNone(prisma, provider, tenantId);
  if (!payments) throw new AppError('conflict', PAYMENTS_NOT_SET_UP);
  return payments;
}

/**
 * Whether a verified event may speak for this tenant's invoice: one on a connected account
 * counts only for the seller whose account it is (a seller's account controls what it creates,
 * metadata included, so it never moves another seller's invoice); one on the platform's own
 * account was made by us (only we hold its key).
 */
export async function eventBelongsToTenant(prisma: PrismaClient, tenantId: string, account: string | undefined): Promise<boolean> {
  if (!account) return true;
  const tenant = await prisma.tenant.findUnique({ where: { id: tenantId }, select: { stripeAccountId: true } });
  return tenant?.stripeAccountId === account;
}
