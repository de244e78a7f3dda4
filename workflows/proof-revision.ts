/**
 * Renders one uploaded proof revision. Started by the upload (api/operations/proof-revisions.ts)
 * for now; the proof document workflow (issue 4, "The proof workflow") will take the render
 * activity over and this workflow goes away.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { ProofActivities } from '../activities/types';

// A whole revision can take minutes (20 print pages); each pdftoppm run has its own bound.
const { renderProofRevision } = proxyActivities<ProofActivities>({
  startToCloseTimeout: '15 minutes',
  retry: { maximumAttempts: 5 },
});

export interface ProofRevisionWorkflowInput {
  tenantId: string;
  documentId: string;
  revisionId: string;
}

export async function proofRevisionWorkflow(input: ProofRevisionWorkflowInput): Promise<string> {
  const { status } = await renderProofRevision({ revisionId: input.revisionId });
  return status;
}
