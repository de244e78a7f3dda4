/** The shapes of /v1/requests (seed 004 service requests), read and written by api/backoffice/requests.ts. */
import { z } from 'zod';
import { REQUEST_BILLINGS, REQUEST_BOXES, REQUEST_STATUSES } from '../domain/requests';
import { listQuerySchema, MAX_MESSAGE_LENGTH, pageSchema, planSchema } from './schemas';

const id = z.string().min(1).max(64);
const label = z.string().trim().min(1).max(60);
const dateTime = z.iso.datetime();
/** 32-bit minor units, as every amount stored. */
const amount = z.number().int().positive().max(2_147_483_647);

export const createRequestSchema = z
  .strictObject({
    customerId: id,
    product: z.string().trim().min(1).max(200),
    options: z.record(z.string(), z.unknown()).default({}).openapi({ description: 'What the customer chose in the product form' }),
    plan: planSchema.optional().openapi({ description: 'Confirming the request subscribes the customer to this plan' }),
    billing: z
      .enum(REQUEST_BILLINGS)
      .default('card')
      .openapi({ description: "card: the accepted proposal's amount, else the request's price, is charged to the saved card on confirm" }),
    priceOnQuote: z.boolean().default(false).openapi({ description: '"Sur devis": the seller sends a price proposal the customer accepts' }),
    price: amount
      .optional()
      .openapi({ description: 'The product\'s price for these options, minor units of the currency: what confirming charges with billing card (not with priceOnQuote, priced by a proposal)', example: 4900 }),
    assigneeId: id.optional(),
  })
  .refine((request) => !(request.priceOnQuote && request.price !== undefined), { path: ['price'], message: 'a "sur devis" request is priced by a proposal, not a price' })
  .openapi('CreateServiceRequest');

export const requestListQuerySchema = listQuerySchema({ box: z.enum(REQUEST_BOXES).optional() });

export const requestStatusSchema = z
  .strictObject({ status: z.literal('in_progress'), billing: z.enum(REQUEST_BILLINGS).optional() })
  .or(z.strictObject({ billing: z.enum(REQUEST_BILLINGS) }))
  .openapi('ServiceRequestStatusChange', { description: 'Take the request in hand, and/or change its payment method before confirming' });
export const requestLabelsSchema = z.strictObject({ add: z.array(label).max(20).optional(), remove: z.array(label).max(20).optional() }).openapi('ServiceRequestLabels');
export const requestTextSchema = z.strictObject({ body: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH) }).openapi('ServiceRequestText');
export const priceProposalSchema = z.strictObject({ amount: amount.openapi({ description: 'Minor units of the tenant currency', example: 15000 }) }).openapi('PriceProposalInput');
export const declineRequestSchema = z.strictObject({ reason: z.string().trim().max(2000).optional() }).openapi('DeclineServiceRequest');
export const requestAssigneeSchema = z
  .strictObject({ assigneeId: id })
  .openapi('ServiceRequestAssignee', { description: 'Another salesperson in charge, at any status: recorded as `assigned`, nothing else changes' });
export const emptySchema = z.strictObject({});

const proposalSchema = z.object({ seq: z.number().int(), amount: z.number().int(), currency: z.string(), status: z.enum(['sent', 'accepted', 'declined', 'withdrawn']), createdAt: dateTime });
const chargeSchema = z.object({
  attempt: z.number().int(),
  status: z.enum(['pending', 'succeeded', 'failed']).openapi({ description: 'pending: asked of the provider, outcome not yet written' }),
  amount: z.number().int(),
  currency: z.string(),
  paymentId: z.string().nullable(),
  failureCode: z.string().nullable(),
  failureMessage: z.string().nullable(),
  createdAt: dateTime,
});

export const serviceRequestSchema = z
  .object({
    id,
    number: z.string(),
    customerId: id,
    assigneeId: id.nullable().openapi({ description: "The salesperson in charge: the seller's notices of the request go to them" }),
    product: z.string(),
    options: z.record(z.string(), z.unknown()),
    plan: z.unknown().nullable(),
    billing: z.enum(REQUEST_BILLINGS),
    priceOnQuote: z.boolean(),
    price: z.number().int().nullable().openapi({ description: "The product's price (minor units), for a request not on quote; null: none given" }),
    status: z.enum(REQUEST_STATUSES),
    box: z.enum(REQUEST_BOXES),
    labels: z.array(z.string()).openapi({ description: 'Team-only; awaiting_response while a proposal waits for the customer' }),
    unread: z.boolean(),
    proposal: proposalSchema.nullable().openapi({ description: 'The last price proposal' }),
    proposals: z.array(proposalSchema),
    outcome: z.enum(['accepted', 'declined']).nullable(),
    handledWithoutProposal: z.boolean(),
    paymentStatus: z.enum(['paid', 'unpaid']).nullable().openapi({ description: 'unpaid: confirmed but the card was declined' }),
    payments: z.array(chargeSchema),
    notes: z.array(z.object({ id, body: z.string(), createdAt: dateTime })).openapi({ description: 'Internal notes: team-only' }),
    subscriptionId: z.string().nullable(),
    declineReason: z.string().nullable(),
    createdAt: dateTime,
  })
  .openapi('ServiceRequest');

export const serviceRequestListSchema = pageSchema(serviceRequestSchema, 'ServiceRequestList');

export const requestStatsSchema = z
  .object({
    confirmed: z.number().int(),
    declined: z.number().int(),
    /** Amounts confirmed (the accepted proposal, or the price of a request not on quote), per currency. */
    confirmedAmounts: z.record(z.string(), z.number().int()),
    excludedWithoutProposal: z.number().int().openapi({ description: 'Handled without a price proposal: left out of the figures above' }),
  })
  .openapi('ServiceRequestStats');
