/**
 * Subscriptions for the back office: lists and details from PostgreSQL (the rows the workflow
 * writes), decisions through the subscription's workflow (Updates, once per decision id), and
 * the direct creation a back office without service requests (or a test) uses.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Prisma } from '../../generated/prisma/client';
import { AppError } from '../../domain/errors';
import { askWorkflow } from '../../platform/temporal';
import type { Plan, SubscriptionBilling, SubscriptionStatus } from '../../domain/plans';
import { derivedId } from '../../platform/ids';
import { subscribeWorkflowId, type subscribeWorkflow } from '../../workflows/subscribe';
import { subscriptionUpdates, subscriptionWorkflowId, type SubscriptionView } from '../../workflows/messages/subscription';
import type { AppDeps } from '../app';
import { sellerActor, type TenantCaller } from '../auth';
import { NEWEST_FIRST, readPage, type Page, type PageRequest } from './pagination';

export type SubscriptionRow = Prisma.SubscriptionGetPayload<object>;
const subscriptionInclude = {
  payments: { orderBy: [{ period: 'asc' }, { attempt: 'asc' }] },
  // Billed by invoice: the invoice of each period, with its document as it stands.
  invoices: { orderBy: { period: 'asc' }, include: { document: { select: { number: true, status: true, grossTotal: true, currency: true, dueDate: true } } } },
} as const satisfies Prisma.SubscriptionInclude;
export type SubscriptionWithPayments = Prisma.SubscriptionGetPayload<{ include: typeof subscriptionInclude }>;

/**
 * Without a service request: the back office subscribes its customer to a plan directly. The
 * row and the subscription's workflow are made by a workflow of their own (workflows/subscribe.ts),
 * whose id is derived from the decision id: a retried request finds what its first attempt made.
 */
export async function createSubscriptionDirectly(
  deps: AppDeps,
  caller: TenantCaller,
  input: { customerId: string; plan: Plan; billing: SubscriptionBilling; retryDelays?: string[] },
  decisionId: string,
): Promise<SubscriptionWithPayments> {
  const customer = await deps.prisma.customer.findFirst({
    where: { id: input.customerId, tenantId: caller.tenantId },
    select: { id: true, name: true, email: true, paymentCustomerId: true, paymentMethodId: true },
  });
  if (!customer) throw new AppError('not_found', 'No such customer.');
  // Billed by invoice, each period's invoice is emailed to the customer's address.
  if (input.billing === 'invoice' && !customer.email) {
    throw new AppError('conflict', 'The customer has no email address to send its invoices to: give one (PATCH /v1/customers/:id email) or bill by card.');
  }
  // Billed by card, each period charges the saved card: without one, said now rather than cancelled after every retry failed.
  if (input.billing === 'card' && (customer.paymentCustomerId === null || customer.paymentMethodId === null)) {
    throw new AppError(
      'conflict',
      'The customer has no saved card to charge: save one (PATCH /v1/customers/:id savedCard) or bill by invoice ({"billing": "invoice"}).',
    );
  }
  const subscriptionId = derivedId('sub', caller.tenantId, decisionId);
  const workflowId = subscribeWorkflowId(subscriptionId);
  try {
    await deps.temporal.workflow.start<typeof subscribeWorkflow>('subscribeWorkflow', {
      taskQueue: deps.config.taskQueue,
      workflowId,
      args: [{ tenantId: caller.tenantId, customerId: input.customerId, plan: input.plan, billing: input.billing, ...(input.retryDelays ? { retryDelays: input.retryDelays } : {}), subscriptionId }],
      staticSummary: `Subscribe ${customer.name} to ${input.plan.name}`,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
  } catch (error) {
    // The retry of a request whose subscription is being made, or was: its answer is the same.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  await deps.temporal.workflow.getHandle<typeof subscribeWorkflow>(workflowId).result();
  return getSubscription(deps, caller, subscriptionId);
}

export function listSubscriptions(
  deps: AppDeps,
  caller: TenantCaller,
  input: PageRequest & { filter?: SubscriptionStatus; customerId?: string },
): Promise<Page<SubscriptionRow>> {
  return readPage(input, NEWEST_FIRST, ({ after, orderBy, take }) =>
    deps.prisma.subscription.findMany({
      where: {
        tenantId: caller.tenantId,
        ...(input.filter ? { status: input.filter } : {}),
        ...(input.customerId ? { customerId: input.customerId } : {}),
        ...after,
      },
      orderBy,
      take,
    }),
  );
}

export async function getSubscription(deps: AppDeps, caller: TenantCaller, subscriptionId: string): Promise<SubscriptionWithPayments> {
  const subscription = await deps.prisma.subscription.findFirst({ where: { id: subscriptionId, tenantId: caller.tenantId }, include: subscriptionInclude });
  if (!subscription) throw new AppError('not_found', 'No such subscription.');
  return subscription;
}

export function changeSubscriptionPlan(deps: AppDeps, caller: TenantCaller, subscriptionId: string, plan: Plan, decisionId: string) {
  return decide(deps, caller, subscriptionId, subscriptionUpdates.changePlan, decisionId, async (subscription) => ({
    plan: { ...plan, currency: plan.currency ?? (subscription.plan as { currency: string }).currency },
    actor: sellerActor(caller),
  }));
}

export function terminateSubscription(deps: AppDeps, caller: TenantCaller, subscriptionId: string, input: { reason?: string }, decisionId: string) {
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
  decisionId: string,
  inputOf: (subscription: SubscriptionRow) => Promise<TInput>,
): Promise<SubscriptionWithPayments> {
  const subscription = await getSubscription(deps, caller, subscriptionId);
  const handle = deps.temporal.workflow.getHandle(subscriptionWorkflowId(subscription.id));
  await askWorkflow(
    async () => handle.executeUpdate(update, { args: [await inputOf(subscription)], updateId: decisionId }),
    // The workflow ended (inactive): the row says why.
    () => `The subscription is ${subscription.status}${subscription.statusReason ? ` (${subscription.statusReason})` : ''}.`,
  );
  // The workflow recorded the decision before answering it.
  return getSubscription(deps, caller, subscriptionId);
}
