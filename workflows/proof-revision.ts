/**
 * Renders one uploaded proof revision, then reports it to the proof's workflow, which sends it
 * to the customer when it runs (sent before, or sent with ?send=true). Started by the upload
 * (api/operations/proof-revisions.ts).
 */
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { ProofActivities } from '../activities/types';
import { patched } from './patches';

// A whole revision can take minutes (20 print pages); each pdftoppm run has its own bound. The
// render beats every few seconds (activities/heartbeat.ts): a worker killed mid-render is
// noticed within 30 s and the render starts again elsewhere, not after the 15 minutes.
const { renderProofRevision } = proxyActivities<ProofActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

// Forwarding is an update on a running workflow: quick, and retried until the proof answers.
// Marking a render failed is one row write, retried until the database answers.
const { reportRevisionReady, markRenderFailed } = proxyActivities<ProofActivities>({
  startToCloseTimeout: '1 minute',
});

export interface ProofRevisionWorkflowInput {
  tenantId: string;
  documentId: string;
  revisionId: string;
}

export async function proofRevisionWorkflow(input: ProofRevisionWorkflowInput): Promise<string> {
  let rendered;
  try {
    rendered = await renderProofRevision.executeWithOptions({ summary: `render revision ${input.revisionId}: every page, watermarked` }, [{ revisionId: input.revisionId }]);
  } catch (error) {
    // Retries ran out: the revision says so and this run completes, so the render sweeper
    // (services/render/render-start.ts) never restarts a render that cannot succeed. Runs that
    // began before this failed as they did.
    if (!(error instanceof ActivityFailure) || !patched('proof-revision-marks-failure')) throw error;
    await markRenderFailed.executeWithOptions({ summary: 'mark the render failed' }, [{ revisionId: input.revisionId, reason: error.cause?.message ?? error.message }]);
    return 'failed';
  }
  // Renders started before revisions were reported end as they began.
  if (rendered.status === 'ready' && patched('proof-revision-reports-ready')) {
    // A refusal (the proof is approved) is the proof's answer: the revision stays ready, nothing more.
    await reportRevisionReady.executeWithOptions({ summary: `send revision ${rendered.revision} (${rendered.pageCount} pages) to the proof's workflow` }, [{ documentId: input.documentId, revisionId: input.revisionId, revision: rendered.revision, pageCount: rendered.pageCount }]);
  }
  return rendered.status;
}
