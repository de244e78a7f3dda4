/**
 * The story of a subscription (seed 004): scheduled until its start, then the customer's saved
 * card is charged each period on a durable timer (or, billed by invoice, the period's invoice
 * issued and sent on its own workflow); a failed charge is retried on the schedule and, after
 * the last failure, the subscription ends cancelled; the seller changes the plan or terminates
 * it. The rules live in machines/subscription.ts; the story around them (decisions, time,
 * continue-as-new) is the one every workflow shares (story.ts). This file runs the charges and
 * the invoices and keeps the Subscription row the API lists, and continues as new once per
 * period (or as Temporal suggests), so years of billing keep a short history.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { SubscriptionActivities } from '../activities/types';
import type { IssuedSubscriptionInvoice } from '../activities/subscriptions/types';
import type { invoiceWorkflow } from './invoice';
import { documentWorkflowId } from './messages/document';
import { documentSearchAttributes } from './search-attributes';
import { resumesSubscriptionLoop, subscriptionLoop } from './legacy/subscription-loop';
import {
  isBetweenPeriods,
  isSubscriptionOver,
  subscriptionStatus,
  type SubscriptionSnapshot,
  subscriptionMachine,
  subscriptionView,
  whyNotSubscription,
  type SubscriptionEvent,
} from './machines/subscription';
import { subscriptionStateQuery, subscriptionUpdates, type SubscriptionView, type SubscriptionWorkflowInput } from './messages/subscription';
import { decision, patiently, runStory } from './story';
import { documentSummary, plainMoney } from '../domain/summaries';
import { patched } from './patches';

const { recordSubscription, issueSubscriptionInvoice } = proxyActivities<SubscriptionActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });
/**
 * A charge is one provider call: a worker that dies in it (or a provider too slow) is noticed
 * by the timeout, and the attempt is asked again with the same idempotency key (charged once).
 */
const { chargeSubscription } = proxyActivities<SubscriptionActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });

/** "Subscription Pro · 49,00 EUR per month": the subscription workflow's one line. */
export function subscriptionSummary(input: Pick<SubscriptionWorkflowInput, 'plan'>): string {
  return `Subscription ${input.plan.name} · ${plainMoney(input.plan.amount, input.plan.currency)} per ${input.plan.period}`;
}

function subscriptionWaitsFor(snapshot: SubscriptionSnapshot): string | undefined {
  const { period } = snapshot.context;
  if (snapshot.matches('scheduled')) return 'the start of the first period';
  if (snapshot.matches({ active: 'paid' })) return `the end of period ${period}`;
  if (snapshot.matches({ payment_failed: 'waiting' })) return `the retry of period ${period}'s charge`;
  if (snapshot.matches('inactive')) return undefined;
  if (snapshot.matches({ active: 'invoicing' })) return `the invoice of period ${period}`;
  return `the charge of period ${period}`;
}

/**
 * The period's invoice sets out on its own workflow, which sends it, reminds and takes its
 * payment; it outlives the subscription's run (continue-as-new, termination). Started once:
 * its id is the document's, and a run replayed after a reset finds it started.
 */
async function sendInvoice({ documentId, workflowInput }: IssuedSubscriptionInvoice): Promise<void> {
  try {
    await startChild<typeof invoiceWorkflow>('invoiceWorkflow', {
      workflowId: documentWorkflowId('invoice', documentId),
      args: [workflowInput],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: documentSearchAttributes({ tenantId: workflowInput.tenantId, kind: 'invoice', customerId: workflowInput.customerId, status: 'draft' }),
      memo: { number: workflowInput.number, title: workflowInput.title ?? null },
      staticSummary: documentSummary('invoice', workflowInput),
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export async function subscriptionWorkflow(input: SubscriptionWorkflowInput): Promise<SubscriptionView> {
  // Runs begun on the loop this story replaced finish on it (legacy/subscription-loop.ts).
  if (resumesSubscriptionLoop(input) || !patched('subscription-on-story')) return subscriptionLoop(input);
  const { tenantId, subscriptionId, customerId } = input;
  const periodsPerRun = input.periodsPerRun ?? 1;

  const ended = await runStory(input, {
    kind: 'subscription',
    machine: subscriptionMachine,
    machineInput: () => ({
      now: Date.now(),
      plan: input.plan,
      startAt: input.startAt,
      retryDelaysMs: input.retryDelaysMs,
      ...(input.billing ? { billing: input.billing } : {}),
    }),
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
        const summary = `charge period ${params.period}, attempt ${params.attempt}: ${plainMoney(params.amount, params.currency)}`;
        const charged = await chargeSubscription.executeWithOptions({ summary }, [{ tenantId, subscriptionId, customerId, ...params }]);
        return {
          type: charged.status === 'succeeded' ? 'CHARGE_SUCCEEDED' : 'CHARGE_FAILED',
          period: params.period,
          attempt: params.attempt,
          at: Date.now(),
          ...(charged.failureCode ? { failureCode: charged.failureCode } : {}),
        };
      },
      issueInvoice: async ({ params }) => {
        const summary = `invoice period ${params.period}: ${plainMoney(params.amount, params.currency)}`;
        const issued = await issueSubscriptionInvoice.executeWithOptions({ summary }, [{ tenantId, subscriptionId, customerId, ...params, at: Date.now() }]);
        await sendInvoice(issued);
        return { type: 'INVOICE_ISSUED', period: params.period, documentId: issued.documentId, at: Date.now() };
      },
    }),
    // The row the API lists is the view, written whenever it changed and before the step's
    // actions: the period (or retry) being charged shows before the provider is asked.
    beforeActions: (tools) => async (snapshot, previous) => {
      const view = subscriptionView(snapshot);
      const before = previous && subscriptionView(previous);
      if (before && JSON.stringify(before) === JSON.stringify(view)) return;
      await recordSubscription.executeWithOptions({ summary: `record the subscription: ${view.status.replaceAll('_', ' ')}, period ${view.currentPeriod}` }, [
        { tenantId, subscriptionId, seq: tools.nextWriteSeq(), ...view },
      ]);
      if (before?.status !== view.status) tools.showStatus(view.status);
    },
    // Between periods, once this run billed its share: years of billing keep a short history.
    timeToContinueAsNew: ({ snapshot, resumedFrom, suggested }) =>
      isBetweenPeriods(snapshot) && (suggested || snapshot.context.period - (resumedFrom?.context.period ?? 0) >= periodsPerRun),
    operator: {
      title: subscriptionSummary(input),
      status: subscriptionStatus,
      waitingFor: subscriptionWaitsFor,
      timer: (name, { context }) => {
        if (name === 'untilStart') return 'period 1 begins';
        if (name === 'untilNextPeriod') return `period ${context.period + 1} begins`;
        if (name === 'untilRetry') return `charge retry ${context.failures} of ${context.retryDelaysMs.length} for period ${context.period}`;
        return name;
      },
      facts: ({ context }) => [['Plan', context.nextPlan ? `${context.plan.name}, then ${context.nextPlan.name}` : context.plan.name]],
    },
  });
  return subscriptionView(ended);
}
