/**
 * The story of a subscription (seed 004): scheduled until its start, then the customer's saved
 * card is charged each period on a durable timer; a failed charge is retried on the schedule
 * and, after the last failure, the subscription ends cancelled; the seller changes the plan or
 * terminates it. The rules live in machines/subscription.ts; the story around them (decisions,
 * time, continue-as-new) is the one every workflow shares (story.ts). This file runs the
 * charges and keeps the Subscription row the API lists, and continues as new once per period
 * (or as Temporal suggests), so years of billing keep a short history.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { SubscriptionActivities } from '../activities/types';
import { resumesSubscriptionLoop, subscriptionLoop } from './legacy/subscription-loop';
import {
  isBetweenPeriods,
  isSubscriptionOver,
  subscriptionMachine,
  subscriptionView,
  whyNotSubscription,
  type SubscriptionEvent,
} from './machines/subscription';
import { subscriptionStateQuery, subscriptionUpdates, type SubscriptionView, type SubscriptionWorkflowInput } from './messages/subscription';
import { decision, patiently, runStory } from './story';

const { recordSubscription } = proxyActivities<SubscriptionActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });
/**
 * A charge is one provider call: a worker that dies in it (or a provider too slow) is noticed
 * by the timeout, and the attempt is asked again with the same idempotency key (charged once).
 */
const { chargeSubscription } = proxyActivities<SubscriptionActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });

export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<SubscriptionView> {
  // Runs begun on the loop this story replaced finish on it (legacy/subscription-loop.ts).
  if (resumesSubscriptionLoop(input) || !patched('subscription-on-story')) return subscriptionLoop(input);
  const { tenantId, subscriptionId, customerId } = input;
  const periodsPerRun = input.periodsPerRun ?? 1;

  const ended = await runStory(input, {
    kind: 'subscription',
    machine: subscriptionMachine,
    machineInput: () => ({ now: Date.now(), plan: input.plan, startAt: input.startAt, retryDelaysMs: input.retryDelaysMs }),
    isClosed: isSubscriptionOver,
    whyNot: whyNotSubscription,
    view: subscriptionView,
    stateQuery: subscriptionStateQuery,
    decisions: [
      decision(subscriptionUpdates.changePlan, (decided): SubscriptionEvent => ({ type: 'CHANGE_PLAN', at: Date.now(), ...decided })),
      decision(subscriptionUpdates.terminate, (decided): SubscriptionEvent => ({ type: 'TERMINATE', at: Date.now(), ...decided })),
    ],
    actions: () => ({
      chargeCard: async ({ params }) => {
        const charged = await chargeSubscription({ tenantId, subscriptionId, customerId, ...params });
        return {
          type: charged.status === 'succeeded' ? 'CHARGE_SUCCEEDED' : 'CHARGE_FAILED',
          period: params.period,
          attempt: params.attempt,
          at: Date.now(),
          ...(charged.failureCode ? { failureCode: charged.failureCode } : {}),
        };
      },
    }),
    // The row the API lists is the view, written whenever it changed and before the step's
    // actions: the period (or retry) being charged shows before the provider is asked.
    beforeActions: (tools) => async (snapshot, previous) => {
      const view = subscriptionView(snapshot);
      const before = previous && subscriptionView(previous);
      if (before && JSON.stringify(before) === JSON.stringify(view)) return;
      await recordSubscription({ tenantId, subscriptionId, seq: tools.nextWriteSeq(), ...view });
      if (before?.status !== view.status) tools.showStatus(view.status);
    },
    // Between periods, once this run billed its share: years of billing keep a short history.
    timeToContinueAsNew: ({ snapshot, resumedFrom, suggested }) =>
      isBetweenPeriods(snapshot) && (suggested || snapshot.context.period - (resumedFrom?.context.period ?? 0) >= periodsPerRun),
  });
  return subscriptionView(ended);
}
