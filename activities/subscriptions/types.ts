/** The subscription workflow's activities (activities/subscriptions/), as the workflow sees them. */
import type { InvoiceWorkflowInput } from '../../workflows/messages/invoice';
import type { SubscriptionView } from '../../workflows/messages/subscription';
import type { IssueInvoiceParams } from '../../workflows/machines/subscription';
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

/** A period's invoice to issue (billed by invoice): the machine's parameters, with whose and when. */
export interface IssueSubscriptionInvoiceInput extends IssueInvoiceParams {
  tenantId: string;
  subscriptionId: string;
  customerId: string;
  /** Epoch ms it is issued: its number's year, its due date counted from it. */
  at: number;
}

/** The period's invoice, and what its workflow (`invoice-<documentId>`) starts with. */
export interface IssuedSubscriptionInvoice {
  documentId: string;
  number: string;
  workflowInput: InvoiceWorkflowInput;
}

export interface SubscriptionActivities {
  /** The subscription's row and its workflow's input; once per request. */
  createSubscription(input: CreateSubscriptionInput): Promise<CreatedSubscription>;
  /** One charge attempt of the customer's saved card, kept as a payment row; once per (period, attempt). */
  chargeSubscription(input: ChargeSubscriptionInput): Promise<SavedCardChargeOutcome>;
  /** The period's invoice document, made once per (subscription, period), its `created` event recorded; what its workflow starts with. */
  issueSubscriptionInvoice(input: IssueSubscriptionInvoiceInput): Promise<IssuedSubscriptionInvoice>;
  /** Writes the subscription's state as the workflow sees it. */
  recordSubscription(input: RecordSubscriptionInput): Promise<void>;
}
