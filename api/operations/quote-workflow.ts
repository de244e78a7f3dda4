/**
 * The only code in api/ that talks to the quote workflow: start it, pass decisions and facts,
 * read its state, and turn Temporal's failures into AppErrors the routes can answer with.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { FINAL_QUOTE_STATUSES, type QuoteStatus } from '../../domain/documents';
import {
  acceptUpdate,
  cancelUpdate,
  DECISION_REJECTED,
  downloadedSignal,
  holdUpdate,
  quoteWorkflowId,
  refuseUpdate,
  remindUpdate,
  reviseUpdate,
  signUpdate,
  stateQuery,
  viewedSignal,
  type DecisionInput,
  type QuoteView,
  type QuoteWorkflowInput,
  type ReviseInput,
  type SignInput,
  type ViewedSignal,
} from '../../workflows/api';
import { closedQuoteReason } from '../../workflows/machines/quote';
import type { quoteWorkflow } from '../../workflows/quote';
import { documentSearchAttributes, GreenlightStatus } from '../../workflows/search-attributes';
import { AppError } from '../errors';

const decisionUpdates = {
  accept: acceptUpdate,
  refuse: refuseUpdate,
  hold: holdUpdate,
  remind: remindUpdate,
  cancel: cancelUpdate,
} as const;

export type QuoteDecision = keyof typeof decisionUpdates;
export type QuoteFact = 'viewed' | 'downloaded';

/**
 * Starts the quote's workflow (the quote is sent by it). One workflow per quote, ever: its
 * activities are idempotent by workflow id and sequence, so a second run under the same id
 * would be taken for a retry of the first. Search attributes and memo are set from the start
 * so operators find the quote in the Temporal UI at once.
 */
export async function startQuoteWorkflow(client: Client, taskQueue: string, input: QuoteWorkflowInput): Promise<void> {
  try {
    await client.workflow.start<typeof quoteWorkflow>('quoteWorkflow', {
      taskQueue,
      workflowId: quoteWorkflowId(input.documentId),
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: documentSearchAttributes({
        tenantId: input.tenantId,
        kind: 'quote',
        customerId: input.customerId,
        status: 'draft',
      }),
      memo: { number: input.number, title: input.title ?? null },
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) throw new AppError('already_started', 'The quote has already been sent');
    throw error;
  }
}

/**
 * A decision on the quote, taken once per decision id: the same id again answers with the
 * current state. Refused decisions throw AppError('decision_rejected') with the reason.
 */
export function decideQuote(
  client: Client,
  documentId: string,
  decision: QuoteDecision,
  decisionId: string,
  input: DecisionInput,
): Promise<QuoteView> {
  return executeDecision(client, documentId, decisionUpdates[decision], decisionId, input);
}

/** The customer signs (built-in signature); refused like any decision, with the machine's reason. */
export function signQuote(client: Client, documentId: string, decisionId: string, input: SignInput): Promise<QuoteView> {
  return executeDecision(client, documentId, signUpdate, decisionId, input);
}

/** The seller changes a sent quote: its workflow writes the new version and emails the new link. */
export function reviseQuote(client: Client, documentId: string, revisionId: string, input: ReviseInput): Promise<QuoteView> {
  return executeDecision(client, documentId, reviseUpdate, revisionId, input);
}

async function executeDecision<TInput>(
  client: Client,
  documentId: string,
  update: UpdateDefinition<QuoteView, [TInput]>,
  decisionId: string,
  input: TInput,
): Promise<QuoteView> {
  const handle = client.workflow.getHandle(quoteWorkflowId(documentId));
  try {
    return await handle.executeUpdate(update, { args: [input], updateId: decisionId });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === DECISION_REJECTED) {
      throw new AppError('decision_rejected', error.cause.message);
    }
    if (error instanceof WorkflowNotFoundError) throw new AppError('decision_rejected', await whyClosed(client, documentId));
    throw error;
  }
}

/**
 * Tells the running workflow a view or download happened. False when no workflow runs (never
 * sent, or already finished): the caller then records the fact itself (recordAuditEvent).
 */
export async function signalQuoteFact(client: Client, documentId: string, fact: QuoteFact, payload: ViewedSignal): Promise<boolean> {
  try {
    await client.workflow.getHandle(quoteWorkflowId(documentId)).signal(fact === 'viewed' ? viewedSignal : downloadedSignal, payload);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** The quote's state as its workflow knows it (also once finished); null if it was never sent. */
export async function queryQuote(client: Client, documentId: string): Promise<QuoteView | null> {
  try {
    return await client.workflow.getHandle(quoteWorkflowId(documentId)).query(stateQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

/** Why a quote without a running workflow takes no decision, from the status its workflow last published. */
async function whyClosed(client: Client, documentId: string): Promise<string> {
  try {
    const description = await client.workflow.getHandle(quoteWorkflowId(documentId)).describe();
    const status = description.typedSearchAttributes.get(GreenlightStatus);
    // A run that failed or was terminated by an operator stopped before a final status.
    return isFinalStatus(status) ? closedQuoteReason(status) : 'The quote is no longer open for decisions';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'The quote has not been sent yet';
    throw error;
  }
}

function isFinalStatus(value: string | undefined): value is QuoteStatus {
  return (FINAL_QUOTE_STATUSES as readonly (string | undefined)[]).includes(value);
}
