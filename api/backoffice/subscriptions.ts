/**
 * Subscriptions (seed 004: Requêtes > Abonnements): GET /v1/subscriptions?filter=…,
 * GET /v1/subscriptions/:id (with every payment attempt), POST /v1/subscriptions/:id/plan,
 * POST /v1/subscriptions/:id/cancel, and POST /v1/subscriptions to subscribe a customer
 * without a service request.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { isIsoDuration } from '../../domain/durations';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../domain/invoice';
import { SUBSCRIPTION_BILLINGS, SUBSCRIPTION_STATUSES } from '../../domain/plans';
import { rowFields } from '../../platform/rows';
import { jsonRoute } from '../openapi';
import {
  changeSubscriptionPlan,
  createSubscriptionDirectly,
  getSubscription,
  listSubscriptions,
  terminateSubscription,
  type SubscriptionRow,
  type SubscriptionWithPayments,
} from '../operations/subscriptions';
import { mapPage } from '../operations/pagination';
import { idParamsSchema, listQuerySchema, pageSchema, planSchema } from '../schemas';

extendZodWithOpenApi(z);

const dateTime = z.iso.datetime({ offset: true });
const isoDuration = z.string().refine(isIsoDuration, 'a positive ISO 8601 duration like P1D or PT5S');

const subscriptionPaymentSchema = z
  .object({
    id: z.string(),
    period: z.number().int().openapi({ description: '1 for the first period' }),
    attempt: z.number().int().openapi({ description: '1 for the first try of the period, then each retry' }),
    status: z.enum(['pending', 'succeeded', 'failed']).openapi({ description: 'pending: asked of the provider, outcome not yet written' }),
    amount: z.number().int().openapi({ description: 'Minor units of currency' }),
    currency: z.string(),
    paymentIntentId: z.string().nullable(),
    failureCode: z.string().nullable().openapi({ example: 'card_declined' }),
    failureMessage: z.string().nullable(),
    createdAt: dateTime,
  })
  .openapi('SubscriptionPayment');

const subscriptionInvoiceSchema = z
  .object({
    period: z.number().int().openapi({ description: '1 for the first period' }),
    documentId: z.string().openapi({ description: 'The invoice (GET /v1/documents/{id}): sent to the customer, payable online from its link, reminded while unpaid' }),
    number: z.string(),
    status: z.enum(INVOICE_STATUSES).openapi({ description: "The invoice's status (draft a moment, until its workflow sends it)" }),
    amount: z.number().int().openapi({ description: 'Minor units of currency' }),
    currency: z.string(),
    dueDate: dateTime.nullable(),
    createdAt: dateTime,
  })
  .openapi('SubscriptionInvoice');

const subscriptionSummarySchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    requestId: z.string().nullable().openapi({ description: 'The service request whose confirmation created it' }),
    billing: z.enum(SUBSCRIPTION_BILLINGS).openapi({ description: "card: the saved card is charged each period; invoice: an invoice is sent each period, payable online" }),
    status: z.enum(SUBSCRIPTION_STATUSES),
    statusReason: z.enum(['cancelled', 'terminated']).nullable().openapi({ description: 'inactive: cancelled after too many failed payments, or terminated by the seller' }),
    plan: planSchema,
    nextPlan: planSchema.nullable().openapi({ description: 'A plan change that applies from the next period' }),
    startAt: dateTime,
    currentPeriod: z.number().int().openapi({ description: 'The period billed, 1 for the first; 0 while scheduled' }),
    failures: z.number().int().openapi({ description: 'Failed charges of the current period' }),
    nextChargeAt: dateTime.nullable(),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .openapi('SubscriptionSummary');

const subscriptionSchema = subscriptionSummarySchema
  .extend({
    payments: z.array(subscriptionPaymentSchema).openapi({ description: 'Every charge attempt, by period then attempt (billed by card)' }),
    invoices: z.array(subscriptionInvoiceSchema).openapi({ description: 'The invoice of each period, by period (billed by invoice)' }),
  })
  .openapi('Subscription');

const listSubscriptionsQuerySchema = listQuerySchema({
  filter: z.enum(SUBSCRIPTION_STATUSES).optional().openapi({ description: 'active, scheduled (start ahead), payment_failed, or inactive (cancelled or terminated)' }),
  customerId: z.string().min(1).max(64).optional(),
});

const createSubscriptionSchema = z
  .strictObject({
    customerId: z.string().min(1).max(64),
    plan: planSchema,
    billing: z
      .enum(SUBSCRIPTION_BILLINGS)
      .default('card')
      .openapi({ description: "card: the customer's saved card is charged each period (refused with 409 without one); invoice: an invoice is emailed each period, payable online (refused with 409 when the customer has no email address)" }),
    retryDelays: z
      .array(isoDuration)
      .max(10)
      .optional()
      .openapi({ description: 'Waits before each retry of a failed charge; ["P1D","P3D","P5D"] when absent. One more failure than retries makes it inactive.' }),
  })
  .openapi('CreateSubscription');

const changePlanSchema = z.strictObject({ plan: planSchema }).openapi('ChangeSubscriptionPlan');
const cancelSubscriptionSchema = z.strictObject({ reason: z.string().max(1000).optional() }).openapi('CancelSubscription');

function presentSummary(row: SubscriptionRow) {
  return {
    ...rowFields(row, ['id', 'customerId', 'requestId', 'startAt', 'currentPeriod', 'failures', 'nextChargeAt', 'createdAt', 'updatedAt']),
    billing: row.billing as (typeof SUBSCRIPTION_BILLINGS)[number],
    status: row.status as (typeof SUBSCRIPTION_STATUSES)[number],
    statusReason: row.statusReason as 'cancelled' | 'terminated' | null,
    plan: row.plan as z.infer<typeof planSchema>,
    nextPlan: row.nextPlan as z.infer<typeof planSchema> | null,
  };
}

function present(row: SubscriptionWithPayments) {
  return {
    ...presentSummary(row),
    payments: row.payments.map((payment) => ({
      ...rowFields(payment, ['id', 'period', 'attempt', 'amount', 'currency', 'paymentIntentId', 'failureCode', 'failureMessage', 'createdAt']),
      status: payment.status as 'pending' | 'succeeded' | 'failed',
    })),
    invoices: row.invoices.map((invoice) => ({
      ...rowFields(invoice, ['period', 'documentId', 'createdAt']),
      ...rowFields(invoice.document, ['number', 'currency', 'dueDate']),
      status: invoice.document.status as InvoiceStatus,
      amount: invoice.document.grossTotal,
    })),
  };
}

export const subscriptionRoutes = [
  jsonRoute({
    method: 'post',
    path: '/subscriptions',
    operationId: 'createSubscription',
    tag: 'Subscriptions',
    summary: 'Subscribe a customer to a plan without a service request: charged to their saved card each period (refused without one), or billed by an invoice each period',
    body: createSubscriptionSchema,
    bodyExample: { customerId: 'cus_Xk2v9QpL4mTn8bRw', plan: { name: 'Monthly cleaning', amount: 9900, currency: 'EUR', period: 'monthly' } },
    problems: ['not_found', 'unprocessable', 'conflict'],
    response: { status: 201, description: 'The subscription, started (or scheduled)', schema: subscriptionSchema },
    handle: async ({ deps, caller, body, decisionId }) => present(await createSubscriptionDirectly(deps, caller, body, decisionId)),
  }),
  jsonRoute({
    method: 'get',
    path: '/subscriptions',
    operationId: 'listSubscriptions',
    tag: 'Subscriptions',
    summary: "The tenant's subscriptions, newest first",
    query: listSubscriptionsQuerySchema,
    response: {
      status: 200,
      description: 'A page of subscriptions',
      schema: pageSchema(subscriptionSummarySchema, 'SubscriptionList'),
    },
    handle: async ({ deps, caller, query }) => mapPage(await listSubscriptions(deps, caller, query), presentSummary),
  }),
  jsonRoute({
    method: 'get',
    path: '/subscriptions/:id',
    operationId: 'getSubscription',
    tag: 'Subscriptions',
    summary: 'A subscription with every payment attempt, or every invoice issued',
    params: idParamsSchema,
    response: { status: 200, description: 'The subscription', schema: subscriptionSchema },
    handle: async ({ deps, caller, params }) => present(await getSubscription(deps, caller, params.id)),
  }),
  jsonRoute({
    method: 'post',
    path: '/subscriptions/:id/plan',
    operationId: 'changeSubscriptionPlan',
    tag: 'Subscriptions',
    summary: 'Change the plan: from the next period (no proration); at once while scheduled',
    params: idParamsSchema,
    body: changePlanSchema,
    bodyExample: { plan: { name: 'Fortnightly cleaning', amount: 4900, currency: 'EUR', period: 'P14D' } },
    problems: ['decision_rejected', 'unprocessable'],
    response: { status: 200, description: 'The subscription, nextPlan set (or plan, while scheduled)', schema: subscriptionSchema },
    handle: async ({ deps, caller, params, body, decisionId }) => present(await changeSubscriptionPlan(deps, caller, params.id, body.plan, decisionId)),
  }),
  jsonRoute({
    method: 'post',
    path: '/subscriptions/:id/cancel',
    operationId: 'cancelSubscription',
    tag: 'Subscriptions',
    summary: 'Terminate the subscription now: inactive (terminated), no further charge',
    params: idParamsSchema,
    body: cancelSubscriptionSchema,
    bodyExample: { reason: 'The customer moved' },
    problems: ['decision_rejected'],
    response: { status: 200, description: 'The subscription, inactive', schema: subscriptionSchema },
    handle: async ({ deps, caller, params, body, decisionId }) => present(await terminateSubscription(deps, caller, params.id, body, decisionId)),
  }),
];
