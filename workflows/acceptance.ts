/**
 * The story of an order or a delivery note sent to its customer for an answer (seed 002):
 * sent, viewed, accepted or refused, or cancelled by the seller. The rules live in
 * machines/acceptance.ts; the story around them (recording, notifications, decisions,
 * continue-as-new) is the one every document shares (document-story.ts).
 */
import { patched } from './patches';
import { acceptanceStateQuery, acceptanceUpdates, type AcceptanceView, type AcceptanceWorkflowInput } from './messages/acceptance';
import { answerEvent, runDocumentStory } from './document-story';
import { decision, decisionEvent } from './story';
import {
  acceptanceMachine,
  acceptanceStatus,
  acceptanceView,
  isAcceptanceClosed,
  whyNotAcceptance,
  type AcceptanceDecisionEvent,
  type AcceptanceEvent,
} from './machines/acceptance';
import { customerEmailActions, emailRecipient } from './customer-emails';
import type { AcceptanceStatus } from '../domain/acceptance';
import { summaryKindName } from '../domain/summaries';
import { signatureWithdrawal, signerReminder, startSignatureChild } from './signature';

const DECISIONS: [Exclude<keyof typeof acceptanceUpdates, 'recordAnswer'>, AcceptanceDecisionEvent['type']][] = [
  ['accept', 'ACCEPT'],
  ['refuse', 'REFUSE'],
  ['remind', 'REMIND'],
  ['cancel', 'CANCEL'],
];

/** What an open order or delivery note waits for, as operators read it. */
const WAITS_FOR: Partial<Record<AcceptanceStatus, string>> = {
  draft: 'the seller to send it',
  sent: "the customer's answer: accept or refuse",
  viewed: "the customer's answer: accept or refuse",
};

export async function acceptanceWorkflow(input: AcceptanceWorkflowInput): Promise<AcceptanceView> {
  // A customer's decision answers once the machine took it; its writes, emails and webhooks
  // follow in order (story.ts). Patched: a run started before records each decision first.
  const actionsRunBehind = patched('actions-run-behind');
  const { tenantId, documentId, kind } = input;
  // An order confirmation signed through an external provider (as in quote.ts): its child runs the signing, no email of ours.
  const external = input.signature && kind === 'order' && !input.resume && patched('external-signature') ? input.signature : undefined;
  if (external) await startSignatureChild({ kind: 'order', tenantId, documentId, customerId: input.customerId, number: input.number, customerName: input.customerName, signature: external });
  const emailsCustomer = !input.signature;
  const signedExternally = input.signature !== undefined && kind === 'order';

  const closed = await runDocumentStory(input, {
    kind,
    machine: acceptanceMachine,
    actionsRunBehind,
    machineInput: () => ({ kind, now: Date.now() }),
    status: acceptanceStatus,
    isClosed: isAcceptanceClosed,
    whyNot: whyNotAcceptance,
    view: acceptanceView,
    stateQuery: acceptanceStateQuery,
    decisions: [
      ...DECISIONS.map(([name, type]) => decision(acceptanceUpdates[name], (decided): AcceptanceEvent => decisionEvent(type, decided))),
      decision(acceptanceUpdates.recordAnswer, answerEvent),
    ],
    actions: (tools) => ({
      withdrawSignature: signatureWithdrawal({ tenantId, documentId, signedExternally }, tools),
      ...customerEmailActions({
        tenantId,
        documentId,
        send: input.send,
        emailsCustomer,
        templates: { firstSend: `${kind}_first_send`, reminder: `${kind}_reminder` },
        // Reminded by the seller only: no automatic ones to count.
        what: { document: `the ${summaryKindName(kind)}`, recipient: emailRecipient(input), maxReminders: 0 },
        remindElsewhere: signerReminder({ tenantId, documentId, signedExternally }),
      }),
    }),
    operator: {
      waitingFor: (snapshot) => {
        const status = acceptanceStatus(snapshot);
        return input.signature && (status === 'sent' || status === 'viewed') ? "the customer's signature at the provider (signature workflow)" : WAITS_FOR[status];
      },
      // An order or a delivery note arms no timer of its own.
      timer: (name) => name,
    },
  });
  return acceptanceView(closed);
}
