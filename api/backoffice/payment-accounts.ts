/** GET /v1/settings/payments and POST /v1/settings/payments/connect: the seller's own Stripe account (Stripe Connect). */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { jsonRoute } from '../openapi';
import { connectPaymentAccount, paymentAccount } from '../operations/payment-accounts';

extendZodWithOpenApi(z);

const tag = 'Settings';
const webUrl = z.url({ protocol: /^https?$/ }).max(2000);

const connectPaymentsSchema = z
  .strictObject({
    returnUrl: webUrl.openapi({ description: 'Where Stripe sends the seller back when onboarding is done (or left for later)', example: 'https://erp.example/settings/payments' }),
    refreshUrl: webUrl.optional().openapi({ description: 'Where Stripe sends the seller when the link has expired or was used (ask for another there); absent: returnUrl' }),
    email: z.email().max(254).optional().openapi({ description: "The seller's email, written on a new account" }),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional()
      .openapi({ description: "The seller's country (ISO 3166-1 alpha-2) for a new account; absent: asked during onboarding", example: 'FR' }),
  })
  .openapi('ConnectPayments');

const paymentAccountSchema = z
  .object({
    provider: z.enum(['stripe']),
    accountId: z.string().nullable().openapi({ description: "The seller's connected account (acct_…); null until connected", example: 'acct_1Q2w3E4r5T6y7U8i' }),
    chargesEnabled: z.boolean().openapi({ description: 'Whether Stripe lets the account take payments yet (onboarding done)' }),
    detailsSubmitted: z.boolean().openapi({ description: 'Whether the seller has given what onboarding asks' }),
    paidTo: z.enum(['connected_account', 'platform_account', 'nowhere']).openapi({
      description:
        "Where the tenant's payments go now: its connected account; the platform's own (development only, for a tenant not connected); nowhere (not connected: paying answers 409 \"payments are not set up\")",
    }),
  })
  .openapi('PaymentAccount');

const connectedPaymentsSchema = paymentAccountSchema
  .extend({
    onboarding: z
      .object({
        url: z.url().openapi({ description: "Stripe's hosted onboarding of the account, to open in the seller's browser; used once" }),
        expiresAt: z.iso.datetime({ offset: true }),
      })
      .openapi({ description: 'A fresh onboarding link (ask again for another)' }),
  })
  .openapi('ConnectedPayments');

export const paymentAccountRoutes = [
  jsonRoute({
    method: 'get',
    path: '/settings/payments',
    operationId: 'getPaymentAccount',
    tag,
    summary: "Where the tenant's payments go: its connected Stripe account and its onboarding",
    problems: ['unavailable'],
    response: { status: 200, description: "The tenant's payment account", schema: paymentAccountSchema },
    handle: async ({ deps, caller }) => paymentAccount(deps, caller.tenantId),
  }),
  jsonRoute({
    method: 'post',
    path: '/settings/payments/connect',
    operationId: 'connectPayments',
    tag,
    summary: "Connect the seller's own Stripe account: made on first use, then an onboarding link",
    description:
      "Invoices, requests and subscriptions of the tenant are paid on its connected account (Stripe Connect, the `Stripe-Account` header on every call), never on the platform's. The first call makes the account (an Express account); every call answers a fresh link to Stripe's hosted onboarding, which expires within minutes and opens once. Payments work once `chargesEnabled` is true.",
    body: connectPaymentsSchema,
    bodyExample: { returnUrl: 'https://erp.example/settings/payments', country: 'FR' },
    problems: ['unavailable'],
    response: { status: 200, description: 'The account and a fresh onboarding link', schema: connectedPaymentsSchema },
    handle: async ({ deps, caller, body }) => connectPaymentAccount(deps, caller.tenantId, body),
  }),
];
