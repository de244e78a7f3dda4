/**
 * Starting a revision's render, so that none is ever lost.
 *
 * The upload commits the revision (status rendering) and then starts its workflow,
 * `proof-revision-<revisionId>`. Those are two systems: if Temporal cannot be reached at that
 * moment, the row exists and no workflow renders it. The workflow id is the revision's, so
 * starting it again is safe: the worker's sweeper (workers/sweepers.ts) starts every revision
 * still rendering after a while, and a start that finds the workflow running is a no-op.
 *
 * A run that ended without rendering (failed, terminated, timed out) may be started again
 * (ALLOW_DUPLICATE_FAILED_ONLY); a completed one never is. The workflow completes even when
 * the file cannot be rendered (the revision is marked failed), so nothing loops.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { PrismaClient } from '../../generated/prisma/client';
import type { ProofRevisionWorkflowInput, proofRevisionWorkflow } from '../../workflows/proof-revision';
import { tenantFilter, type SweepScope } from '../db/sweep-scope';

export const revisionRenderWorkflowId = (revisionId: string): string => `proof-revision-${revisionId}`;

export interface RenderStarter {
  client: Client;
  taskQueue: string;
}

/** Starts the render; already running (or already done) is fine. */
export async function startRevisionRender(starter: RenderStarter, input: ProofRevisionWorkflowInput): Promise<void> {
  try {
    await starter.client.workflow.start<typeof proofRevisionWorkflow>('proofRevisionWorkflow', {
      taskQueue: starter.taskQueue,
      workflowId: revisionRenderWorkflowId(input.revisionId),
      args: [input],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      staticSummary: `Render proof revision ${input.revisionId} of ${input.documentId}`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** The safety net: revisions still rendering `olderThanMs` after their upload get their render (re)started. */
export async function startStalledRenders(prisma: PrismaClient, starter: RenderStarter, olderThanMs: number, scope?: SweepScope): Promise<number> {
  const stalled = await prisma.revision.findMany({
    where: { status: 'rendering', createdAt: { lt: new Date(Date.now() - olderThanMs) }, document: tenantFilter(scope) },
    select: { id: true, documentId: true, document: { select: { tenantId: true } } },
    orderBy: { createdAt: 'asc' },
    take: 100,
  });
  for (const revision of stalled) {
    await startRevisionRender(starter, { tenantId: revision.document.tenantId, documentId: revision.documentId, revisionId: revision.id });
  }
  return stalled.length;
}

export interface MarkRenderFailedInput {
  revisionId: string;
  reason: string;
}

/**
 * The render gave up (its retries ran out on an error that is not about the file): the revision
 * ends failed with the reason, which the seller sees, rather than rendering for ever. Only a
 * revision still rendering is marked: one already ready or failed keeps its outcome.
 */
export async function markRenderFailed(prisma: PrismaClient, input: MarkRenderFailedInput): Promise<void> {
  await prisma.revision.updateMany({
    where: { id: input.revisionId, status: 'rendering' },
    data: { status: 'failed', failureReason: `Rendering failed: ${input.reason}`.slice(0, 1000) },
  });
}
