/**
 * The invoice workflow's messages (workflows/invoice.ts), shared with api/: the seller's moves
 * under the names every document uses, the customer's request for the payment page, and the
 * payment provider's reports as facts.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PaymentPage, ReceivedPayment } from '../../domain/invoice';
import type { PaymentMethod } from '../../domain/offline';
import type { InvoiceView, ReceivedBefore } from '../machines/invoice';
import type { DecisionInput, DocumentWorkflowInput, DraftStart, SendInstructions } from './document';

export type { InvoiceView } from '../machines/invoice';

/** Input of invoiceWorkflow: the invoice sent, reminded and paid (machines/invoice.ts). */
export interface InvoiceWorkflowInput extends DocumentWorkflowInput, DraftStart {
  /** Minor units: what the customer owes in all. */
  grossTotal: number;
  currency: string;
  /** Paid before it was sent (a quote's deposit carried over): counted from the start. */
  received?: ReceivedBefore;
  /** Epoch ms; the invoice is overdue after it. Absent: never overdue. */
  dueDate?: number;
  reminderAfterMs: number;
  maxReminders: number;
  send: SendInstructions;
}

/** The customer's "Pay online": refused with the machine's reason, else the page to send them to. */
export interface OpenPaymentInput extends DecisionInput {
  /** The tenant offers online payment (its settings, read when the customer asks). */
  payOnline: boolean;
  /** The customer's link (absolute URL): the provider sends them back there, paid or not. */
  linkUrl: string;
  /** Whom the link was sent to: filled in on the payment page. */
  customerEmail?: string;
}

/** The seller records a payment received off line (transfer, cheque, cash). */
export interface ReceivePaymentInput extends DecisionInput {
  /** Minor units of the invoice's currency. */
  amount: number;
  method: PaymentMethod;
  /** Epoch ms the money came in. */
  receivedAt: number;
  reference?: string;
}

export const invoiceUpdates = {
  remind: defineUpdate<InvoiceView, [DecisionInput]>('remind'),
  cancel: defineUpdate<InvoiceView, [DecisionInput]>('cancel'),
  openPayment: defineUpdate<PaymentPage, [OpenPaymentInput]>('openPayment'),
  receivePayment: defineUpdate<InvoiceView, [ReceivePaymentInput]>('receivePayment'),
} as const;

/** The payment provider took money (a verified webhook, or the customer back from the payment page). */
export const paymentReceivedSignal = defineSignal<[ReceivedPayment]>('paymentReceived');
/** The provider refused a card for this invoice. */
export const paymentFailedSignal = defineSignal<[PaymentFailure]>('paymentFailed');

export interface PaymentFailure {
  paymentId: string;
  /** The provider's event: a failure reported again is recorded once. */
  eventId: string;
  failureCode?: string;
  failureMessage?: string;
}

export const invoiceStateQuery = defineQuery<InvoiceView>('state');
