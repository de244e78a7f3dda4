/**
 * The messages of the subscription workflow (workflows/subscription.ts), shared with api/ and
 * activities/. The seller's moves (change the plan, terminate) are Updates: the caller learns
 * at once whether they were taken; the update id is the caller's decision id. The current
 * state is a Query; lists come from PostgreSQL (the Subscription row), never from here.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/documents';
import type { SubscriptionBilling, SubscriptionPlan } from '../../domain/plans';
import type { SubscriptionView } from '../machines/subscription';
import type { StoryInput } from './document';

export type { SubscriptionView } from '../machines/subscription';

/** One workflow per subscription: `subscription-<subscriptionId>`. */
export const subscriptionWorkflowId = (subscriptionId: string): string => `subscription-${subscriptionId}`;

export interface SubscriptionWorkflowInput extends StoryInput {
  subscriptionId: string;
  /** The service request whose confirmation created it; absent when created directly. */
  requestId?: string;
  plan: SubscriptionPlan;
  /** Epoch ms the first period starts (the plan's startsAt, or the creation time). */
  startAt: number;
  /** Wait before each retry of a failed charge, in order; one more failure than retries makes it inactive. */
  retryDelaysMs: number[];
  /** card (absent: runs started before invoices) charges the saved card each period; invoice sends an invoice each period. */
  billing?: SubscriptionBilling;
  /** Continue as new after this many charged periods in one run; 1 when absent (tests of history set more). */
  periodsPerRun?: number;
}

export interface ChangePlanInput {
  plan: SubscriptionPlan;
  actor: Actor;
}

export interface TerminateSubscriptionInput {
  actor: Actor;
  reason?: string;
}

export const subscriptionUpdates = {
  changePlan: defineUpdate<SubscriptionView, [ChangePlanInput]>('changePlan'),
  terminate: defineUpdate<SubscriptionView, [TerminateSubscriptionInput]>('terminate'),
};

export const subscriptionStateQuery = defineQuery<SubscriptionView>('subscriptionState');
