/**
 * The messages of the subscription workflow (workflows/subscription.ts), shared with api/ and
 * activities/. The seller's moves (change the plan, terminate) are Updates: the caller learns
 * at once whether they were taken; the update id is the caller's decision id. The current
 * state is a Query; lists come from PostgreSQL (the Subscription row), never from here.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/documents';
import type { Plan } from '../domain/plans';
import type { SavedMachine } from './machine-runner';

/** One workflow per subscription: `subscription-<subscriptionId>`. */
export const subscriptionWorkflowId = (subscriptionId: string): string => `subscription-${subscriptionId}`;

export const SUBSCRIPTION_STATUSES = ['scheduled', 'active', 'payment_failed', 'inactive'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
/** Why an inactive subscription is: too many failed payments, or the seller ended it. */
export type InactiveReason = 'cancelled' | 'terminated';

/** A plan whose currency is settled (the tenant's when the plan named none). */
export type SubscriptionPlan = Plan & { currency: string };

export interface SubscriptionWorkflowInput {
  tenantId: string;
  subscriptionId: string;
  customerId: string;
  /** The service request whose confirmation created it; absent when created directly. */
  requestId?: string;
  plan: SubscriptionPlan;
  /** Epoch ms the first period starts (the plan's startsAt, or the creation time). */
  startAt: number;
  /** Wait before each retry of a failed charge, in order; one more failure than retries makes it inactive. */
  retryDelaysMs: number[];
  /** Continue as new after this many charged periods in one run; 1 when absent (tests of history set more). */
  periodsPerRun?: number;
  /** Set when continuing as new. */
  resume?: SubscriptionResume;
}

/** Carried across continue-as-new (Temporal forgets update ids across runs; the workflow must not). */
export interface SubscriptionResume {
  machine: SavedMachine;
  transitionSeq: number;
  decisionIds: string[];
}

export interface ChangePlanInput {
  plan: SubscriptionPlan;
  actor: Actor;
}

export interface TerminateSubscriptionInput {
  actor: Actor;
  reason?: string;
}

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

export const subscriptionUpdates = {
  changePlan: defineUpdate<SubscriptionView, [ChangePlanInput]>('changePlan'),
  terminate: defineUpdate<SubscriptionView, [TerminateSubscriptionInput]>('terminate'),
};

export const subscriptionStateQuery = defineQuery<SubscriptionView>('subscriptionState');
