/**
 * The seller's own Stripe account (Stripe Connect, README "Online payments"): POST
 * /v1/settings/payments/connect makes the tenant's connected account on first use (one per
 * tenant, whatever the retries: one idempotency key, and the first one stored wins) and answers
 * a fresh onboarding link to Stripe's hosted onboarding; GET /v1/settings/payments says where
 * the tenant's payments go now.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { Config } from '../../platform/config';
import type { ConnectedAccount } from '../../services/payment/provider';
import { paymentProviderFor } from './payments';

export interface PaymentAccountDeps {
  prisma: PrismaClient;
  config: Config;
}

export interface ConnectRequest {
  returnUrl: string;
  refreshUrl?: string;
  email?: string;
  country?: string;
}

export type PaymentAccountView = ReturnType<typeof presentAccount>;

function presentAccount(account: ConnectedAccount | null, platformServesUnconnected: boolean) {
  return {
    provider: 'stripe' as const,
    accountId: account?.accountId ?? null,
    chargesEnabled: account?.chargesEnabled ?? false,
    detailsSubmitted: account?.detailsSubmitted ?? false,
    /** Where this tenant's payments go now. */
    paidTo: account ? ('connected_account' as const) : platformServesUnconnected ? ('platform_account' as const) : ('nowhere' as const),
  };
}

async function storedAccountId(prisma: PrismaClient, tenantId: string): Promise<string | null> {
  return (await prisma.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { stripeAccountId: true } })).stripeAccountId;
}

export async function paymentAccount(deps: PaymentAccountDeps, tenantId: string): Promise<PaymentAccountView> {
  const provider = paymentProviderFor(deps.config);
  const accountId = await storedAccountId(deps.prisma, tenantId);
  return presentAccount(accountId ? await provider.retrieveConnectedAccount(accountId) : null, provider.platformServesUnconnected);
}

export async function connectPaymentAccount(deps: PaymentAccountDeps, tenantId: string, input: ConnectRequest) {
  const provider = paymentProviderFor(deps.config);
  let accountId = await storedAccountId(deps.prisma, tenantId);
  if (!accountId) {
    const created = await provider.createConnectedAccount({
      tenantId,
      ...(input.email ? { email: input.email } : {}),
      ...(input.country ? { country: input.country } : {}),
      idempotencyKey: `${tenantId}-connected-account`,
    });
    // Two connects at once: the first stored stays, the other's account is left unused.
    await deps.prisma.tenant.updateMany({ where: { id: tenantId, stripeAccountId: null }, data: { stripeAccountId: created.accountId } });
    accountId = (await storedAccountId(deps.prisma, tenantId)) as string;
  }
  const link = await provider.createOnboardingLink({ accountId, returnUrl: input.returnUrl, refreshUrl: input.refreshUrl ?? input.returnUrl });
  const account = await provider.retrieveConnectedAccount(accountId);
  return {
    ...presentAccount(account, provider.platformServesUnconnected),
    onboarding: { url: link.url, expiresAt: new Date(link.expiresAt).toISOString() },
  };
}
