/**
 * The story of an invoice (seed 002): sent, read, reminded while unpaid, overdue after its due
 * date, paid online in full or in part, or cancelled. The rules live in machines/invoice.ts;
 * the story around them (recording, notifications, decisions, continue-as-new) is the one
 * every document shares (document-story.ts). Payments arrive as facts (signals) from the
 * verified provider webhook or the customer's return from the payment page; the machine
 * counts each provider payment once.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { PaymentActivities } from '../activities/types';
import type { InvoiceStatus } from '../domain/invoice';
import { plainMoney } from '../domain/summaries';
import { customerEmailActions, emailRecipient, reminderOf } from './customer-emails';
import { invoiceStateQuery, invoiceUpdates, paymentFailedSignal, paymentReceivedSignal, type InvoiceView, type InvoiceWorkflowInput } from './messages/invoice';
import { runDocumentStory } from './document-story';
import { decision, decisionEvent, fact, patiently } from './story';
import {
  invoiceMachine,
  invoiceStatus,
  invoiceView,
  isInvoiceClosed,
  whyNotInvoice,
  type InvoiceEvent,
} from './machines/invoice';

/** Rendering the receipt may take a while on long documents. */
const { recordPayment, closeHostedPayments } = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});

/** What an open invoice waits for, as operators read it. */
const WAITS_FOR: Partial<Record<InvoiceStatus, string>> = {
  draft: 'the seller to send it',
  sent: 'payment',
  viewed: 'payment',
  partially_paid: 'the rest of the payment',
  overdue: 'payment (overdue)',
};

export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceView> {
  const { tenantId, documentId } = input;

  const closed = await runDocumentStory(input, {
    kind: 'invoice',
    machine: invoiceMachine,
    machineInput: () => ({
      now: Date.now(),
      grossTotal: input.grossTotal,
      currency: input.currency,
      reminderAfterMs: input.reminderAfterMs,
      maxReminders: input.maxReminders,
      ...(input.dueDate !== undefined ? { dueDate: input.dueDate } : {}),
    }),
    status: invoiceStatus,
    isClosed: isInvoiceClosed,
    whyNot: whyNotInvoice,
    view: invoiceView,
    stateQuery: invoiceStateQuery,
    decisions: [
      decision(invoiceUpdates.remind, (decided): InvoiceEvent => decisionEvent('REMIND', decided)),
      decision(invoiceUpdates.cancel, (decided): InvoiceEvent => decisionEvent('CANCEL', decided)),
    ],
    facts: [
      fact(paymentReceivedSignal, (payment): InvoiceEvent => ({ type: 'PAYMENT_RECEIVED', at: Date.now(), actor: { kind: 'system' }, payment })),
      fact(paymentFailedSignal, (failure): InvoiceEvent => ({ type: 'PAYMENT_FAILED', at: Date.now(), actor: { kind: 'system' }, ...failure })),
    ],
    actions: {
      ...customerEmailActions({
        tenantId,
        documentId,
        send: input.send,
        emailsCustomer: true,
        templates: { firstSend: 'invoice_first_send', reminder: 'invoice_reminder' },
        what: { document: 'the invoice', recipient: emailRecipient(input), maxReminders: input.maxReminders },
      }),
      recordPayment: async ({ params }) => {
        await recordPayment.executeWithOptions({ summary: `record a payment of ${plainMoney(params.payment.amount, input.currency)}` }, [{ tenantId, documentId, ...params }]);
      },
      closeHostedPayments: async () => {
        await closeHostedPayments.executeWithOptions({ summary: 'close the payment pages' }, [{ tenantId, documentId }]);
      },
    },
    operator: {
      waitingFor: (snapshot) => WAITS_FOR[invoiceStatus(snapshot)],
      timer: (name, { context }) => (name === 'reminderDelay' ? reminderOf(context.remindersSent + 1, context.maxReminders) : name === 'untilDue' ? 'payment due date' : name),
      facts: ({ context }) => [
        ['Paid', `${plainMoney(context.paidTotal, input.currency)} of ${plainMoney(input.grossTotal, input.currency)}`],
        ['Reminders sent', context.maxReminders > 0 ? `${context.remindersSent} of ${context.maxReminders}` : undefined],
      ],
    },
  });
  return invoiceView(closed);
}
