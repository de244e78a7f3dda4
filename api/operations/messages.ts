/**
 * The conversation on a document. The seller writes through the API (an internal note stays
 * in the team; `notifyCustomer` emails the customer a link), the customer from the portal
 * (the assignee is notified on the channels their preferences name for `message`). Every
 * message is stored with its audit event `message` by a workflow of its own (workflows/fact.ts);
 * notices go out through a small workflow per message (workflows/conversation.ts), so a mail
 * outage delays them and never loses them. A message's id comes from its request (decision id,
 * portal form id), so a retried request stores and notifies it once.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { AccessLink, Message, PrismaClient } from '../../generated/prisma/client';
import { actorLabel, type Actor, type RequestSource } from '../../domain/documents';
import { derivedId, sha256Hex } from '../../platform/ids';
import { messageNotificationWorkflowId, type MessageNotificationInput, type messageNotificationWorkflow } from '../../workflows/conversation';
import type { FactInput, FactMessage } from '../../workflows/fact';
import { requestCustomerWroteSignal, requestWorkflowId } from '../../workflows/messages/request';
import type { AppDeps } from '../app';
import { sellerActor, type TenantCaller } from '../auth';
import { AppError } from '../../domain/errors';
import { assertDocumentOf } from './documents';
import { recordFact } from './facts';
import { OLDEST_FIRST, readPage, type Page, type PageRequest } from './pagination';

/** What the customer sees of the conversation (no internal notes), of a document read through their link: nothing to check first. */
export function messagesForCustomer(prisma: PrismaClient, document: { id: string; tenantId: string }): Promise<Message[]> {
  return prisma.message.findMany({
    where: { tenantId: document.tenantId, documentId: document.id, internal: false },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/** The whole conversation, internal notes included, oldest first, a page at a time: the back office's. */
export async function listDocumentMessages(prisma: PrismaClient, tenantId: string, documentId: string, page: PageRequest): Promise<Page<Message>> {
  await assertDocumentOf(prisma, tenantId, documentId);
  return readPage(page, OLDEST_FIRST, ({ after, orderBy, take }) => prisma.message.findMany({ where: { tenantId, documentId, ...after }, orderBy, take }));
}

async function startNotification(deps: AppDeps, input: MessageNotificationInput): Promise<void> {
  try {
    await deps.temporal.workflow.start<typeof messageNotificationWorkflow>('messageNotificationWorkflow', {
      taskQueue: deps.config.taskQueue,
      workflowId: messageNotificationWorkflowId(input.messageId, input.notify),
      args: [input],
      staticSummary: `Tell the ${input.notify} of message ${input.messageId} on ${input.documentId}`,
    });
  } catch (error) {
    // The same message posted twice (a double submit) is notified once.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * Stores the message with its audit event, through its fact workflow (api/operations/facts.ts),
 * and answers the row as stored: to a retried request, the first attempt's.
 */
async function saveMessage(deps: AppDeps, message: FactMessage, by: Pick<FactInput, 'tenantId' | 'documentId' | 'actor' | 'source'>): Promise<Message> {
  await recordFact(deps, {
    ...by,
    dedupeKey: `message:${message.id}`,
    type: 'message',
    at: Date.now(),
    data: { messageId: message.id, author: message.author, internal: message.internal },
    message,
  });
  return deps.prisma.message.findUniqueOrThrow({ where: { id: message.id } });
}

export interface SellerMessageInput {
  body: string;
  internal?: boolean;
  notifyCustomer?: boolean;
}

/** `decisionId` names the message (api/decision-id.ts): the same request twice stores and notifies once. */
export async function postSellerMessage(deps: AppDeps, caller: TenantCaller, documentId: string, input: SellerMessageInput, decisionId: string): Promise<Message> {
  const document = await deps.prisma.document.findFirst({
    where: { id: documentId, tenantId: caller.tenantId },
    include: { contact: { select: { email: true } }, customer: { select: { email: true } } },
  });
  if (!document) throw new AppError('not_found', `No document ${documentId}.`);
  const internal = input.internal ?? false;
  if (internal && input.notifyCustomer) {
    throw new AppError('unprocessable', 'An internal note is never sent to the customer.', [{ path: 'notifyCustomer', message: 'not with internal: true' }]);
  }
  if (input.notifyCustomer && !(document.contact?.email ?? document.customer.email)) {
    throw new AppError('unprocessable', 'The customer has no email address to notify.', [{ path: 'notifyCustomer', message: 'no email address' }]);
  }
  const message = await saveMessage(
    deps,
    { id: derivedId('msg', caller.tenantId, documentId, decisionId), author: 'seller', body: input.body, internal },
    { tenantId: caller.tenantId, documentId, actor: actorLabel(sellerActor(caller)) },
  );
  if (input.notifyCustomer) {
    await startNotification(deps, {
      tenantId: caller.tenantId,
      documentId,
      messageId: message.id,
      notify: 'customer',
      body: message.body,
      at: message.createdAt.getTime(),
    });
  }
  return message;
}

export interface CustomerMessageInput {
  body: string;
  /** The form's one-time id (or one derived from the request, api/decision-id.ts): a second submit stores nothing new. */
  submissionId: string;
  actor: Actor;
  source: RequestSource;
}

/** A customer writes from the portal, on the document their link (or its chain) opens. */
export async function postCustomerMessage(
  deps: AppDeps,
  link: AccessLink,
  document: { id: string; tenantId: string; kind: string },
  input: CustomerMessageInput,
): Promise<Message> {
  const id = `msg_${sha256Hex(`${link.id}:${document.id}:${input.submissionId}`).slice(0, 32)}`;
  const authorName = link.recipientName ?? link.recipientEmail ?? undefined;
  const message = await saveMessage(
    deps,
    { id, author: 'customer', ...(authorName ? { authorName } : {}), body: input.body, internal: false },
    { tenantId: document.tenantId, documentId: document.id, actor: actorLabel(input.actor), source: input.source },
  );
  await startNotification(deps, {
    tenantId: document.tenantId,
    documentId: document.id,
    messageId: message.id,
    notify: 'assignee',
    body: message.body,
    ...(authorName ? { authorName } : {}),
    at: message.createdAt.getTime(),
  });
  if (document.kind === 'request') await markRequestUnread(deps, document.id, message.id);
  return message;
}

/** A service request's workflow owns its unread mark: it hears of the message. A closed request's has ended, and its box is closed. */
async function markRequestUnread(deps: AppDeps, requestId: string, messageId: string): Promise<void> {
  try {
    await deps.temporal.workflow.getHandle(requestWorkflowId(requestId)).signal(requestCustomerWroteSignal, { messageId });
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
