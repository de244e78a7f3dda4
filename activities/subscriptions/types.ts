/** The subscription workflow's activities (activities/subscriptions/), as the workflow sees them. */
import type { SubscriptionView } from '../../workflows/messages/subscription';
import type { SavedCardChargeOutcome } from '../payment/saved-card';
import type { CreatedSubscription, CreateSubscriptionInput } from '../../services/subscriptions/create';

export interface ChargeSubscriptionInput {
  tenantId: string;
  subscriptionId: string;
  customerId: string;
  /** 1 for the first period. */
  period: number;
  /** 1 for the first try of the period. */
  attempt: number;
  amount: number;
  currency: string;
}

/** The subscription's state as the workflow's view says it, numbered by the workflow's transition count (a retried or older write changes nothing). */
export interface RecordSubscriptionInput extends SubscriptionView {
  tenantId: string;
  subscriptionId: string;
  seq: number;
}

export interface SubscriptionActivities {
  /** The subscription's row and its workflow's input; once per request. */
  createSubscription(input: CreateSubscriptionInput): Promise<CreatedSubscription>;
  /** One charge attempt of the customer's saved card, kept as a payment row; once per (period, attempt). */
  chargeSubscription(input: ChargeSubscriptionInput): Promise<SavedCardChargeOutcome>;
  /** Writes the subscription's state as the workflow sees it. */
  recordSubscription(input: RecordSubscriptionInput): Promise<void>;
}
