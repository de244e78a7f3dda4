/**
 * The back office moving documents along the commercial chain: convert (the next document
 * of the chain, a decision its conversion workflow takes) and duplicate (a fresh draft outside
 * any chain).
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { quoteMayBeAcceptedSince, type ConversionTarget } from '../../domain/chain';
import { actorLabel, type DocumentKind } from '../../domain/documents';
import { conversionSummary, conversionWorkflowId, type ConversionInput, type ConversionOutcome, type conversionWorkflow } from '../../workflows/conversion';
import type { AppDeps } from '../app';
import { sellerActor, type TenantCaller } from '../auth';
import { AppError } from '../../domain/errors';
import { createDocument, getDocument, type DocumentWithLines } from './documents';
import { recordFact, sellerFact } from './facts';
import { moveQuoteOn } from './quote-workflow';

/**
 * The converted document, made by its conversion workflow (workflows/conversion.ts), so the
 * new document and the source's `converted` are written by a workflow, whole, whatever happens
 * to this process. 409 with the reason when the rules refuse, or when the chain already has one
 * of that kind made by another decision; a retried request (same decision id) gets its document.
 */
export async function convertForSeller(deps: AppDeps, caller: TenantCaller, documentId: string, to: ConversionTarget, decisionId: string): Promise<DocumentWithLines> {
  const source = await getDocument(deps.prisma, caller.tenantId, documentId);
  // An accepted quote may still be withdrawn by its customer: its workflow closes that first,
  // and answers once the acceptance is recorded. A row still open may lag an acceptance just
  // taken: the workflow is asked too, and its refusal (not accepted) leaves the row's answer.
  const moveOn = () => moveQuoteOn(deps.temporal, documentId, `${decisionId}:move-on`, { actor: sellerActor(caller) });
  if (source.kind === 'quote' && source.status === 'accepted') await moveOn();
  else if (source.kind === 'quote' && quoteMayBeAcceptedSince(source.status)) await moveOn().catch(unlessRefused);
  const answer = await runConversion(deps.temporal, deps.config.taskQueue, {
    tenantId: caller.tenantId,
    documentId,
    to,
    actor: actorLabel(sellerActor(caller)),
    decisionId,
  });
  if (answer.outcome === 'refused') throw new AppError('conflict', answer.reason);
  if (!answer.created) throw new AppError('conflict', `The chain already has ${to.replace('_', ' ')} ${answer.number}.`);
  return getDocument(deps.prisma, caller.tenantId, answer.documentId);
}

/** The workflow's refusal is answered otherwise by the caller; anything else fails the request. */
function unlessRefused(error: unknown): void {
  if (!(error instanceof AppError && error.code === 'decision_rejected')) throw error;
}

/** Requests for one conversion wait for each other: a request finding one under way lets it finish, then runs its own. */
const CONVERSION_TURNS = 3;

async function runConversion(client: Client, taskQueue: string, input: ConversionInput): Promise<ConversionOutcome> {
  const workflowId = conversionWorkflowId(input.documentId, input.to);
  for (let turn = 1; ; turn += 1) {
    try {
      const run = await client.workflow.start<typeof conversionWorkflow>('conversionWorkflow', {
        taskQueue,
        workflowId,
        args: [input],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        staticSummary: conversionSummary(input),
        staticDetails: `**Asked by:** ${input.actor}`,
      });
      return await run.result();
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      if (turn === CONVERSION_TURNS) throw new AppError('conflict', 'This conversion is being made by another request; retry in a moment.');
      // Its outcome is that request's; this one is answered by its own run, next.
      await client.workflow.getHandle(workflowId).result().catch(() => undefined);
    }
  }
}

/** A new draft of the same kind, customer and lines, with its own number, in no chain; `copyId` is the route's createdId (api/openapi.ts). */
export async function duplicateDocument(deps: AppDeps, caller: TenantCaller, documentId: string, copyId: string): Promise<DocumentWithLines> {
  const { prisma } = deps;
  const source = await getDocument(prisma, caller.tenantId, documentId);
  const copy = await createDocument(prisma, caller.tenantId, {
    kind: source.kind as DocumentKind,
    customerId: source.customerId,
    ...(source.contactId ? { contactId: source.contactId } : {}),
    ...(source.assigneeId ? { assigneeId: source.assigneeId } : {}),
    ...(source.title ? { title: source.title } : {}),
    currency: source.currency,
    lines: source.lines.map((line) => ({
      description: line.description,
      quantity: line.quantity.toString(),
      unitPrice: line.unitPrice,
      taxRate: line.taxRate.toString(),
      optional: line.optional,
    })),
  }, copyId);
  // Keyed by the copy: each duplicate is a new draft (a retried request without Idempotency-Key makes another).
  const data = { duplicateOf: { id: source.id, number: source.number } };
  await recordFact(deps, sellerFact(caller, copy.id, { dedupeKey: `created:${copy.id}`, type: 'created', at: copy.createdAt, data }));
  return getDocument(prisma, caller.tenantId, copy.id);
}
