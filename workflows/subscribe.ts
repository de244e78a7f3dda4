/**
 * A subscription coming to life: its row written (`createSubscription`), then its own workflow
 * started, abandoned to run its periods. A confirmed service request does it in its workflow
 * (request.ts); the back office subscribing a customer directly (POST /v1/subscriptions) asks
 * `subscribeWorkflow`, one per subscription, `subscribe-<subscriptionId>`, the id derived from
 * the request's decision id: a retried request finds the subscription its first attempt made,
 * and a crash between the row and the workflow is finished by Temporal, not left half done.
 */
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { SubscriptionActivities } from '../activities/types';
import { patiently } from './story';
import { detailLines } from '../domain/summaries';
import { documentSearchAttributes } from './search-attributes';
import { subscriptionWorkflowId } from './messages/subscription';
import { subscriptionSummary, subscriptionWorkflow } from './subscription';

type NewSubscription = Parameters<SubscriptionActivities['createSubscription']>[0];

const { createSubscription } = proxyActivities<SubscriptionActivities>({ startToCloseTimeout: '1 minute', retry: patiently });

export const subscribeWorkflowId = (subscriptionId: string): string => `subscribe-${subscriptionId}`;

/** Writes the subscription and starts its workflow; answers its id. */
export async function startNewSubscription(input: NewSubscription): Promise<string> {
  const { subscriptionId, workflowInput } = await createSubscription.executeWithOptions({ summary: `write the subscription to ${input.plan.name}` }, [input]);
  await startChild(subscriptionWorkflow, {
    workflowId: subscriptionWorkflowId(subscriptionId),
    staticSummary: subscriptionSummary(workflowInput),
    staticDetails: detailLines([
      ['Subscription', subscriptionId],
      ['Customer', workflowInput.customerId],
      ['Service request', workflowInput.requestId],
    ]),
    args: [workflowInput],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    typedSearchAttributes: documentSearchAttributes({ tenantId: workflowInput.tenantId, kind: 'subscription', customerId: workflowInput.customerId, status: 'scheduled' }),
  });
  return subscriptionId;
}

/** The back office's direct subscription (its input names the subscription's id). */
export async function subscribeWorkflow(input: NewSubscription & { subscriptionId: string }): Promise<{ subscriptionId: string }> {
  return { subscriptionId: await startNewSubscription(input) };
}
