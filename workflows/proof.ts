/**
 * The story of an online proof (seed 000): each rendered revision is sent to the customer, who
 * approves it or asks for changes, until one is approved or the seller cancels. The rules live
 * in machines/proof.ts; the story around them (recording, notifications, decisions,
 * continue-as-new) is the one every document shares (document-story.ts).
 *
 * The render of a revision (proof-revision.ts for now) reports to `revisionReady`, an update
 * rather than a signal so that a revision reported to an approved proof is refused aloud.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GreenlightActivities } from '../activities/types';
import { proofStateQuery, proofUpdates, type ProofView, type ProofWorkflowInput } from './api';
import { decision, decisionEvent, patiently, runDocumentStory } from './document-story';
import type { ActionCall } from './machine-runner';
import { isProofClosed, proofMachine, proofStatus, proofView, whyNotProof, type ProofEvent, type RevisionEmailParams } from './machines/proof';

const { sendDocumentEmail } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});

export async function proofWorkflow(input: ProofWorkflowInput): Promise<ProofView> {
  const { workflowId } = workflowInfo();
  const { tenantId, documentId } = input;

  const closed = await runDocumentStory(input, {
    kind: 'proof',
    machine: proofMachine,
    machineInput: () => ({
      now: Date.now(),
      termsVersion: input.termsVersion,
      termsAcceptedVersion: input.termsAcceptedVersion,
      readyRevision: input.readyRevision,
    }),
    status: proofStatus,
    isClosed: isProofClosed,
    whyNot: whyNotProof,
    view: proofView,
    stateQuery: proofStateQuery,
    decisions: [
      decision(proofUpdates.approve, (decided): ProofEvent => decisionEvent('APPROVE', decided)),
      decision(proofUpdates.requestChanges, (decided): ProofEvent => decisionEvent('REQUEST_CHANGES', decided)),
      decision(proofUpdates.cancel, (decided): ProofEvent => decisionEvent('CANCEL', decided)),
      decision(proofUpdates.revisionReady, (ready): ProofEvent => decisionEvent('REVISION_READY', ready)),
    ],
    actions: {
      // Proofs go by link only: the watermarked PDF is the portal's download, never an attachment.
      sendRevisionEmail: async ({ params }: ActionCall<typeof proofMachine, RevisionEmailParams>) => {
        await sendDocumentEmail({
          tenantId,
          documentId,
          template: 'proof_revision',
          to: input.send.to,
          message: input.send.message,
          attachPdf: false,
          idempotencyKey: `${workflowId}#revision#${params.revision}`,
        });
      },
    },
  });
  return proofView(closed);
}
