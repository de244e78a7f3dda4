/**
 * Sending an invoice (the back office's send, a subscription's period): what its workflow needs
 * beyond every document's story — the amount owed, what was already received (a quote's deposit
 * carried over), the due date (overdue after it) and the reminder schedule (the quote's
 * settings: reminderAfter, maxReminders).
 */
import type { TenantSettings } from '../generated/prisma/client';
import { durationToMs } from '../domain/durations';
import type { InvoiceWorkflowInput } from '../workflows/messages/invoice';

type InvoiceStory = Omit<InvoiceWorkflowInput, 'grossTotal' | 'currency' | 'dueDate' | 'reminderAfterMs' | 'maxReminders'>;

export function invoiceWorkflowInput(
  story: InvoiceStory,
  invoice: { grossTotal: number; currency: string; dueDate: Date | null; received?: { id: string; amount: number }[] },
  settings: Pick<TenantSettings, 'reminderAfter' | 'maxReminders'>,
): InvoiceWorkflowInput {
  const received = invoice.received ?? [];
  return {
    ...story,
    grossTotal: invoice.grossTotal,
    currency: invoice.currency,
    ...(received.length ? { received: { total: received.reduce((sum, payment) => sum + payment.amount, 0), paymentIds: received.map((payment) => payment.id) } } : {}),
    ...(invoice.dueDate ? { dueDate: invoice.dueDate.getTime() } : {}),
    reminderAfterMs: durationToMs(settings.reminderAfter),
    maxReminders: settings.maxReminders,
  };
}
