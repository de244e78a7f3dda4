/**
 * The story of an invoice (seed 002): sent, read, reminded while unpaid, overdue after its due
 * date, paid online in full or in part, or cancelled. The rules live in machines/invoice.ts;
 * the story around them (recording, notifications, decisions, continue-as-new) is the one
 * every document shares (document-story.ts). Payments arrive as facts (signals) from the
 * verified provider webhook or the customer's return from the payment page; the machine
 * counts each provider payment once.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GreenlightActivities, PaymentActivities } from '../activities/types';
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

/** Rendering the PDF (attachment, receipt) may take a while on long documents. */
const { sendDocumentEmail, recordPayment, closeHostedPayments } = proxyActivities<GreenlightActivities & PaymentActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});

export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceView> {
  const { workflowId } = workflowInfo();
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
      sendFirstEmail: async () => {
        await sendDocumentEmail({
          tenantId,
          documentId,
          template: 'invoice_first_send',
          to: input.send.to,
          message: input.send.message,
          attachPdf: input.send.attachPdf,
          idempotencyKey: `${workflowId}#first_send`,
        });
      },
      sendReminderEmail: async ({ params }) => {
        await sendDocumentEmail({
          tenantId,
          documentId,
          template: 'invoice_reminder',
          to: input.send.to,
          attachPdf: input.send.attachPdf,
          idempotencyKey: `${workflowId}#reminder#${params.reminder}`,
        });
      },
      recordPayment: async ({ params }) => {
        await recordPayment({ tenantId, documentId, ...params });
      },
      closeHostedPayments: async () => {
        await closeHostedPayments({ tenantId, documentId });
      },
    },
  });
  return invoiceView(closed);
}
