/**
 * The customer's emails of a document sent for a decision (quotes, orders, delivery notes): the
 * first send and each reminder, in the templates the kind names. Keyed by the workflow and the
 * reminder's number, so a retried activity sends each email once. A document signed through an
 * external provider gets none of ours: the provider writes to the customer.
 *
 * And the confirmation once the customer's answer is recorded (accepted, signed, approved,
 * paid; a request confirmed or declined), which every kind's workflow runs the same way.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GreenlightActivities, SendDocumentEmailInput, SendDocumentSmsInput } from '../activities/types';
import type { ConfirmParams, ReminderParams } from './machines/actions';
import type { SendInstructions } from './messages/document';
import { patiently, type StoryTools } from './story';
import { recipientName } from '../domain/summaries';
import { patched } from './patches';

/**
 * How a document's messages to its customer run. Rendering the PDF for the attachment may take
 * a while on long documents; the activity beats while it runs (activities/heartbeat.ts), so a
 * worker that dies mid-send is noticed within the heartbeat timeout and the message retried
 * (sent once: keyed) on another worker — not once the two minutes are out, with the document's
 * next steps (a customer's answer just taken) waiting behind it.
 */
export const CUSTOMER_MESSAGES = { startToCloseTimeout: '2 minutes', heartbeatTimeout: '30 seconds', retry: patiently } as const;

const { sendDocumentEmail, sendDocumentSms, sendConfirmationEmail } = proxyActivities<GreenlightActivities>(CUSTOMER_MESSAGES);

/** The recipient of the emails a send names: none of its phone number (the contact's email, else the customer's, then). */
export function emailTo(to: SendInstructions['to']): SendDocumentEmailInput['to'] {
  return to && 'phone' in to ? undefined : to;
}

/** What a document's message to its customer carries, whichever way it goes. */
type CustomerMessage = Omit<SendDocumentEmailInput, 'to' | 'attachPdf'>;

/**
 * The document's link to its customer on the send's channel: an email (with the PDF when asked),
 * or a text to the send's number or contact (`channel: "sms"`). Documents sent before SMS
 * existed are all email: their commands replay unchanged.
 */
export function messageCustomer(send: SendInstructions, summary: string, message: CustomerMessage) {
  if (send.channel === 'sms') {
    const to: SendDocumentSmsInput['to'] = send.to && !('email' in send.to) ? send.to : undefined;
    return sendDocumentSms.executeWithOptions({ summary: summary.replace(/^email/, 'text') }, [{ ...message, ...(to ? { to } : {}) }]);
  }
  const to = emailTo(send.to);
  return sendDocumentEmail.executeWithOptions({ summary }, [{ ...message, ...(to ? { to } : {}), attachPdf: send.attachPdf }]);
}

export interface CustomerEmails {
  tenantId: string;
  documentId: string;
  send: SendInstructions;
  emailsCustomer: boolean;
  templates: { firstSend: SendDocumentEmailInput['template']; reminder: SendDocumentEmailInput['template'] };
  /** When no email of ours goes out: who reminds the customer instead (the signature's provider, workflows/signature.ts). */
  remindElsewhere?: () => Promise<void>;
  /** How the emails' activities are summarised for operators: "email the quote to ACME AB". */
  what: EmailSummary;
  /** Keys the reminders of a later run apart from an earlier run's (a reopened quote's version); absent: the first run's. */
  reminderRound?: string;
}

export interface EmailSummary {
  /** "the quote", "the order". */
  document: string;
  recipient: string;
  maxReminders: number;
}

/** Who a document's customer emails go to, as a summary names them. */
export function emailRecipient(input: { send: SendInstructions; customerName?: string }): string {
  const { to } = input.send;
  return recipientName(to && 'email' in to ? to : undefined, input.customerName);
}

/** "reminder 1 of 3"; a reminder the seller asks beyond the automatic ones has no "of". */
export function reminderOf(reminder: number, maxReminders: number): string {
  return reminder <= maxReminders ? `reminder ${reminder} of ${maxReminders}` : `reminder ${reminder}`;
}

/** The summaries of a document's first email and its reminders. */
export function emailSummaries({ document, recipient, maxReminders }: EmailSummary) {
  return {
    firstSend: `email ${document} to ${recipient}`,
    reminder: ({ reminder, automatic }: ReminderParams) => `email ${reminderOf(reminder, maxReminders)}${automatic ? '' : ' (asked by the seller)'} for ${document} to ${recipient}`,
  };
}

export function customerEmailActions({ tenantId, documentId, send, emailsCustomer, templates, what, remindElsewhere, reminderRound }: CustomerEmails) {
  const summaries = emailSummaries(what);
  const { workflowId } = workflowInfo();
  return {
    sendFirstEmail: async (): Promise<void> => {
      if (!emailsCustomer) return;
      await messageCustomer(send, summaries.firstSend, { tenantId, documentId, template: templates.firstSend, message: send.message, idempotencyKey: `${workflowId}#first_send` });
    },
    sendReminderEmail: async ({ params }: { params: ReminderParams }): Promise<void> => {
      if (!emailsCustomer) return remindElsewhere?.();
      await messageCustomer(send, summaries.reminder(params), { tenantId, documentId, template: templates.reminder, idempotencyKey: `${workflowId}${reminderRound ? `#${reminderRound}` : ''}#reminder#${params.reminder}` });
    },
  };
}

/**
 * The `confirmToCustomer` action: the customer is told their answer is recorded and what comes
 * next, behind the answer (a slow mail server never holds the decision), keyed by the transition
 * it confirms, recorded just before it, so a retried activity sends it once. Patched: documents
 * answered before confirmations existed replay without them. `emailsCustomer` false (a quote
 * signed at an external provider, which sends the signed copy itself): none.
 */
export function confirmationActions(
  // `send` is read when a confirmation goes out: a quote's recipient may have changed since (workflows/quote.ts).
  { tenantId, documentId, emailsCustomer, send }: { tenantId: string; documentId: string; emailsCustomer: boolean; send?: Pick<SendInstructions, 'to'> },
  tools: StoryTools,
) {
  const { workflowId } = workflowInfo();
  return {
    confirmToCustomer: async ({ params }: { params: ConfirmParams }): Promise<void> => {
      if (!emailsCustomer || !patched('customer-confirmations')) return;
      const idempotencyKey = `${workflowId}#${tools.lastWriteSeq()}#confirmation`;
      const summary = `email the customer a confirmation: ${params.confirmation.replaceAll('_', ' ')}`;
      tools.behindTheAnswer(
        () => {
          const to = emailTo(send?.to);
          return sendConfirmationEmail.executeWithOptions({ summary }, [{ tenantId, documentId, ...(to ? { to } : {}), ...params, idempotencyKey }]);
        },
        { notice: 'customer', confirmation: params.confirmation },
      );
    },
  };
}
