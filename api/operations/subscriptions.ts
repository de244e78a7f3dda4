/**
 * Subscriptions for the back office: lists and details from PostgreSQL (the rows the workflow
 * writes), decisions through the subscription's workflow (Updates, once per decision id), and
 * the direct creation a back office without service requests (or a test) uses.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Prisma } from '../../generated/prisma/client';
import { createSubscription, type CreateSubscriptionInput } from '../../activities/subscriptions/create';
import { AppError } from '../../domain/errors';
import type { Plan } from '../../domain/plans';
import { DECISION_REJECTED } from '../../workflows/messages/document';
import { GreenlightCustomer, GreenlightKind, GreenlightStatus, GreenlightTenant } from '../../workflows/search-attributes';
import { subscriptionUpdates, subscriptionWorkflowId, type SubscriptionView, type SubscriptionWorkflowInput } from '../../workflows/messages/subscription';
import type { SubscriptionStatus } from '../../domain/plans';
import type { subscriptionWorkflow } from '../../workflows/subscription';
import type { AppDeps } from '../app';
import { sellerActor, type TenantCaller } from '../auth';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor } from './documents';

export type SubscriptionRow = Prisma.SubscriptionGetPayload<object>;
export type SubscriptionWithPayments = Prisma.SubscriptionGetPayload<{ include: { payments: true } }>;

/** Starts a subscription's workflow; a second start of the same one is not an error (the first runs). */
export async function startSubscriptionWorkflow(client: Client, taskQueue: string, input: SubscriptionWorkflowInput): Promise<void> {
  try {
    await client.workflow.start<typeof subscriptionWorkflow>('subscriptionWorkflow', {
      taskQueue,
      workflowId: subscriptionWorkflowId(input.subscriptionId),
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: GreenlightTenant, value: input.tenantId },
        { key: GreenlightKind, value: 'subscription' },
        { key: GreenlightStatus, value: 'scheduled' },
        { key: GreenlightCustomer, value: input.customerId },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** Without a service request: the back office subscribes its customer to a plan directly. */
export async function createSubscriptionDirectly(
  deps: AppDeps,
  caller: TenantCaller,
  input: { customerId: string; plan: Plan; retryDelays?: string[] },
): Promise<SubscriptionWithPayments> {
  const created = await createSubscription(deps.prisma, { tenantId: caller.tenantId, ...input } satisfies CreateSubscriptionInput);
  await startSubscriptionWorkflow(deps.temporal, deps.config.taskQueue, created.workflowInput);
  return getSubscription(deps, caller, created.subscriptionId);
}

export async function listSubscriptions(
  deps: AppDeps,
  caller: TenantCaller,
  input: { filter?: SubscriptionStatus; customerId?: string; limit?: number; cursor?: string },
): Promise<{ data: SubscriptionRow[]; nextCursor: string | null }> {
  const limit = input.limit ?? DEFAULT_PAGE_SIZE;
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const rows = await deps.prisma.subscription.findMany({
    where: {
      tenantId: caller.tenantId,
      ...(input.filter ? { status: input.filter } : {}),
      ...(input.customerId ? { customerId: input.customerId } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

export async function getSubscription(deps: AppDeps, caller: TenantCaller, subscriptionId: string): Promise<SubscriptionWithPayments> {
  const subscription = await deps.prisma.subscription.findFirst({
    where: { id: subscriptionId, tenantId: caller.tenantId },
    include: { payments: { orderBy: [{ period: 'asc' }, { attempt: 'asc' }] } },
  });
  if (!subscription) throw new AppError('not_found', 'No such subscription.');
  return subscription;
}

export function changeSubscriptionPlan(deps: AppDeps, caller: TenantCaller, subscriptionId: string, plan: Plan, decisionId: string | undefined) {
  return decide(deps, caller, subscriptionId, subscriptionUpdates.changePlan, decisionId, async (subscription) => ({
    plan: { ...plan, currency: plan.currency ?? (subscription.plan as { currency: string }).currency },
    actor: sellerActor(caller),
  }));
}

export function terminateSubscription(deps: AppDeps, caller: TenantCaller, subscriptionId: string, input: { reason?: string }, decisionId: string | undefined) {
  return decide(deps, caller, subscriptionId, subscriptionUpdates.terminate, decisionId, async () => ({
    actor: sellerActor(caller),
    ...(input.reason ? { reason: input.reason } : {}),
  }));
}

/** A decision taken by the subscription's workflow; answered with the subscription as it then is. */
async function decide<TInput>(
  deps: AppDeps,
  caller: TenantCaller,
  subscriptionId: string,
  update: UpdateDefinition<SubscriptionView, [TInput]>,
  decisionId: string | undefined,
  inputOf: (subscription: SubscriptionRow) => Promise<TInput>,
): Promise<SubscriptionWithPayments> {
  const subscription = await getSubscription(deps, caller, subscriptionId);
  const handle = deps.temporal.workflow.getHandle(subscriptionWorkflowId(subscription.id));
  try {
    await handle.executeUpdate(update, { args: [await inputOf(subscription)], updateId: decisionId ?? randomUUID() });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === DECISION_REJECTED) {
      throw new AppError('decision_rejected', error.cause.message);
    }
    // The workflow ended (inactive): the row says why.
    if (error instanceof WorkflowNotFoundError) throw new AppError('decision_rejected', `The subscription is ${subscription.status}${subscription.statusReason ? ` (${subscription.statusReason})` : ''}.`);
    throw error;
  }
  // The workflow recorded the decision before answering it.
  return getSubscription(deps, caller, subscriptionId);
}
