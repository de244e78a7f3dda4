/**
 * The life of a subscription (seed 004: "Abonnements"), as a pure XState v5 machine its
 * workflow interprets (DESIGN.md §3):
 *
 *   scheduled ──untilStart──▶ active.charging ──CHARGE_SUCCEEDED──▶ active.paid ──untilNextPeriod──▶ active.charging (next period)
 *   *.charging ──CHARGE_FAILED, retries left──▶ payment_failed.waiting ──untilRetry──▶ payment_failed.charging
 *   payment_failed.charging ──CHARGE_SUCCEEDED──▶ active.paid
 *   *.charging ──CHARGE_FAILED, no retry left──▶ inactive (cancelled)
 *   scheduled | active | payment_failed ──TERMINATE──▶ inactive (terminated)
 *   scheduled | active | payment_failed ──CHANGE_PLAN──▶ the same state, plan changed
 *   billed by invoice: active.invoicing ──INVOICE_ISSUED──▶ active.paid (instead of charging)
 *
 * Decisions taken here, where the product pages leave room:
 * - Period n (1 for the first) starts n - 1 periods after the start and is charged then, in
 *   advance; its charge is attempt 1, each retry the next attempt (one payment row each).
 * - A failed charge is retried after retryDelaysMs[0], then [1], …; the failure that finds no
 *   retry left makes the subscription inactive, reason cancelled. A success resets the count.
 * - A plan change takes effect at the next period, without proration: the period running was
 *   charged at the old price and keeps it. While scheduled nothing was charged, so it applies
 *   at once. A new billing period length starts counting from the period it applies to.
 * - Terminating is immediate: no further charge; the period already paid is not refunded.
 * - A charge outcome counts only for the attempt in flight (period and attempt match), so a
 *   late or repeated outcome changes nothing.
 * - Inactive is the end: nothing is allowed there (the workflow completes).
 * - Billed by invoice, each period begins by issuing its invoice (`issueInvoice`: a document sent
 *   to the customer, payable online, reminded and overdue on its own workflow) instead of
 *   charging a card; once issued the period is billed (active.paid), whether or not the invoice
 *   is paid yet. No card, so no failed charge: such a subscription is never payment_failed.
 */
import { assign, setup, type SnapshotFrom } from 'xstate';
import type { Actor } from '../../domain/documents';
import { periodEnd, periodStart, type InactiveReason, type SubscriptionBilling, type SubscriptionPlan, type SubscriptionStatus } from '../../domain/plans';
import { activity } from './actions';

export interface SubscriptionMachineInput {
  now: number;
  plan: SubscriptionPlan;
  startAt: number;
  retryDelaysMs: number[];
  /** Absent: card (subscriptions from before invoices were issued). */
  billing?: SubscriptionBilling;
}

export interface SubscriptionContext {
  now: number;
  /** Absent: card. */
  billing?: SubscriptionBilling;
  plan: SubscriptionPlan;
  nextPlan?: SubscriptionPlan;
  /** Period `anchorPeriod` starts at `anchorAt`; later ones follow from it with the plan's period. */
  anchorAt: number;
  anchorPeriod: number;
  /** The period being billed, 1 for the first; 0 while scheduled. */
  period: number;
  /** Failed charges of the current period. */
  failures: number;
  /** Epoch ms of the next retry, while one waits. */
  retryAt?: number;
  retryDelaysMs: number[];
  statusReason?: InactiveReason;
}

interface Timed {
  at: number;
}

export interface ChargeOutcomeEvent extends Timed {
  type: 'CHARGE_SUCCEEDED' | 'CHARGE_FAILED';
  period: number;
  attempt: number;
  failureCode?: string;
}

export interface ChangePlanEvent extends Timed {
  type: 'CHANGE_PLAN';
  plan: SubscriptionPlan;
  actor: Actor;
}

export interface TerminateEvent extends Timed {
  type: 'TERMINATE';
  actor: Actor;
  reason?: string;
}

/** The period's invoice was made and its workflow started (billed by invoice). */
export interface InvoiceIssuedEvent extends Timed {
  type: 'INVOICE_ISSUED';
  period: number;
  documentId: string;
}

export type SubscriptionEvent = ChargeOutcomeEvent | ChangePlanEvent | TerminateEvent | InvoiceIssuedEvent;

/** Parameters of the chargeCard action: which attempt of which period, for how much. */
export interface ChargeCardParams {
  period: number;
  attempt: number;
  amount: number;
  currency: string;
}

/** Parameters of the issueInvoice action: the period invoiced, its dates and price. */
export interface IssueInvoiceParams {
  period: number;
  /** Epoch ms the period starts and ends. */
  from: number;
  to: number;
  planName: string;
  amount: number;
  currency: string;
}

const isCurrentAttempt = (context: SubscriptionContext, event: SubscriptionEvent): boolean =>
  (event.type === 'CHARGE_SUCCEEDED' || event.type === 'CHARGE_FAILED') && event.period === context.period && event.attempt === context.failures + 1;

const endOfPeriod = (context: SubscriptionContext): number => periodEnd(context.anchorAt, context.plan.period, context.period - context.anchorPeriod);

/** Where a period begins: its invoice issued, or its card charged. */
const beginPeriodIn = (invoicing: string, charging: string, ...actions: ('keepTime' | 'beginNextPeriod')[]) => [
  { guard: 'byInvoice' as const, target: invoicing, actions },
  { target: charging, actions },
];

/** A charge in flight: its success goes to `paidTarget`; a failure waits for a retry, or ends it when none is left. */
const chargingThen = (paidTarget: string) =>
  ({
    entry: {
      type: 'chargeCard',
      params: ({ context }: { context: SubscriptionContext }): ChargeCardParams => ({
        period: context.period,
        attempt: context.failures + 1,
        amount: context.plan.amount,
        currency: context.plan.currency,
      }),
    },
    on: {
      CHARGE_SUCCEEDED: { guard: 'currentSuccess', target: paidTarget, actions: ['keepTime', 'clearFailures'] },
      CHARGE_FAILED: [
        { guard: 'retryLeft', target: '#subscription.payment_failed.waiting', actions: ['keepTime', 'countFailure'] },
        { guard: 'currentFailure', target: '#subscription.inactive', actions: ['keepTime', 'countFailure', 'endCancelled'] },
      ],
    },
  }) as const;

export const subscriptionMachine = setup({
  types: {
    context: {} as SubscriptionContext,
    events: {} as SubscriptionEvent,
    input: {} as SubscriptionMachineInput,
  },
  guards: {
    notYetStarted: ({ context }) => context.anchorAt > context.now,
    byInvoice: ({ context }) => context.billing === 'invoice',
    currentPeriod: ({ context, event }) => event.type === 'INVOICE_ISSUED' && event.period === context.period,
    currentSuccess: ({ context, event }) => event.type === 'CHARGE_SUCCEEDED' && isCurrentAttempt(context, event),
    currentFailure: ({ context, event }) => event.type === 'CHARGE_FAILED' && isCurrentAttempt(context, event),
    retryLeft: ({ context, event }) => event.type === 'CHARGE_FAILED' && isCurrentAttempt(context, event) && context.failures < context.retryDelaysMs.length,
  },
  actions: {
    keepTime: assign({ now: ({ context, event }) => (typeof event.at === 'number' ? event.at : context.now) }),
    /** The next period begins: its plan is the one changed meanwhile, counted from here when its period length differs. */
    beginNextPeriod: assign(({ context }) => {
      const period = context.period + 1;
      const plan = context.nextPlan ?? context.plan;
      const start = context.period === 0 ? context.anchorAt : endOfPeriod(context);
      const reanchor = plan.period !== context.plan.period;
      return {
        period,
        plan,
        nextPlan: undefined,
        failures: 0,
        retryAt: undefined,
        ...(reanchor ? { anchorAt: start, anchorPeriod: period } : {}),
      };
    }),
    clearFailures: assign({ failures: 0, retryAt: undefined }),
    countFailure: assign(({ context }) => ({
      failures: context.failures + 1,
      retryAt: context.failures < context.retryDelaysMs.length ? context.now + (context.retryDelaysMs[context.failures] ?? 0) : undefined,
    })),
    takePlanNow: assign(({ event }) => (event.type === 'CHANGE_PLAN' ? { plan: event.plan, nextPlan: undefined } : {})),
    takePlanNextPeriod: assign(({ event }) => (event.type === 'CHANGE_PLAN' ? { nextPlan: event.plan } : {})),
    endCancelled: assign({ statusReason: 'cancelled' as const, retryAt: undefined }),
    endTerminated: assign({ statusReason: 'terminated' as const, retryAt: undefined }),
    chargeCard: activity<ChargeCardParams>(),
    issueInvoice: activity<IssueInvoiceParams>(),
  },
  delays: {
    untilStart: ({ context }) => Math.max(0, context.anchorAt - context.now),
    untilNextPeriod: ({ context }) => Math.max(0, endOfPeriod(context) - context.now),
    untilRetry: ({ context }) => Math.max(0, (context.retryAt ?? context.now) - context.now),
  },
}).createMachine({
  id: 'subscription',
  context: ({ input }) => ({
    now: input.now,
    plan: input.plan,
    anchorAt: input.startAt,
    anchorPeriod: 1,
    period: 0,
    failures: 0,
    retryDelaysMs: input.retryDelaysMs,
    ...(input.billing ? { billing: input.billing } : {}),
  }),
  initial: 'starting',
  on: {
    TERMINATE: { target: '.inactive', actions: ['keepTime', 'endTerminated'] },
  },
  states: {
    /** Transient: scheduled when the start is ahead, else the first period begins at once. */
    starting: {
      always: [{ guard: 'notYetStarted', target: 'scheduled' }, ...beginPeriodIn('active.invoicing', 'active', 'beginNextPeriod')],
    },
    scheduled: {
      after: { untilStart: beginPeriodIn('active.invoicing', 'active', 'keepTime', 'beginNextPeriod') },
      on: { CHANGE_PLAN: { actions: ['keepTime', 'takePlanNow'] } },
    },
    active: {
      initial: 'charging',
      on: { CHANGE_PLAN: { actions: ['keepTime', 'takePlanNextPeriod'] } },
      states: {
        charging: chargingThen('paid'),
        invoicing: {
          entry: {
            type: 'issueInvoice',
            params: ({ context }: { context: SubscriptionContext }): IssueInvoiceParams => ({
              period: context.period,
              from: periodStart(context.anchorAt, context.plan.period, context.period - context.anchorPeriod),
              to: endOfPeriod(context),
              planName: context.plan.name,
              amount: context.plan.amount,
              currency: context.plan.currency,
            }),
          },
          on: { INVOICE_ISSUED: { guard: 'currentPeriod', target: 'paid', actions: 'keepTime' } },
        },
        /** The period billed: charged, or its invoice issued. */
        paid: {
          after: { untilNextPeriod: beginPeriodIn('invoicing', 'charging', 'keepTime', 'beginNextPeriod') },
        },
      },
    },
    payment_failed: {
      initial: 'waiting',
      on: { CHANGE_PLAN: { actions: ['keepTime', 'takePlanNextPeriod'] } },
      states: {
        waiting: {
          after: { untilRetry: { target: 'charging', actions: 'keepTime' } },
        },
        charging: chargingThen('#subscription.active.paid'),
      },
    },
    inactive: {
      // The end: a late charge outcome, a plan change or a second termination is not taken.
      on: { TERMINATE: {} },
    },
  },
});

export type SubscriptionSnapshot = SnapshotFrom<typeof subscriptionMachine>;

/** What the subscription's state looks like from outside (query and update answers, the Subscription row). */
export interface SubscriptionView {
  status: SubscriptionStatus;
  statusReason?: InactiveReason;
  plan: SubscriptionPlan;
  /** The plan that applies from the next period (a change made while one was running). */
  nextPlan?: SubscriptionPlan;
  /** The period being billed, 1 for the first. */
  currentPeriod: number;
  /** Failed charges of the current period. */
  failures: number;
  /** Epoch ms of the next charge (period start or retry), while there will be one. */
  nextChargeAt?: number;
}


export function subscriptionStatus(snapshot: SubscriptionSnapshot): SubscriptionStatus {
  if (snapshot.matches('scheduled') || snapshot.matches('starting')) return 'scheduled';
  if (snapshot.matches('active')) return 'active';
  if (snapshot.matches('payment_failed')) return 'payment_failed';
  return 'inactive';
}

export const isSubscriptionOver = (snapshot: SubscriptionSnapshot): boolean => snapshot.matches('inactive');

/** The point where a run may continue as new: a period paid, waiting for the next. */
export const isBetweenPeriods = (snapshot: SubscriptionSnapshot): boolean => snapshot.matches({ active: 'paid' });

/** Why the machine would not take this seller's decision now, or undefined when it would. */
export function whyNotSubscription(snapshot: SubscriptionSnapshot, event: SubscriptionEvent): string | undefined {
  if (snapshot.matches('inactive')) return `The subscription is inactive (${snapshot.context.statusReason ?? 'ended'}).`;
  return snapshot.can(event) ? undefined : `The subscription cannot take ${event.type} now.`;
}

function nextChargeAt(snapshot: SubscriptionSnapshot): number | undefined {
  const { context } = snapshot;
  if (snapshot.matches('scheduled')) return context.anchorAt;
  if (snapshot.matches({ active: 'paid' })) return endOfPeriod(context);
  if (snapshot.matches({ payment_failed: 'waiting' })) return context.retryAt;
  if (snapshot.matches('inactive')) return undefined;
  return context.now;
}

export function subscriptionView(snapshot: SubscriptionSnapshot): SubscriptionView {
  const { context } = snapshot;
  const next = nextChargeAt(snapshot);
  return {
    status: subscriptionStatus(snapshot),
    ...(context.statusReason ? { statusReason: context.statusReason } : {}),
    plan: context.plan,
    ...(context.nextPlan ? { nextPlan: context.nextPlan } : {}),
    currentPeriod: context.period,
    failures: context.failures,
    ...(next !== undefined ? { nextChargeAt: next } : {}),
  };
}

