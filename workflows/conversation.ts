/**
 * Telling the other side of a conversation that a message arrived: the customer by email
 * (a link to the document, where the conversation is), the assignee on the channels their
 * preferences name for `message`. A workflow of its own per message, so the notice survives
 * a mail outage or a worker restart, and its id (`message-<messageId>-<whom>`) makes it once.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GreenlightActivities } from '../activities/types';

const { sendDocumentEmail, notifyAssignee } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface MessageNotificationInput {
  tenantId: string;
  documentId: string;
  messageId: string;
  notify: 'customer' | 'assignee';
  body: string;
  /** Who wrote it, as the assignee's notice names them. */
  authorName?: string;
  /** Epoch ms the message was written. */
  at: number;
}

export const messageNotificationWorkflowId = (messageId: string, notify: MessageNotificationInput['notify']): string =>
  `message-${messageId}-${notify}`;

export async function messageNotificationWorkflow(input: MessageNotificationInput): Promise<void> {
  const idempotencyKey = workflowInfo().workflowId;
  if (input.notify === 'customer') {
    await sendDocumentEmail.executeWithOptions({ summary: 'email the customer: a new message' }, [{
      tenantId: input.tenantId,
      documentId: input.documentId,
      template: 'message',
      message: input.body,
      attachPdf: false,
      idempotencyKey,
    }]);
    return;
  }
  await notifyAssignee.executeWithOptions({ summary: `notify the assignee: a new message${input.authorName ? ` from ${input.authorName}` : ''}` }, [{
    tenantId: input.tenantId,
    documentId: input.documentId,
    event: 'message',
    what: 'message',
    at: input.at,
    idempotencyKey,
    detail: { reason: input.body, ...(input.authorName ? { actorName: input.authorName } : {}) },
  }]);
}
