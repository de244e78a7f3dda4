/**
 * Tells the proof's workflow that a revision is rendered, so it sends it to the customer. It
 * only forwards: the workflow decides (an approved proof refuses a new revision), and its
 * answer comes back as is. The update id is the revision's, so a retry is taken once.
 *
 * The update's answer waits for the proof's workflow to run it; the call is bound to the
 * activity's cancellation, so a worker shutting down (which stops running that workflow)
 * cancels the wait instead of hanging on it.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DECISION_REJECTED, documentWorkflowId, proofUpdates } from '../../workflows/api';

export interface ReportRevisionReadyInput {
  documentId: string;
  revisionId: string;
  /** The revision's number. */
  revision: number;
  pageCount: number;
}

/** What the proof's workflow made of the report. */
export type RevisionReport =
  | { outcome: 'taken'; status: string }
  /** No proof workflow runs: the proof was not sent yet (its send takes the latest ready revision) or is over. */
  | { outcome: 'no_workflow' }
  | { outcome: 'refused'; reason: string };

export async function reportRevisionReady(client: Client, input: ReportRevisionReadyInput, cancelled: AbortSignal): Promise<RevisionReport> {
  const handle = client.workflow.getHandle(documentWorkflowId('proof', input.documentId));
  try {
    const view = await client.withAbortSignal(cancelled, () =>
      handle.executeUpdate(proofUpdates.revisionReady, {
        args: [{ revision: input.revision, pageCount: input.pageCount, actor: { kind: 'system' } }],
        updateId: `revision-${input.revisionId}`,
      }),
    );
    return { outcome: 'taken', status: view.status };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { outcome: 'no_workflow' };
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === DECISION_REJECTED) {
      return { outcome: 'refused', reason: error.cause.message };
    }
    throw error;
  }
}
