/**
 * A subscription's plan (seed 004: a request "avec forfait associé") and the period arithmetic
 * its workflow bills on. Pure: no clock; callers pass epoch ms.
 *
 * Periods are counted from one anchor (the subscription's start): period n starts at
 * anchor + n periods, each computed from the anchor, never from the previous boundary, so a
 * subscription started on 31 January is billed on 28/29 February, then 31 March again.
 * Monthly and yearly are calendar periods in UTC; an ISO 8601 duration ('P2W', 'PT5S' in
 * tests) is a fixed length.
 */
import { durationToMs, isIsoDuration } from './durations';

export const CALENDAR_PERIODS = ['monthly', 'yearly'] as const;
export type CalendarPeriod = (typeof CALENDAR_PERIODS)[number];
/** 'monthly', 'yearly', or an ISO 8601 duration such as 'P14D' or 'PT5S'. */
export type PlanPeriod = CalendarPeriod | (string & {});

export interface Plan {
  name: string;
  /** Minor units charged per period. */
  amount: number;
  /** ISO 4217; the tenant's or the request's currency when absent. */
  currency?: string;
  period: PlanPeriod;
  /** ISO date or date-time; in the future the subscription starts scheduled. */
  startsAt?: string;
}

/** A plan whose currency is settled (the tenant's when the plan named none): what a subscription bills. */
export type SubscriptionPlan = Plan & { currency: string };

/** How a subscription bills each period: the customer's saved card charged, or an invoice sent to pay online. */
export const SUBSCRIPTION_BILLINGS = ['card', 'invoice'] as const;
export type SubscriptionBilling = (typeof SUBSCRIPTION_BILLINGS)[number];

export const SUBSCRIPTION_STATUSES = ['scheduled', 'active', 'payment_failed', 'inactive'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
/** Why an inactive subscription is: too many failed payments, or the seller ended it. */
export type InactiveReason = 'cancelled' | 'terminated';

export function isPlanPeriod(period: string): period is PlanPeriod {
  return (CALENDAR_PERIODS as readonly string[]).includes(period) || isIsoDuration(period);
}

/** Adds `months` calendar months in UTC, keeping the day of month or the month's last day when it has fewer. */
function addUtcMonths(at: number, months: number): number {
  const date = new Date(at);
  const targetMonth = date.getUTCMonth() + months;
  const firstOfTarget = Date.UTC(date.getUTCFullYear(), targetMonth, 1);
  const daysInTarget = new Date(Date.UTC(date.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), daysInTarget);
  const timeOfDay = at - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return firstOfTarget + (day - 1) * 86_400_000 + timeOfDay;
}

/** Epoch ms at which period `n` (0 = the first) starts, for a subscription anchored at `anchor`. */
export function periodStart(anchor: number, period: PlanPeriod, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`period number must be a natural number, got ${n}`);
  if (period === 'monthly') return addUtcMonths(anchor, n);
  if (period === 'yearly') return addUtcMonths(anchor, 12 * n);
  const length = durationToMs(period);
  if (!(length > 0)) throw new RangeError(`not a plan period: ${period}`);
  return anchor + n * length;
}

/** Epoch ms at which period `n` ends (and period n + 1 starts). */
export function periodEnd(anchor: number, period: PlanPeriod, n: number): number {
  return periodStart(anchor, period, n + 1);
}

/** When the plan's subscription starts: its startsAt, or `now` when absent or already past. */
export function planStart(plan: Pick<Plan, 'startsAt'>, now: number): number {
  if (plan.startsAt === undefined) return now;
  const at = Date.parse(plan.startsAt);
  if (Number.isNaN(at)) throw new RangeError(`startsAt is not a date: ${plan.startsAt}`);
  return Math.max(at, now);
}

/** Default schedule of retries after a failed charge: 1, 3 and 5 days after the failure that precedes each. */
export const DEFAULT_RETRY_DELAYS = ['P1D', 'P3D', 'P5D'] as const;
