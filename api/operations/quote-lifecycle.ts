/**
 * The back office moving a quote along: send (starts its workflow), remind, cancel, and
 * the seller's PDF preview. Decisions go through the workflow (api/operations/quote-workflow.ts)
 * whenever one runs; a draft that never left has no workflow and is cancelled in the read
 * model directly, through the same audit writer the workflow uses.
 */
import { randomUUID } from 'node:crypto';
import { actorLabel, FINAL_QUOTE_STATUSES, type Actor, type QuoteStatus } from '../../domain/documents';
import { durationToMs } from '../../domain/durations';
import { recordAuditEvent } from '../../activities/db/audit';
import { renderQuotePdf } from '../../activities/render/quote-pdf';
import { quoteWorkflowId, type QuoteView, type QuoteWorkflowInput, type SendInstructions } from '../../workflows/api';
import type { AppDeps } from '../app';
import { sellerActor, type TenantCaller } from '../auth';
import { AppError } from '../errors';
import { decideQuote, startQuoteWorkflow } from './quote-workflow';
import { getSettings } from './settings';

export interface SendQuoteInput {
  to?: { contactId: string } | { email: string; name?: string };
  channel?: 'email';
  message?: string;
  attachPdf?: boolean;
  /** Only a signature accepts the quote; the tenant setting when absent. */
  requireSignature?: boolean;
}

/** What send, remind and cancel answer: the quote's state as its workflow (or the read model) knows it. */
export interface QuoteState {
  status: string;
  remindersSent?: number;
  nextReminderAt?: string;
  validUntil?: string;
}

function isoFromEpoch(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

function stateOf(view: QuoteView): QuoteState {
  const nextReminderAt = isoFromEpoch(view.nextReminderAt);
  const validUntil = isoFromEpoch(view.validUntil);
  return {
    status: view.status,
    remindersSent: view.remindersSent,
    ...(nextReminderAt ? { nextReminderAt } : {}),
    ...(validUntil ? { validUntil } : {}),
  };
}

async function findQuote(deps: AppDeps, caller: TenantCaller, documentId: string) {
  const document = await deps.prisma.document.findFirst({
    where: { id: documentId, tenantId: caller.tenantId },
    include: { contact: { select: { email: true } }, _count: { select: { lines: true } } },
  });
  if (!document) throw new AppError('not_found', `No document ${documentId}.`);
  if (document.kind !== 'quote') {
    throw new AppError('unprocessable', `This release sends quotes only; ${document.number} is a ${document.kind}.`);
  }
  return document;
}

/** The recipient must be reachable by email and belong to the quote's customer. */
async function checkRecipient(
  deps: AppDeps,
  caller: TenantCaller,
  quote: Awaited<ReturnType<typeof findQuote>>,
  to: SendQuoteInput['to'],
): Promise<void> {
  if (to && 'email' in to) return;
  const contactId = to?.contactId ?? quote.contactId;
  if (!contactId) {
    throw new AppError('unprocessable', 'The quote has no contact; name one in "to".', [{ path: 'to', message: 'required when the document has no contact' }]);
  }
  const contact = to
    ? await deps.prisma.contact.findFirst({ where: { id: contactId, tenantId: caller.tenantId, customerId: quote.customerId } })
    : quote.contact;
  if (!contact) throw new AppError('unprocessable', `No contact ${contactId} for this customer.`, [{ path: 'to.contactId', message: 'unknown contact' }]);
  if (!contact.email) {
    throw new AppError('unprocessable', 'The contact has no email address.', [{ path: to ? 'to.contactId' : 'contactId', message: 'no email address' }]);
  }
}

/**
 * Starts the quote's workflow. The read model is claimed first (workflowId set while still
 * a draft), so two sends at once cannot both start one; Temporal's workflow id is the
 * second lock. A second send is refused: a reminder is the way to send again.
 */
export async function sendQuote(deps: AppDeps, caller: TenantCaller, documentId: string, input: SendQuoteInput, now = new Date()): Promise<QuoteState> {
  const quote = await findQuote(deps, caller, documentId);
  if (quote.status !== 'draft' || quote.workflowId) {
    throw new AppError('conflict', `The quote is already ${quote.status === 'draft' ? 'being sent' : quote.status}; POST /v1/documents/${documentId}/remind sends it again.`);
  }
  if (quote._count.lines === 0) throw new AppError('unprocessable', 'A quote needs at least one line before it is sent.', [{ path: 'lines', message: 'empty' }]);
  await checkRecipient(deps, caller, quote, input.to);

  const settings = await getSettings(deps.prisma, caller.tenantId);
  const validUntil = quote.validUntil ?? new Date(now.getTime() + durationToMs(settings.quoteValidity));
  const workflowId = quoteWorkflowId(documentId);
  const requireSignature = input.requireSignature ?? settings.requireSignature;
  const claimed = await deps.prisma.document.updateMany({
    where: { id: documentId, tenantId: caller.tenantId, status: 'draft', workflowId: null },
    data: { workflowId, validUntil, requireSignature },
  });
  if (claimed.count === 0) throw new AppError('conflict', 'The quote is already being sent.');

  const send: SendInstructions = {
    channel: 'email',
    attachPdf: input.attachPdf ?? false,
    ...(input.to ? { to: input.to } : {}),
    ...(input.message ? { message: input.message } : {}),
  };
  const workflowInput: QuoteWorkflowInput = {
    tenantId: caller.tenantId,
    documentId,
    customerId: quote.customerId,
    number: quote.number,
    ...(quote.title ? { title: quote.title } : {}),
    validUntil: validUntil.getTime(),
    reminderAfterMs: durationToMs(settings.reminderAfter),
    maxReminders: settings.maxReminders,
    send,
    sentBy: sellerActor(caller),
    requireSignature,
    ...(settings.autoConvertToOrder ? { autoConvertToOrder: true } : {}),
  };
  try {
    await startQuoteWorkflow(deps.temporal, deps.config.taskQueue, workflowInput);
  } catch (error) {
    // Not started: give the draft back so a retry can send it. Already started: it is sent.
    if (!(error instanceof AppError && error.code === 'already_started')) {
      await deps.prisma.document.updateMany({ where: { id: documentId, workflowId }, data: { workflowId: null } });
    }
    throw error;
  }
  // The workflow now owns the quote; the read model says "sent" as soon as its email is out.
  return { status: 'sent', validUntil: validUntil.toISOString() };
}

export async function remindQuote(deps: AppDeps, caller: TenantCaller, documentId: string, decisionId: string | undefined): Promise<QuoteState> {
  const quote = await findQuote(deps, caller, documentId);
  if (!quote.workflowId) throw new AppError('decision_rejected', 'The quote has not been sent yet; send it first.');
  const view = await decideQuote(deps.temporal, documentId, 'remind', decisionId ?? randomUUID(), { actor: sellerActor(caller) });
  return stateOf(view);
}

export async function cancelQuote(
  deps: AppDeps,
  caller: TenantCaller,
  documentId: string,
  input: { reason?: string },
  decisionId: string | undefined,
): Promise<QuoteState> {
  const quote = await findQuote(deps, caller, documentId);
  const actor: Actor = sellerActor(caller);
  if (quote.workflowId) {
    const view = await decideQuote(deps.temporal, documentId, 'cancel', decisionId ?? randomUUID(), {
      actor,
      ...(input.reason ? { reason: input.reason } : {}),
    });
    return stateOf(view);
  }
  if (FINAL_QUOTE_STATUSES.includes(quote.status as QuoteStatus)) {
    throw new AppError('decision_rejected', `The quote is already ${quote.status}.`);
  }
  await recordAuditEvent(deps.prisma, {
    tenantId: caller.tenantId,
    documentId,
    dedupeKey: `api:${decisionId ?? randomUUID()}`,
    type: 'cancelled',
    status: 'cancelled',
    at: new Date(),
    actor: actorLabel(actor),
    data: input.reason ? { reason: input.reason } : {},
  });
  return { status: 'cancelled' };
}

/**
 * The seller's own look at the PDF. It is kept in the trail as a download by the seller with
 * `counted: false`: downloadCount and viewCount report what the customer did, never previews.
 */
export async function previewQuotePdf(deps: AppDeps, caller: TenantCaller, documentId: string): Promise<{ bytes: Uint8Array; number: string }> {
  const quote = await findQuote(deps, caller, documentId);
  const bytes = await renderQuotePdf(deps.prisma, { tenantId: caller.tenantId, documentId });
  await recordAuditEvent(deps.prisma, {
    tenantId: caller.tenantId,
    documentId,
    dedupeKey: `api:pdf:${randomUUID()}`,
    type: 'downloaded',
    at: new Date(),
    actor: actorLabel(sellerActor(caller)),
    data: { by: 'seller', counted: false },
  });
  return { bytes, number: quote.number };
}
