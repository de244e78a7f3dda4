/**
 * The subscription machine on its own: pure stepping with XState's `initialTransition`/`transition`.
 * Scheduled until its start, a charge each period, failures retried on the schedule then
 * cancelled, plan changes at the next period (at once while scheduled), termination, and the
 * moves it refuses.
 */
import { initialTransition, transition } from 'xstate';
import type { Actor } from '../../../domain/documents';
import {
  subscriptionMachine,
  subscriptionStatus,
  subscriptionView,
  whyNotSubscription,
  type SubscriptionEvent,
  type SubscriptionMachineInput,
  type SubscriptionSnapshot,
} from '../../../workflows/machines/subscription';
import type { SubscriptionPlan } from '../../../domain/plans';

const T0 = Date.UTC(2026, 0, 31, 9, 0, 0);
const DAY = 86_400_000;
const seller: Actor = { kind: 'seller', apiKeyId: 'key-1' };
const basic: SubscriptionPlan = { name: 'Basic', amount: 1000, currency: 'EUR', period: 'monthly' };
const premium: SubscriptionPlan = { name: 'Premium', amount: 2500, currency: 'EUR', period: 'monthly' };

interface Action {
  type: string;
  params?: unknown;
}

const INPUT: SubscriptionMachineInput = { now: T0, plan: basic, startAt: T0, retryDelaysMs: [1 * DAY, 3 * DAY] };

function start(input: SubscriptionMachineInput = INPUT): { snapshot: SubscriptionSnapshot; actions: Action[] } {
  const [snapshot, actions] = initialTransition(subscriptionMachine, input) as [SubscriptionSnapshot, Action[]];
  return { snapshot, actions };
}

function step(snapshot: SubscriptionSnapshot, event: SubscriptionEvent): { snapshot: SubscriptionSnapshot; actions: Action[] } {
  const [next, actions] = transition(subscriptionMachine, snapshot, event) as [SubscriptionSnapshot, Action[]];
  return { snapshot: next, actions };
}

/** A delayed event as the interpreter feeds it back when its deadline fires. */
const fire = (snapshot: SubscriptionSnapshot, actions: Action[], at: number) => {
  const raise = raised(actions)[0];
  if (!raise) throw new Error('no timer armed');
  return step(snapshot, { type: raise.event.type, at } as unknown as SubscriptionEvent);
};
const raised = (actions: Action[]) =>
  actions
    .filter((action) => action.type === 'xstate.raise')
    .map((action) => action.params as { event: { type: string }; delay: number })
    .filter((raise) => Number.isFinite(raise.delay));
const charges = (actions: Action[]) => actions.filter((action) => action.type === 'chargeCard').map((action) => action.params);
const succeeded = (period: number, attempt: number, at: number): SubscriptionEvent => ({ type: 'CHARGE_SUCCEEDED', period, attempt, at });
const failed = (period: number, attempt: number, at: number): SubscriptionEvent => ({ type: 'CHARGE_FAILED', period, attempt, at, failureCode: 'card_declined' });

describe('subscription machine', () => {
  it('starting now: active, charges period 1 at once, then waits for the end of the period', () => {
    const { snapshot, actions } = start();
    expect(subscriptionStatus(snapshot)).toBe('active');
    expect(charges(actions)).toEqual([{ period: 1, attempt: 1, amount: 1000, currency: 'EUR' }]);

    const paid = step(snapshot, succeeded(1, 1, T0 + 1000));
    expect(paid.snapshot.matches({ active: 'paid' })).toBe(true);
    // 31 January + one calendar month = 28 February, counted from the charge's time.
    expect(raised(paid.actions).map((raise) => raise.delay)).toEqual([Date.UTC(2026, 1, 28, 9) - (T0 + 1000)]);
    expect(subscriptionView(paid.snapshot)).toMatchObject({ status: 'active', currentPeriod: 1, failures: 0, nextChargeAt: Date.UTC(2026, 1, 28, 9) });

    const second = fire(paid.snapshot, paid.actions, Date.UTC(2026, 1, 28, 9));
    expect(charges(second.actions)).toEqual([{ period: 2, attempt: 1, amount: 1000, currency: 'EUR' }]);
    expect(subscriptionView(second.snapshot).currentPeriod).toBe(2);
  });

  it('starting in the future: scheduled, then active at its start', () => {
    const { snapshot, actions } = start({ ...INPUT, startAt: T0 + 10 * DAY });
    expect(subscriptionStatus(snapshot)).toBe('scheduled');
    expect(charges(actions)).toEqual([]);
    expect(raised(actions).map((raise) => raise.delay)).toEqual([10 * DAY]);
    expect(subscriptionView(snapshot)).toMatchObject({ status: 'scheduled', currentPeriod: 0, nextChargeAt: T0 + 10 * DAY });

    const started = fire(snapshot, actions, T0 + 10 * DAY);
    expect(subscriptionStatus(started.snapshot)).toBe('active');
    expect(charges(started.actions)).toEqual([{ period: 1, attempt: 1, amount: 1000, currency: 'EUR' }]);
  });

  it('billed by invoice: each period issues its invoice instead of a charge, from the start or once scheduled', () => {
    const invoices = (actions: Action[]) => actions.filter((action) => action.type === 'issueInvoice').map((action) => action.params);
    const byInvoice = { ...INPUT, billing: 'invoice' as const };
    const { snapshot, actions } = start(byInvoice);
    expect(snapshot.matches({ active: 'invoicing' })).toBe(true);
    expect(charges(actions)).toEqual([]);
    const february = Date.UTC(2026, 1, 28, 9);
    expect(invoices(actions)).toEqual([{ period: 1, from: T0, to: february, planName: 'Basic', amount: 1000, currency: 'EUR' }]);
    // Only the period in flight's invoice counts.
    expect(step(snapshot, { type: 'INVOICE_ISSUED', period: 2, documentId: 'doc_2', at: T0 }).snapshot.matches({ active: 'invoicing' })).toBe(true);

    const issued = step(snapshot, { type: 'INVOICE_ISSUED', period: 1, documentId: 'doc_1', at: T0 + 1000 });
    expect(subscriptionView(issued.snapshot)).toMatchObject({ status: 'active', currentPeriod: 1, nextChargeAt: february });
    const second = fire(issued.snapshot, issued.actions, february);
    expect(invoices(second.actions)).toEqual([{ period: 2, from: february, to: Date.UTC(2026, 2, 31, 9), planName: 'Basic', amount: 1000, currency: 'EUR' }]);
    expect(charges(second.actions)).toEqual([]);

    const scheduled = start({ ...byInvoice, startAt: T0 + 10 * DAY });
    expect(subscriptionStatus(scheduled.snapshot)).toBe('scheduled');
    const begun = fire(scheduled.snapshot, scheduled.actions, T0 + 10 * DAY);
    expect(invoices(begun.actions)).toEqual([expect.objectContaining({ period: 1, from: T0 + 10 * DAY })]);
  });

  it('a failed charge: payment_failed, retried on the schedule, active again on success', () => {
    const first = step(start().snapshot, failed(1, 1, T0));
    expect(subscriptionView(first.snapshot)).toMatchObject({ status: 'payment_failed', failures: 1, nextChargeAt: T0 + DAY });
    expect(raised(first.actions).map((raise) => raise.delay)).toEqual([DAY]);

    const retry = fire(first.snapshot, first.actions, T0 + DAY);
    expect(charges(retry.actions)).toEqual([{ period: 1, attempt: 2, amount: 1000, currency: 'EUR' }]);

    const again = step(retry.snapshot, failed(1, 2, T0 + DAY));
    expect(subscriptionView(again.snapshot)).toMatchObject({ status: 'payment_failed', failures: 2, nextChargeAt: T0 + 4 * DAY });
    const retry2 = fire(again.snapshot, again.actions, T0 + 4 * DAY);
    expect(charges(retry2.actions)).toEqual([{ period: 1, attempt: 3, amount: 1000, currency: 'EUR' }]);

    const recovered = step(retry2.snapshot, succeeded(1, 3, T0 + 4 * DAY));
    expect(subscriptionView(recovered.snapshot)).toMatchObject({ status: 'active', failures: 0, currentPeriod: 1, nextChargeAt: Date.UTC(2026, 1, 28, 9) });
  });

  it('the failure that finds no retry left makes it inactive, cancelled', () => {
    let current = step(start().snapshot, failed(1, 1, T0));
    current = fire(current.snapshot, current.actions, T0 + DAY);
    current = step(current.snapshot, failed(1, 2, T0 + DAY));
    current = fire(current.snapshot, current.actions, T0 + 4 * DAY);
    current = step(current.snapshot, failed(1, 3, T0 + 4 * DAY));
    expect(subscriptionView(current.snapshot)).toEqual({ status: 'inactive', statusReason: 'cancelled', plan: basic, currentPeriod: 1, failures: 3 });
    expect(raised(current.actions)).toEqual([]);
  });

  it('no retries configured: the first failure cancels', () => {
    const { snapshot } = step(start({ ...INPUT, retryDelaysMs: [] }).snapshot, failed(1, 1, T0));
    expect(subscriptionView(snapshot)).toMatchObject({ status: 'inactive', statusReason: 'cancelled' });
  });

  it('a plan change while active applies from the next period, without proration', () => {
    const paid = step(start().snapshot, succeeded(1, 1, T0));
    const changed = step(paid.snapshot, { type: 'CHANGE_PLAN', plan: premium, actor: seller, at: T0 + DAY });
    expect(subscriptionView(changed.snapshot)).toMatchObject({ status: 'active', plan: basic, nextPlan: premium });
    // The period's timer is not touched by the change.
    expect(raised(changed.actions)).toEqual([]);
    const next = fire(paid.snapshot, paid.actions, Date.UTC(2026, 1, 28, 9));
    expect(charges(next.actions)).toEqual([{ period: 2, attempt: 1, amount: 1000, currency: 'EUR' }]);
    const nextChanged = fire(changed.snapshot, paid.actions, Date.UTC(2026, 1, 28, 9));
    expect(charges(nextChanged.actions)).toEqual([{ period: 2, attempt: 1, amount: 2500, currency: 'EUR' }]);
    expect(subscriptionView(nextChanged.snapshot).nextPlan).toBeUndefined();
  });

  it('a plan with another period length counts its periods from the period it applies to', () => {
    const paid = step(start().snapshot, succeeded(1, 1, T0));
    const yearly: SubscriptionPlan = { ...premium, period: 'yearly' };
    const changed = step(paid.snapshot, { type: 'CHANGE_PLAN', plan: yearly, actor: seller, at: T0 + DAY });
    const second = fire(changed.snapshot, paid.actions, Date.UTC(2026, 1, 28, 9));
    const paid2 = step(second.snapshot, succeeded(2, 1, Date.UTC(2026, 1, 28, 9)));
    expect(subscriptionView(paid2.snapshot).nextChargeAt).toBe(Date.UTC(2027, 1, 28, 9));
  });

  it('a plan change while scheduled applies at once', () => {
    const { snapshot } = start({ ...INPUT, startAt: T0 + DAY });
    const changed = step(snapshot, { type: 'CHANGE_PLAN', plan: premium, actor: seller, at: T0 });
    expect(subscriptionView(changed.snapshot)).toMatchObject({ status: 'scheduled', plan: premium });
    expect(subscriptionView(changed.snapshot).nextPlan).toBeUndefined();
  });

  it('a plan change while payment_failed keeps the retry and applies next period', () => {
    const failing = step(start().snapshot, failed(1, 1, T0));
    const changed = step(failing.snapshot, { type: 'CHANGE_PLAN', plan: premium, actor: seller, at: T0 + 1000 });
    expect(subscriptionView(changed.snapshot)).toMatchObject({ status: 'payment_failed', plan: basic, nextPlan: premium, nextChargeAt: T0 + DAY });
    const retry = fire(changed.snapshot, failing.actions, T0 + DAY);
    expect(charges(retry.actions)).toEqual([{ period: 1, attempt: 2, amount: 1000, currency: 'EUR' }]);
  });

  it.each([
    ['scheduled', () => start({ ...INPUT, startAt: T0 + DAY }).snapshot],
    ['active, charging', () => start().snapshot],
    ['active, paid', () => step(start().snapshot, succeeded(1, 1, T0)).snapshot],
    ['payment_failed', () => step(start().snapshot, failed(1, 1, T0)).snapshot],
  ])('terminating from %s: inactive, terminated, no timer left', (_, from) => {
    const { snapshot, actions } = step(from(), { type: 'TERMINATE', actor: seller, at: T0 + 2000 });
    expect(subscriptionView(snapshot)).toMatchObject({ status: 'inactive', statusReason: 'terminated' });
    expect(subscriptionView(snapshot).nextChargeAt).toBeUndefined();
    expect(charges(actions)).toEqual([]);
    expect(raised(actions)).toEqual([]);
  });

  it('inactive refuses everything, and says why', () => {
    const { snapshot } = step(start().snapshot, { type: 'TERMINATE', actor: seller, at: T0 });
    const terminate = { type: 'TERMINATE', actor: seller, at: T0 + 1 } as const;
    const change = { type: 'CHANGE_PLAN', plan: premium, actor: seller, at: T0 + 1 } as const;
    expect(snapshot.can(terminate)).toBe(false);
    expect(snapshot.can(change)).toBe(false);
    expect(whyNotSubscription(snapshot, terminate)).toBe('The subscription is inactive (terminated).');
    expect(whyNotSubscription(snapshot, change)).toBe('The subscription is inactive (terminated).');
    const late = step(snapshot, succeeded(1, 1, T0 + 2));
    expect(late.snapshot.value).toEqual(snapshot.value);
    expect(late.actions).toEqual([]);
  });

  it('a charge outcome for another attempt, or when none is in flight, changes nothing', () => {
    const charging = start().snapshot;
    expect(charging.can(succeeded(1, 2, T0))).toBe(false);
    expect(charging.can(failed(2, 1, T0))).toBe(false);
    const paid = step(charging, succeeded(1, 1, T0)).snapshot;
    const repeated = step(paid, succeeded(1, 1, T0 + 1));
    expect(repeated.snapshot.value).toEqual(paid.value);
    expect(repeated.actions.filter((action) => action.type === 'chargeCard')).toEqual([]);
    expect(paid.can(failed(1, 1, T0 + 1))).toBe(false);
  });

  it('allows seller decisions in every live state', () => {
    for (const snapshot of [start({ ...INPUT, startAt: T0 + DAY }).snapshot, start().snapshot, step(start().snapshot, failed(1, 1, T0)).snapshot]) {
      expect(whyNotSubscription(snapshot, { type: 'CHANGE_PLAN', plan: premium, actor: seller, at: T0 })).toBeUndefined();
      expect(whyNotSubscription(snapshot, { type: 'TERMINATE', actor: seller, at: T0 })).toBeUndefined();
    }
  });
});
