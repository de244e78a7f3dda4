/**
 * The conversation on a document. The seller writes through the API (an internal note stays
 * in the team; `notifyCustomer` emails the customer a link), the customer from the portal
 * (the assignee is notified on the channels their preferences name for `message`). Every
 * message is an audit event `message`; notices go out through a small workflow per message
 * (workflows/conversation.ts), so a mail outage delays them and never loses them.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { AccessLink, Message, PrismaClient } from '../../generated/prisma/client';
import { recordAuditEvent } from '../../services/db/audit';
import { actorLabel, type Actor, type RequestSource } from '../../domain/documents';
import { newId, sha256Hex } from '../../platform/ids';
import { messageNotificationWorkflowId, type MessageNotificationInput, type messageNotificationWorkflow } from '../../workflows/conversation';
import type { AppDeps } from '../app';
import { sellerActor, type TenantCaller } from '../auth';
import { AppError } from '../../domain/errors';

export async function listMessages(
  prisma: PrismaClient,
  tenantId: string,
  documentId: string,
  audience: { includeInternal: boolean },
): Promise<Message[]> {
  const document = await prisma.document.findFirst({ where: { id: documentId, tenantId }, select: { id: true } });
  if (!document) throw new AppError('not_found', `No document ${documentId}.`);
  return prisma.message.findMany({
    where: { tenantId, documentId, ...(audience.includeInternal ? {} : { internal: false }) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
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

interface NewMessage {
  id: string;
  tenantId: string;
  documentId: string;
  author: 'customer' | 'seller';
  actor: Actor;
  authorName?: string;
  body: string;
  internal: boolean;
  source?: RequestSource;
}

/** Stores the message and its audit event; the same id twice stores and records once. */
async function saveMessage(prisma: PrismaClient, input: NewMessage): Promise<Message> {
  const actor = actorLabel(input.actor);
  const message = await prisma.message.upsert({
    where: { id: input.id },
    update: {},
    create: {
      id: input.id,
      tenantId: input.tenantId,
      documentId: input.documentId,
      author: input.author,
      actor,
      authorName: input.authorName ?? null,
      body: input.body,
      internal: input.internal,
    },
  });
  await recordAuditEvent(prisma, {
    tenantId: input.tenantId,
    documentId: input.documentId,
    dedupeKey: `message:${message.id}`,
    type: 'message',
    at: message.createdAt,
    actor,
    ...input.source,
    data: { messageId: message.id, author: input.author, internal: input.internal },
  });
  return message;
}

export interface SellerMessageInput {
  body: string;
  internal?: boolean;
  notifyCustomer?: boolean;
}

export async function postSellerMessage(deps: AppDeps, caller: TenantCaller, documentId: string, input: SellerMessageInput): Promise<Message> {
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
  const message = await saveMessage(deps.prisma, {
    id: newId('msg'),
    tenantId: caller.tenantId,
    documentId,
    author: 'seller',
    actor: sellerActor(caller),
    body: input.body,
    internal,
  });
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
  document: { id: string; tenantId: string },
  input: CustomerMessageInput,
): Promise<Message> {
  const id = `msg_${sha256Hex(`${link.id}:${document.id}:${input.submissionId}`).slice(0, 32)}`;
  const authorName = link.recipientName ?? link.recipientEmail ?? undefined;
  const message = await saveMessage(deps.prisma, {
    id,
    tenantId: document.tenantId,
    documentId: document.id,
    author: 'customer',
    actor: input.actor,
    ...(authorName ? { authorName } : {}),
    body: input.body,
    internal: false,
    source: input.source,
  });
  await startNotification(deps, {
    tenantId: document.tenantId,
    documentId: document.id,
    messageId: message.id,
    notify: 'assignee',
    body: message.body,
    ...(authorName ? { authorName } : {}),
    at: message.createdAt.getTime(),
  });
  return message;
}
