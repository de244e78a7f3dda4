/**
 * The subscription's workflow as it ran before subscriptions ran on the shared story
 * (workflows/subscription.ts, patch `subscription-on-story`): a run begun on this loop, or
 * resumed from the state it carried, replays and ends here, then continues as new on the
 * story, carrying the story's resume. Remove this file, and make the patch `deprecatePatch`,
 * once no such run is open (runs continue as new every period: a year at most).
 *
 * Scheduled until its start, then the card charged each period on a durable timer; the
 * charge's outcome waits in `outcome` until the step is over (`settle`); the state is written
 * for the API after every step.
 */
import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { SubscriptionActivities } from '../../activities/types';
import { DECISION_REJECTED } from '../messages/document';
import { MachineRunner, type ActionCall, type SavedMachine } from '../machine-runner';
import {
  isBetweenPeriods,
  isSubscriptionOver,
  subscriptionMachine,
  subscriptionView,
  whyNotSubscription,
  type ChangePlanEvent,
  type ChargeCardParams,
  type ChargeOutcomeEvent,
  type SubscriptionSnapshot,
  type TerminateEvent,
} from '../machines/subscription';
import { GreenlightCustomer, GreenlightKind, GreenlightStatus, GreenlightTenant } from '../search-attributes';
import { subscriptionStateQuery, subscriptionUpdates, type SubscriptionView, type SubscriptionWorkflowInput } from '../messages/subscription';
import { currentDecisionId, patiently } from '../story';
import type { subscriptionWorkflow } from '../subscription';

/** What a run of this loop carried when it continued as new. */
export interface SubscriptionLoopResume {
  machine: SavedMachine;
  transitionSeq: number;
  decisionIds: string[];
}

type SubscriptionLoopInput = Omit<SubscriptionWorkflowInput, 'resume'> & { resume?: SubscriptionLoopResume };

/** Whether a run resumes from this loop's state (a run it continued as new before the story took over). */
export function resumesSubscriptionLoop(input: SubscriptionWorkflowInput | SubscriptionLoopInput): input is SubscriptionLoopInput {
  return input.resume !== undefined && 'machine' in input.resume;
}

const { recordSubscription } = proxyActivities<SubscriptionActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });
/**
 * A charge is one provider call: a worker that dies in it (or a provider too slow) is noticed
 * by the timeout, and the attempt is asked again with the same idempotency key (charged once).
 */
const { chargeSubscription } = proxyActivities<SubscriptionActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });

export async function subscriptionLoop(input: SubscriptionWorkflowInput | SubscriptionLoopInput): Promise<SubscriptionView> {
  const resume = resumesSubscriptionLoop(input) ? input.resume : undefined;
  const { tenantId, subscriptionId, customerId } = input;
  let transitionSeq = resume?.transitionSeq ?? 0;
  const decisionIds = new Set(resume?.decisionIds);
  /** The outcome of the charge just made, fed to the machine once the charging step is over. */
  let outcome: ChargeOutcomeEvent | undefined;
  /** The view last written; each run writes its first state again (a no-op for the row but the sequence). */
  let recorded = '';

  const handlers = {
    chargeCard: async ({ params, snapshot }: ActionCall<typeof subscriptionMachine, ChargeCardParams>) => {
      // The API shows the period (or retry) being charged before the provider is asked.
      await record(snapshot);
      const result = await chargeSubscription({ tenantId, subscriptionId, customerId, ...params });
      outcome = {
        type: result.status === 'succeeded' ? 'CHARGE_SUCCEEDED' : 'CHARGE_FAILED',
        period: params.period,
        attempt: params.attempt,
        at: Date.now(),
        ...(result.failureCode ? { failureCode: result.failureCode } : {}),
      };
    },
    // The loop's runs were started before subscriptions were billed by invoice: their machine never issues one.
    issueInvoice: () => Promise.reject(new Error('A subscription run on the loop is billed by card only')),
  };
  const runner = resume
    ? MachineRunner.restore(subscriptionMachine, resume.machine, handlers)
    : MachineRunner.start(subscriptionMachine, { now: Date.now(), plan: input.plan, startAt: input.startAt, retryDelaysMs: input.retryDelaysMs }, handlers);
  const periodAtStart = resume ? runner.snapshot.context.period : 0;

  /** The state as the API lists it, written when it changed; the sequence makes a retry or a late write harmless. */
  const record = async (snapshot: SubscriptionSnapshot): Promise<void> => {
    const view = subscriptionView(snapshot);
    const serialized = JSON.stringify(view);
    if (serialized === recorded) return;
    const statusChanged = recorded === '' || (JSON.parse(recorded) as SubscriptionView).status !== view.status;
    recorded = serialized;
    transitionSeq += 1;
    await recordSubscription({ tenantId, subscriptionId, seq: transitionSeq, ...view });
    if (statusChanged) {
      upsertSearchAttributes([
        { key: GreenlightTenant, value: tenantId },
        { key: GreenlightKind, value: 'subscription' },
        { key: GreenlightStatus, value: view.status },
        { key: GreenlightCustomer, value: customerId },
      ]);
    }
  };
  /** Steps the machine with the event, then with the charge outcome it led to, recording each state. */
  const settle = async (): Promise<void> => {
    await runner.idle();
    await record(runner.snapshot);
    while (outcome) {
      const next = outcome;
      outcome = undefined;
      await record(await runner.send(next));
    }
  };

  const refuseUnlessAllowed = (snapshot: SubscriptionSnapshot, event: ChangePlanEvent | TerminateEvent): void => {
    const reason = whyNotSubscription(snapshot, event);
    if (reason) throw ApplicationFailure.create({ type: DECISION_REJECTED, message: reason, nonRetryable: true });
  };
  const onDecision = <TInput>(update: UpdateDefinition<SubscriptionView, [TInput]>, toEvent: (decision: TInput) => ChangePlanEvent | TerminateEvent) =>
    setHandler(
      update,
      async (decision: TInput) => {
        const decisionId = currentDecisionId();
        if (decisionIds.has(decisionId)) return subscriptionView(runner.snapshot);
        const event = toEvent(decision);
        await runner.send(event, (snapshot) => refuseUnlessAllowed(snapshot, event));
        decisionIds.add(decisionId);
        await record(runner.snapshot);
        return subscriptionView(runner.snapshot);
      },
      {
        validator: (decision: TInput) => {
          // A repeated decision id is answered with the current state, not decided again.
          if (decisionIds.has(currentDecisionId())) return;
          refuseUnlessAllowed(runner.snapshot, toEvent(decision));
        },
      },
    );
  onDecision(subscriptionUpdates.changePlan, (decision) => ({ type: 'CHANGE_PLAN', at: Date.now(), ...decision }));
  onDecision(subscriptionUpdates.terminate, (decision) => ({ type: 'TERMINATE', at: Date.now(), ...decision }));
  setHandler(subscriptionStateQuery, () => subscriptionView(runner.snapshot));

  await settle();
  const periodsPerRun = input.periodsPerRun ?? 1;
  const timeToContinueAsNew = () =>
    isBetweenPeriods(runner.snapshot) && (workflowInfo().continueAsNewSuggested || runner.snapshot.context.period - periodAtStart >= periodsPerRun);
  const paused = () => isSubscriptionOver(runner.snapshot) || timeToContinueAsNew();
  while (!paused()) {
    await runner.nextDeadline(paused);
    await settle();
  }

  // Callers of decisions in flight are waiting for their answer: let them have it.
  await condition(allHandlersFinished);
  await settle();
  if (!isSubscriptionOver(runner.snapshot)) {
    // The next run is the story's: it resumes from the story's carry-over.
    return continueAsNew<typeof subscriptionWorkflow>({
      ...input,
      resume: { ...runner.save(), transitionSeq, decisionIds: [...decisionIds] },
    });
  }
  return subscriptionView(runner.snapshot);
}
