/**
 * Tells the proof's workflow that a revision is rendered, so it sends it to the customer. It
 * only forwards: the workflow decides (an approved proof refuses a new revision), and its
 * answer comes back as is. The update id is the revision's, so a retry is taken once.
 */
import type { Client } from '@temporalio/client';
import { documentWorkflowId } from '../../workflows/messages/document';
import { proofUpdates, type ProofView } from '../../workflows/messages/proof';
import { decideDocument, type DecisionAnswer } from '../decide-document';

export interface ReportRevisionReadyInput {
  documentId: string;
  revisionId: string;
  /** The revision's number. */
  revision: number;
  pageCount: number;
}

/** What the proof's workflow made of the report; `no_workflow`: not sent yet (its send takes the latest ready revision) or over. */
export type RevisionReport = DecisionAnswer<ProofView>;

export function reportRevisionReady(client: Client, input: ReportRevisionReadyInput): Promise<RevisionReport> {
  return decideDocument(client, documentWorkflowId('proof', input.documentId), proofUpdates.revisionReady, {
    args: [{ revision: input.revision, pageCount: input.pageCount, actor: { kind: 'system' } }],
    updateId: `revision-${input.revisionId}`,
  });
}
