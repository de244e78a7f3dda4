/**
 * Puts a decision to a document's workflow from inside an activity (a rendered revision to
 * its proof, a signer's outcome to its quote) and returns that workflow's answer.
 *
 * The worker's own client cannot be cancelled (its native connection ignores abort
 * signals), and the answer comes only once the document's workflow has run the decision —
 * which a worker shutting down has stopped doing. So each attempt waits a bounded time;
 * past it the attempt fails and Temporal retries the activity, and the update id makes the
 * retry find the same decision (its answer, once given), never take it twice. A worker
 * stopping thus waits at most that long for such an activity.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { DECISION_REJECTED } from '../workflows/messages/document';

/** What the document's workflow made of the decision. */
export type DecisionAnswer<TView> =
  | { outcome: 'taken'; view: TView }
  /** No such workflow runs: the document was never sent, or is over. */
  | { outcome: 'no_workflow' }
  /** Its validator or handler refused, with the reason it gave. */
  | { outcome: 'refused'; reason: string };

/** Shorter than the worker's shutdown grace time, so a stopping worker never waits on one. */
const ATTEMPT_WAIT_MS = 8_000;

export async function decideDocument<TView, TArgs extends [unknown, ...unknown[]]>(
  client: Client,
  workflowId: string,
  /** The definition, or the update's name where the caller picks it at run time. */
  update: UpdateDefinition<TView, TArgs> | string,
  decision: { args: TArgs; updateId: string },
): Promise<DecisionAnswer<TView>> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const view = await client.withDeadline(Date.now() + ATTEMPT_WAIT_MS, () =>
      handle.executeUpdate<TView, TArgs>(update, { args: decision.args, updateId: decision.updateId }),
    );
    return { outcome: 'taken', view };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { outcome: 'no_workflow' };
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === DECISION_REJECTED) {
      return { outcome: 'refused', reason: error.cause.message };
    }
    throw error;
  }
}
