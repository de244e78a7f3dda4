/**
 * What the API reports that no running workflow takes — a message, a link made or revoked, a
 * duplicate's `created`, a seller's preview, a scanner's download, a view of a document whose
 * workflow is not running — is recorded by a workflow of its own (workflows/fact.ts), not by
 * the API: a document's trail is written by its workflows' activities, which also start the
 * webhook deliveries of what they wrote (a page's doubtful open is the exception,
 * api/portal/view-tracking.ts).
 *
 * The API waits for the row, so the trail and the answer agree as before (a message is answered
 * as it was stored). The workflow id
 * is the fact's dedupe key, started with REJECT_DUPLICATE: a retried request finds the run its
 * first attempt started, running or closed, and answers that run's result, so a fact is
 * recorded once however often its request comes.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { actorLabel } from '../../domain/documents';
import { AppError } from '../../domain/errors';
import type { Config } from '../../platform/config';
import { factWorkflowId, type FactInput, type factWorkflow, type RecordedFact } from '../../workflows/fact';
import { sellerActor, type TenantCaller } from '../auth';

export interface FactDeps {
  temporal: Client;
  config: Pick<Config, 'taskQueue'>;
}

/** Records the fact through its workflow and answers what it recorded. */
export async function recordFact(deps: FactDeps, fact: FactInput): Promise<RecordedFact> {
  const workflowId = factWorkflowId(fact.dedupeKey);
  let run;
  try {
    run = await deps.temporal.workflow.start<typeof factWorkflow>('factWorkflow', {
      taskQueue: deps.config.taskQueue,
      workflowId,
      args: [fact],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `Record ${fact.type} on ${fact.documentId}`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    // An earlier attempt of the same request started it: its record is this one's.
    run = deps.temporal.workflow.getHandle<typeof factWorkflow>(workflowId);
  }
  return answeredWithin(run.result(), FACT_ANSWER_WITHIN_MS);
}

/**
 * How long a request waits for its fact to be recorded. Recording needs a worker: with none up
 * (a deploy, a crash), the caller gets a 503 rather than a request that hangs, and its retry
 * (the same decision id) finds the run under way, or done, and answers its record.
 */
const FACT_ANSWER_WITHIN_MS = 15_000;

async function answeredWithin<T>(answer: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('unavailable', 'The record is under way but no worker has taken it yet; retry the same request to get its answer.')), ms);
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a fact of the seller's, through the API, says of who and when. */
export type SellerFact = Omit<FactInput, 'tenantId' | 'documentId' | 'actor' | 'at'> & { at?: Date };

/** A fact the seller reports on one of their documents: theirs, now unless it says when. */
export function sellerFact(caller: TenantCaller, documentId: string, fact: SellerFact): FactInput {
  const { at, ...what } = fact;
  return { ...what, tenantId: caller.tenantId, documentId, actor: actorLabel(sellerActor(caller)), at: (at ?? new Date()).getTime() };
}
