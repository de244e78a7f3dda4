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
import { proofStateQuery, proofUpdates, type ProofView, type ProofWorkflowInput } from './messages/proof';
import { runDocumentStory } from './document-story';
import { currentDecisionId, decision, decisionEvent, patiently } from './story';
import { colleagueActions } from './proof-colleagues';
import { inviteDeciders, remindDeciders, tellRoundDecision } from './decider-invitations';
import { confirmationActions, emailRecipient, messageCustomer } from './customer-emails';
import type { ProofStatus } from '../domain/documents';
import { isProofClosed, proofMachine, proofStatus, proofView, whyNotProof, type ProofEvent } from './machines/proof';
import { patched } from './patches';

const { sendRevisionToColleagues } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});

/** What an open proof waits for, as operators read it. */
const WAITS_FOR: Partial<Record<ProofStatus, string>> = {
  sent: "the customer's answer on the revision: approve or ask for changes",
  viewed: "the customer's answer on the revision: approve or ask for changes",
  changes_requested: 'the next revision (upload and render)',
  approved: 'the seller to mark it in production (the customer may withdraw the approval until then)',
};

export async function proofWorkflow(input: ProofWorkflowInput): Promise<ProofView> {
  const { workflowId } = workflowInfo();
  const { tenantId, documentId } = input;
  // Proof type email (domain/proof-types.ts) attaches the revision's watermarked PDF; online goes by link only,
  // unless the send asked for the PDF. Only the activity's input changes (replay compares commands): no patch.
  const attachPdf = input.proofType === 'email' || input.send.attachPdf;
  /** The customer hears about a revision: sent (the first with the seller's message) or reminded. */
  const recipient = emailRecipient(input);
  const emailRevision = (template: 'proof_revision' | 'proof_next_revision' | 'proof_reminder', revision: number, idempotencyKey: string, message?: string) =>
    messageCustomer({ ...input.send, attachPdf }, `email ${template === 'proof_reminder' ? 'a reminder of ' : ''}revision ${revision} to ${recipient}`, {
      tenantId,
      documentId,
      template,
      message,
      revision,
      idempotencyKey,
    });

  // An approval may be withdrawn for a while: the run stays open until the seller marks the proof
  // in production or the window ends. Patched: an approved proof closed at once before.
  const withdrawal = input.withdrawal && !input.resume && patched('withdrawal') ? input.withdrawal : undefined;
  // Several deciders, invited in steps instead of the customer's email. Patched: a new opening.
  const deciders = input.deciders && !input.resume && patched('deciders') ? input.deciders : undefined;

  const closed = await runDocumentStory(input, {
    kind: 'proof',
    machine: proofMachine,
    machineInput: () => ({
      now: Date.now(),
      termsVersion: input.termsVersion,
      termsAcceptedVersion: input.termsAcceptedVersion,
      readyRevision: input.readyRevision,
      ...(withdrawal ? { withdrawal } : {}),
      ...(deciders ? { deciders } : {}),
    }),
    status: proofStatus,
    isClosed: isProofClosed,
    whyNot: whyNotProof,
    view: proofView,
    stateQuery: proofStateQuery,
    decisions: [
      decision(proofUpdates.approve, (decided): ProofEvent => decisionEvent('APPROVE', decided)),
      decision(proofUpdates.requestChanges, (decided): ProofEvent => decisionEvent('REQUEST_CHANGES', decided)),
      decision(proofUpdates.comment, (comment): ProofEvent => decisionEvent('COMMENT', comment)),
      decision(proofUpdates.cancel, (decided): ProofEvent => decisionEvent('CANCEL', decided)),
      decision(proofUpdates.forward, (forward): ProofEvent => ({ ...decisionEvent('FORWARD', forward), decisionId: currentDecisionId() })),
      decision(proofUpdates.remind, (decided): ProofEvent => decisionEvent('REMIND', decided)),
      decision(proofUpdates.withdraw, (decided): ProofEvent => decisionEvent('WITHDRAW', decided)),
      decision(proofUpdates.moveOn, (decided): ProofEvent => decisionEvent('MOVE_ON', decided)),
      decision(proofUpdates.revisionReady, (ready): ProofEvent => decisionEvent('REVISION_READY', ready)),
    ],
    actions: (tools) => ({
      ...colleagueActions(input, tools),
      ...confirmationActions({ tenantId, documentId, emailsCustomer: true, send: input.send }, tools),
      sendRevisionEmail: async ({ params, snapshot, previous }) => {
        const idempotencyKey = `${workflowId}#revision#${params.revision}`;
        // The first revision goes out from a draft, with the send's message; a later one says
        // which it is and what it follows (template proof_next_revision), the message long said.
        // Only the activity's input changes for histories recorded before: no patch.
        const first = !previous || proofStatus(previous) === 'draft';
        await (first ? emailRevision('proof_revision', params.revision, idempotencyKey, input.send.message) : emailRevision('proof_next_revision', params.revision, idempotencyKey));
        // Colleagues the proof was forwarded to hear of it too, behind the answer like the
        // forwarder's notice. A new command: histories recorded before it replay without it.
        if ((snapshot.context.forwards ?? 0) > 0 && patched('proof-revision-reaches-colleagues')) {
          const summary = `email revision ${params.revision} to the colleagues it was forwarded to`;
          tools.behindTheAnswer(() => sendRevisionToColleagues.executeWithOptions({ summary }, [{ tenantId, documentId, revision: params.revision, idempotencyKey }]), {
            notice: 'colleagues',
            revision: params.revision,
          });
        }
      },
      // The round settled: each decider told its decision on their own link, as a quote's are.
      // Patched: a round settled before told nobody.
      tellRoundDecision: async ({ params, snapshot }) => {
        if (patched('decider-outcomes')) tellRoundDecision(snapshot.context.deciders, params, { tenantId, documentId, informContact: input.informContact === true }, tools);
      },
      // Each step's deciders get the revision as the customer would: the first with the send's message, a later one as the next.
      inviteDeciders: async ({ params, snapshot }) => {
        const first = params.round === 1;
        await inviteDeciders(snapshot.context.deciders, params, {
          tenantId,
          documentId,
          template: first ? 'proof_revision' : 'proof_next_revision',
          ...(first && input.send.message ? { message: input.send.message } : {}),
          attachPdf,
          revision: snapshot.context.revision,
        });
      },
      sendReminderEmail: async ({ params, snapshot }) => {
        // Several deciders: those still awaited are reminded, each on their own link.
        const round = snapshot.context.deciders;
        if (round) return remindDeciders(round, params.reminder, { tenantId, documentId, template: 'proof_reminder', attachPdf, revision: params.revision });
        await emailRevision('proof_reminder', params.revision, `${workflowId}#reminder#${params.reminder}`);
      },
    }),
    operator: {
      waitingFor: (snapshot) => {
        const status = proofStatus(snapshot);
        if (status === 'draft') return snapshot.context.revision > 0 ? 'the seller to send it' : 'its first revision to be rendered';
        if (status === 'approved' && !snapshot.context.withdrawable) return undefined;
        return WAITS_FOR[status];
      },
      // A proof's one timer closes its withdrawal window: reminders are the seller's.
      timer: (name) => (name === 'untilWithdrawalCloses' ? 'the withdrawal window ends' : name),
      facts: ({ context }) => [['Revision', context.revision > 0 ? `${context.revision} (${context.pageCount} pages)` : undefined]],
    },
  });
  return proofView(closed);
}
