/**
 * The story of one quote, from the moment the seller sends it to the customer's answer (or
 * its expiry). The rules live in the quote machine (machines/quote.ts); this workflow gives
 * them durable time and real side effects, as DESIGN.md §3 describes.
 */
import { ActivityFailure, log, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { GreenlightActivities } from '../activities/types';
import type { DecisionInput } from './messages/document';
import { quoteStateQuery, quoteUpdates, type QuoteView, type QuoteWorkflowInput } from './messages/quote';
import { runDocumentStory } from './document-story';
import { decision, decisionEvent, patiently } from './story';
import { customerEmailActions } from './customer-emails';
import { signatureWithdrawal, startSignatureChild } from './signature';
import {
  currentVersion,
  isClosed,
  quoteMachine,
  quoteStatus,
  quoteView,
  whyNot,
  type DecisionEvent,
  type QuoteEvent,
  type ReviseEvent,
  type SignEvent,
} from './machines/quote';

const { recordSignature, applyRevision, cancelPortalSigning } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: patiently,
});
/** Converting on acceptance: idempotent, as a chain holds one order. */
const { convertDocument } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: patiently,
});
/** Rendering the PDF for the attachment may take a while on long quotes. */
const { sendDocumentEmail } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});

const decisionUpdates: [UpdateDefinition<QuoteView, [DecisionInput]>, DecisionEvent['type']][] = [
  [quoteUpdates.accept, 'ACCEPT'],
  [quoteUpdates.refuse, 'REFUSE'],
  [quoteUpdates.hold, 'HOLD'],
  [quoteUpdates.remind, 'REMIND'],
  [quoteUpdates.cancel, 'CANCEL'],
  [quoteUpdates.cancelSigning, 'CANCEL_SIGNING'],
];

export async function quoteWorkflow(input: QuoteWorkflowInput): Promise<QuoteView> {
  const { workflowId } = workflowInfo();
  const { tenantId, documentId } = input;
  // A quote that must be signed is sent and reminded in words that ask for the signature. Only
  // the activities' input changes (replay compares commands, not their arguments): no patch.
  const firstSendTemplate = input.requireSignature ? 'signature_request' : 'first_send';
  const reminderTemplate = input.requireSignature ? 'signature_reminder' : 'reminder';
  // Signed through an external provider: its child workflow runs the signing, and the provider
  // emails (or texts) the customer, so no email of ours goes out. Patched: a new command.
  const external = input.signature && !input.resume && patched('external-signature') ? input.signature : undefined;
  if (external) await startSignatureChild({ kind: 'quote', tenantId, documentId, customerId: input.customerId, signature: external });
  const emailsCustomer = !input.signature;

  const closed = await runDocumentStory(input, {
    kind: 'quote',
    machine: quoteMachine,
    machineInput: () => ({
      now: Date.now(),
      validUntil: input.validUntil,
      reminderAfterMs: input.reminderAfterMs,
      maxReminders: input.maxReminders,
      requireSignature: input.requireSignature,
    }),
    status: quoteStatus,
    isClosed,
    whyNot,
    view: quoteView,
    stateQuery: quoteStateQuery,
    // The customer decides (accept, sign, refuse, hold) and the seller acts (remind, cancel, cancel the signing, revise).
    decisions: [
      ...decisionUpdates.map(([update, type]) => decision(update, (decided): QuoteEvent => decisionEvent(type, decided))),
      decision(quoteUpdates.sign, (signing): SignEvent => ({ type: 'SIGN', at: Date.now(), ...signing })),
      decision(quoteUpdates.revise, (revision): ReviseEvent => ({ type: 'REVISE', at: Date.now(), ...revision })),
    ],
    actions: (tools) => ({
      withdrawSignature: signatureWithdrawal({ tenantId, documentId, signedExternally: input.signature !== undefined }, tools),
      ...customerEmailActions({ tenantId, documentId, send: input.send, emailsCustomer, templates: { firstSend: firstSendTemplate, reminder: reminderTemplate } }),
      recordSignature: async ({ params }) => {
        await recordSignature({ tenantId, documentId, ...params });
      },
      // Retried until done (as every write here): the machine already counts the signing cancelled.
      cancelPortalSigning: async ({ event }) => {
        const reason = 'reason' in event ? event.reason : undefined;
        await cancelPortalSigning({ tenantId, documentId, workflowId, seq: tools.nextWriteSeq(), at: event.at, actor: event.actor, ...(reason ? { reason } : {}) });
      },
      applyRevision: async ({ params }) => {
        await applyRevision({ tenantId, documentId, ...params });
      },
      sendRevisionEmail: async ({ snapshot }) => {
        // The first-send template: for the customer, a new version is a new quote to read (or sign).
        const version = currentVersion(snapshot.context);
        await sendDocumentEmail({
          tenantId,
          documentId,
          template: firstSendTemplate,
          to: input.send.to,
          attachPdf: input.send.attachPdf,
          idempotencyKey: `${workflowId}#version#${version}`,
        });
      },
    }),
  });

  // The tenant asked for acceptance to make the order by itself (settings.autoConvertToOrder).
  // Patched: a quote accepted before this existed replays (a query of its closed run) without it.
  if (input.autoConvertToOrder && quoteStatus(closed) === 'accepted' && patched('auto-convert-to-order')) {
    await convertDocument({ tenantId, documentId, to: 'order', at: Date.now() }).catch((error: unknown) => {
      // Only a non-retryable refusal gets here (the quote changed under us): the seller converts by hand.
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('Automatic conversion to an order failed', { documentId, error: error.message });
    });
  }
  return quoteView(closed);
}
