import type { PaymentMethod } from './offline';

/**
 * Invoices (seed 002: "faites-vous payer en ligne"): sent to the customer, read, paid online
 * or otherwise, in full or in part, overdue once the due date passes unpaid, or cancelled.
 */
export const INVOICE_STATUSES = ['draft', 'sent', 'viewed', 'partially_paid', 'overdue', 'paid', 'cancelled'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Statuses after which nothing more is paid or reminded. */
export const FINAL_INVOICE_STATUSES: readonly InvoiceStatus[] = ['paid', 'cancelled'];

/** Statuses in which the customer may still pay (what is left). */
export const PAYABLE_INVOICE_STATUSES: readonly InvoiceStatus[] = ['sent', 'viewed', 'partially_paid', 'overdue'];

/** A payment the invoice was told about (provider webhook, the customer's return, or the seller recording one received off line). */
export interface ReceivedPayment {
  /** The provider's payment id (pi_…), or the seller's decision for one received off line: one payment is counted once, however often it is reported. */
  paymentId: string;
  /** Minor units of the invoice's currency. */
  amount: number;
  currency: string;
  /** offline: received by transfer, cheque or cash, and recorded by the seller. */
  provider: 'stripe' | 'offline';
  /** A payment received off line: how, and the seller's reference (transfer id, cheque number). */
  method?: PaymentMethod;
  reference?: string;
  /** The hosted payment (Checkout Session) it came through, if any. */
  sessionId?: string;
  /** Epoch ms when the provider took it. */
  paidAt: number;
}

/** Payment terms of a tenant that set none (settings.invoiceDueAfter, the column's default). */
export const DEFAULT_INVOICE_DUE_AFTER = 'P30D';

/** A payment page handed to the customer: where they pay, and the provider's session (cs_…) behind it. */
export interface PaymentPage {
  url: string;
  sessionId: string;
}

/** What is left to pay on an invoice, minor units; never below zero (an overpayment owes nothing back here). */
export function amountLeftToPay(invoice: { grossTotal: number; paidTotal: number }): number {
  return Math.max(0, invoice.grossTotal - invoice.paidTotal);
}
