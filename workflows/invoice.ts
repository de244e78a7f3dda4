/**
 * The story of an invoice (seed 002): sent, read, reminded while unpaid, overdue after its due
 * date, paid online in full or in part, or cancelled. The rules live in machines/invoice.ts;
 * the story around them (recording, notifications, decisions, continue-as-new) is the one
 * every document shares (document-story.ts). The customer's "Pay online" is a decision whose
 * answer is the payment page the machine had opened for what is due. Payments arrive as facts
 * (signals) from the verified provider webhook or the customer's return from the payment page,
 * or as what opening a page found; the machine counts each provider payment once.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { PaymentActivities } from '../activities/types';
import type { InvoiceStatus } from '../domain/invoice';
import { plainMoney } from '../domain/summaries';
import { confirmationActions, customerEmailActions, emailRecipient, reminderOf } from './customer-emails';
import { invoiceStateQuery, invoiceUpdates, paymentFailedSignal, paymentReceivedSignal, type InvoiceView, type InvoiceWorkflowInput } from './messages/invoice';
import { runDocumentStory } from './document-story';
import { answeredDecision, currentDecisionId, decision, decisionEvent, fact, patiently, refuseDecision } from './story';
import {
  invoiceMachine,
  invoiceStatus,
  invoiceView,
  isInvoiceClosed,
  JUST_PAID_REASON,
  paymentPageOf,
  whyNotInvoice,
  type InvoiceEvent,
  type InvoiceSnapshot,
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

/** A customer waits on the page: a provider that does not answer soon is said so, not waited out. */
const { openHostedPayment } = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { ...patiently, maximumAttempts: 3 },
});

export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceView> {
  const { tenantId, documentId, grossTotal, currency, reminderAfterMs, maxReminders, dueDate, received } = input;

  const closed = await runDocumentStory(input, {
    kind: 'invoice',
    machine: invoiceMachine,
    machineInput: () => ({
      now: Date.now(),
      grossTotal,
      currency,
      reminderAfterMs,
      maxReminders,
      ...(dueDate !== undefined ? { dueDate } : {}),
      ...(received ? { received } : {}),
    }),
    status: invoiceStatus,
    isClosed: isInvoiceClosed,
    whyNot: whyNotInvoice,
    view: invoiceView,
    stateQuery: invoiceStateQuery,
    decisions: [
      decision(invoiceUpdates.remind, (decided): InvoiceEvent => decisionEvent('REMIND', decided)),
      decision(invoiceUpdates.cancel, (decided): InvoiceEvent => decisionEvent('CANCEL', decided)),
      answeredDecision(
        invoiceUpdates.openPayment,
        (asked): InvoiceEvent => decisionEvent('OPEN_PAYMENT', asked),
        (snapshot: InvoiceSnapshot) => paymentPageOf(snapshot) ?? refuseDecision(JUST_PAID_REASON),
      ),
      // Received off line: counted as any payment, its id the seller's decision (the update id), so a retry counts it once.
      decision(invoiceUpdates.receivePayment, ({ actor, amount, method, receivedAt, reference }): InvoiceEvent => ({
        type: 'PAYMENT_RECEIVED',
        at: Date.now(),
        actor,
        payment: { paymentId: `offline:${currentDecisionId()}`, amount, currency, provider: 'offline', method, paidAt: receivedAt, ...(reference ? { reference } : {}) },
      })),
    ],
    facts: [
      fact(paymentReceivedSignal, (payment): InvoiceEvent => ({ type: 'PAYMENT_RECEIVED', at: Date.now(), actor: { kind: 'system' }, payment })),
      fact(paymentFailedSignal, (failure): InvoiceEvent => ({ type: 'PAYMENT_FAILED', at: Date.now(), actor: { kind: 'system' }, ...failure })),
    ],
    actions: (tools) => ({
      ...confirmationActions({ tenantId, documentId, emailsCustomer: true, send: input.send }, tools),
      ...customerEmailActions({
        tenantId,
        documentId,
        send: input.send,
        emailsCustomer: true,
        templates: { firstSend: 'invoice_first_send', reminder: 'invoice_reminder' },
        what: { document: 'the invoice', recipient: emailRecipient(input), maxReminders },
      }),
      recordPayment: async ({ params }) => {
        await recordPayment.executeWithOptions({ summary: `record a payment of ${plainMoney(params.payment.amount, currency)}` }, [{ tenantId, documentId, ...params }]);
      },
      closeHostedPayments: async () => {
        await closeHostedPayments.executeWithOptions({ summary: 'close the payment pages' }, [{ tenantId, documentId }]);
      },
      openHostedPayment: async ({ params }): Promise<InvoiceEvent> => {
        const opened = await openHostedPayment.executeWithOptions({ summary: `open a payment page for ${plainMoney(params.amountDue, currency)}` }, [{ tenantId, documentId, ...params }]);
        const answered = { at: Date.now(), actor: { kind: 'system' } } as const;
        return 'page' in opened ? { type: 'PAYMENT_PAGE_OPENED', ...answered, page: opened.page } : { type: 'PAYMENT_RECEIVED', ...answered, payment: opened.paid };
      },
    }),
    operator: {
      waitingFor: (snapshot) => WAITS_FOR[invoiceStatus(snapshot)],
      timer: (name, { context }) => (name === 'reminderDelay' ? reminderOf(context.remindersSent + 1, context.maxReminders) : name === 'untilDue' ? 'payment due date' : name),
      facts: ({ context }) => [
        ['Paid', `${plainMoney(context.paidTotal, currency)} of ${plainMoney(grossTotal, currency)}`],
        ['Reminders sent', context.maxReminders > 0 ? `${context.remindersSent} of ${context.maxReminders}` : undefined],
      ],
    },
  });
  return invoiceView(closed);
}
