/**
 * Creates a subscription's row and the input of its workflow, through the activity, from a
 * workflow (workflows/subscribe.ts) that then starts the subscription's own: a confirmed
 * service request's, or the back office's direct subscription. Idempotent by request, or by
 * the id the caller gives: a retry finds the subscription it created.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { durationToMs } from '../../domain/durations';
import { AppError } from '../../domain/errors';
import { DEFAULT_RETRY_DELAYS, planStart, type Plan } from '../../domain/plans';
import { isUniqueViolation } from '../../platform/db';
import { newId } from '../../platform/ids';
import type { SubscriptionBilling, SubscriptionPlan } from '../../domain/plans';
import type { SubscriptionWorkflowInput } from '../../workflows/messages/subscription';

export interface CreateSubscriptionInput {
  tenantId: string;
  /** The confirmed request (its document id); absent for a subscription the back office creates directly. */
  requestId?: string;
  customerId: string;
  plan: Plan;
  /** card (when absent) charges the saved card each period; invoice sends an invoice each period. */
  billing?: SubscriptionBilling;
  /** ISO 8601 waits before each retry of a failed charge; 1, 3 and 5 days when absent. */
  retryDelays?: string[];
  /** Its id when the caller made it from a decision (a direct subscription): a retry finds the row its first attempt wrote. */
  subscriptionId?: string;
}

export interface CreatedSubscription {
  subscriptionId: string;
  workflowInput: SubscriptionWorkflowInput;
}

export async function createSubscription(prisma: PrismaClient, input: CreateSubscriptionInput, now = Date.now()): Promise<CreatedSubscription> {
  const existing = await findExisting(prisma, input);
  if (existing) return { subscriptionId: existing.id, workflowInput: workflowInputOf(existing, input) };
  const customer = await prisma.customer.findFirst({ where: { id: input.customerId, tenantId: input.tenantId }, include: { tenant: { select: { currency: true } } } });
  if (!customer) throw new AppError('not_found', 'No such customer.');
  const plan: SubscriptionPlan = { ...input.plan, currency: input.plan.currency ?? customer.tenant.currency };
  const startAt = planStart(plan, now);
  const data = {
    id: input.subscriptionId ?? newId('sub'),
    tenantId: input.tenantId,
    customerId: input.customerId,
    requestId: input.requestId ?? null,
    plan: { ...plan },
    billing: input.billing ?? 'card',
    status: startAt > now ? 'scheduled' : 'active',
    startAt: new Date(startAt),
    nextChargeAt: new Date(startAt),
  };
  try {
    const created = await prisma.subscription.create({ data });
    return { subscriptionId: created.id, workflowInput: workflowInputOf(created, input) };
  } catch (error) {
    // Two creations of the same subscription at once (a request confirmed twice): the other one wrote it.
    const written = isUniqueViolation(error) ? await findExisting(prisma, input) : null;
    if (!written) throw error;
    return { subscriptionId: written.id, workflowInput: workflowInputOf(written, input) };
  }
}

/** The subscription this creation made already: the request's, or the one of the id given. */
function findExisting(prisma: PrismaClient, input: CreateSubscriptionInput) {
  if (input.requestId) return prisma.subscription.findUnique({ where: { requestId: input.requestId } });
  if (input.subscriptionId) return prisma.subscription.findFirst({ where: { id: input.subscriptionId, tenantId: input.tenantId } });
  return Promise.resolve(null);
}

function workflowInputOf(
  row: { id: string; tenantId: string; customerId: string; requestId: string | null; plan: unknown; billing: string; startAt: Date },
  input: CreateSubscriptionInput,
): SubscriptionWorkflowInput {
  return {
    tenantId: row.tenantId,
    subscriptionId: row.id,
    customerId: row.customerId,
    ...(row.requestId ? { requestId: row.requestId } : {}),
    plan: row.plan as SubscriptionPlan,
    startAt: row.startAt.getTime(),
    retryDelaysMs: (input.retryDelays ?? DEFAULT_RETRY_DELAYS).map(durationToMs),
    ...(row.billing === 'invoice' ? { billing: 'invoice' as const } : {}),
  };
}
