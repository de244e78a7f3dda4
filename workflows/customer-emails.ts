/**
 * The customer's emails of a document sent for a decision (quotes, orders, delivery notes): the
 * first send and each reminder, in the templates the kind names. Keyed by the workflow and the
 * reminder's number, so a retried activity sends each email once. A document signed through an
 * external provider gets none of ours: the provider writes to the customer.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GreenlightActivities, SendDocumentEmailInput } from '../activities/types';
import type { ReminderParams } from './machines/actions';
import type { SendInstructions } from './messages/document';
import { patiently } from './story';

/** Rendering the PDF for the attachment may take a while on long documents. */
const { sendDocumentEmail } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});

export interface CustomerEmails {
  tenantId: string;
  documentId: string;
  send: SendInstructions;
  emailsCustomer: boolean;
  templates: { firstSend: SendDocumentEmailInput['template']; reminder: SendDocumentEmailInput['template'] };
}

export function customerEmailActions({ tenantId, documentId, send, emailsCustomer, templates }: CustomerEmails) {
  const { workflowId } = workflowInfo();
  return {
    sendFirstEmail: async (): Promise<void> => {
      if (!emailsCustomer) return;
      await sendDocumentEmail({
        tenantId,
        documentId,
        template: templates.firstSend,
        to: send.to,
        message: send.message,
        attachPdf: send.attachPdf,
        idempotencyKey: `${workflowId}#first_send`,
      });
    },
    sendReminderEmail: async ({ params }: { params: ReminderParams }): Promise<void> => {
      if (!emailsCustomer) return;
      await sendDocumentEmail({
        tenantId,
        documentId,
        template: templates.reminder,
        to: send.to,
        attachPdf: send.attachPdf,
        idempotencyKey: `${workflowId}#reminder#${params.reminder}`,
      });
    },
  };
}
