/**
 * Creates a subscription's row and the input of its workflow. A confirmed service request with
 * a plan calls it (through the activity), the back office directly (POST /v1/subscriptions);
 * the caller starts the workflow (`subscriptionWorkflowId`). Idempotent by request: the retry
 * of a confirmation finds the subscription it created.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { durationToMs } from '../../domain/durations';
import { AppError } from '../../domain/errors';
import { DEFAULT_RETRY_DELAYS, planStart, type Plan } from '../../domain/plans';
import { newId } from '../../platform/ids';
import type { SubscriptionPlan } from '../../domain/plans';
import type { SubscriptionWorkflowInput } from '../../workflows/messages/subscription';

export interface CreateSubscriptionInput {
  tenantId: string;
  /** The confirmed request (its document id); absent for a subscription the back office creates directly. */
  requestId?: string;
  customerId: string;
  plan: Plan;
  /** ISO 8601 waits before each retry of a failed charge; 1, 3 and 5 days when absent. */
  retryDelays?: string[];
}

export interface CreatedSubscription {
  subscriptionId: string;
  workflowInput: SubscriptionWorkflowInput;
}

export async function createSubscription(prisma: PrismaClient, input: CreateSubscriptionInput, now = Date.now()): Promise<CreatedSubscription> {
  if (input.requestId) {
    const existing = await prisma.subscription.findUnique({ where: { requestId: input.requestId } });
    if (existing) return { subscriptionId: existing.id, workflowInput: workflowInputOf(existing, input) };
  }
  const customer = await prisma.customer.findFirst({ where: { id: input.customerId, tenantId: input.tenantId }, include: { tenant: { select: { currency: true } } } });
  if (!customer) throw new AppError('not_found', 'No such customer.');
  const plan: SubscriptionPlan = { ...input.plan, currency: input.plan.currency ?? customer.tenant.currency };
  const startAt = planStart(plan, now);
  const data = {
    id: newId('sub'),
    tenantId: input.tenantId,
    customerId: input.customerId,
    requestId: input.requestId ?? null,
    plan: { ...plan },
    status: startAt > now ? 'scheduled' : 'active',
    startAt: new Date(startAt),
    nextChargeAt: new Date(startAt),
  };
  try {
    const created = await prisma.subscription.create({ data });
    return { subscriptionId: created.id, workflowInput: workflowInputOf(created, input) };
  } catch (error) {
    // Two confirmations of the same request at once: the other one created it.
    if (input.requestId && (error as { code?: string }).code === 'P2002') {
      const existing = await prisma.subscription.findUniqueOrThrow({ where: { requestId: input.requestId } });
      return { subscriptionId: existing.id, workflowInput: workflowInputOf(existing, input) };
    }
    throw error;
  }
}

function workflowInputOf(
  row: { id: string; tenantId: string; customerId: string; requestId: string | null; plan: unknown; startAt: Date },
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
  };
}
