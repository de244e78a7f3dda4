/**
 * The proof's colleague actions (seed 000, "Envoyer à un collègue"): the email that gives a
 * colleague a link of their own, and the notice telling the customer who forwarded the proof
 * what that colleague decided. The rules (when forwarding is allowed, when a decision is a
 * colleague's) live in machines/proof.ts.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GreenlightActivities } from '../activities/types';
import type { ProofWorkflowInput } from './messages/proof';
import { patiently, type StoryTools } from './story';
import type { ActionHandlers } from './machine-runner';
import type { proofMachine } from './machines/proof';

const { sendDocumentEmail, notifyForwarder } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});

export function colleagueActions(input: ProofWorkflowInput, tools: StoryTools): Pick<ActionHandlers<typeof proofMachine>, 'sendForwardEmail' | 'notifyForwarder'> {
  const { workflowId } = workflowInfo();
  const { tenantId, documentId } = input;
  return {
    // Part of the decision: `forwarded` is recorded once the colleague's email is out. Keyed
    // by the decision id, so a retried activity or a replay sends one email and mints one link.
    sendForwardEmail: async ({ params }) => {
      await sendDocumentEmail({
        tenantId,
        documentId,
        template: 'proof_forwarded',
        // A colleague without a name is greeted by their address, not by the account's name.
        to: { email: params.to.email, name: params.to.name ?? params.to.email },
        attachPdf: false,
        forwardedFromLinkId: params.fromLinkId,
        idempotencyKey: `${workflowId}#forward#${params.decisionId}`,
      });
    },
    // Behind the answer, like the assignee's notice it follows: keyed by the colleague's link
    // and the decision, which a proof takes once per revision at most.
    notifyForwarder: async ({ params, snapshot }) => {
      const idempotencyKey = `${workflowId}#colleague#${params.colleagueLinkId}#${params.decision}#${snapshot.context.revision}`;
      tools.behindTheAnswer(
        () =>
          notifyForwarder({
            tenantId,
            documentId,
            colleagueLinkId: params.colleagueLinkId,
            decision: params.decision,
            ...(params.comment ? { comment: params.comment } : {}),
            idempotencyKey,
          }),
        { notice: 'forwarder', decision: params.decision },
      );
    },
  };
}
