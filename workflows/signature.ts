/**
 * The story of a document out for signature with an external provider (seed 003): created
 * and sent at the provider, then checked until it reaches a final digital status — a poll
 * interval after each reading, at once when the seller asks (POST …/signature/check) or the
 * provider's verified webhook says something happened. The rules (which reading is news,
 * when the next check is due, when failing checks are told) live in machines/signature.ts;
 * the story around them (decisions, time, continue-as-new) is the one every workflow shares
 * (story.ts). This file asks the provider and records each change of digital status on the
 * document. Signed: the signed PDF is stored, then the document is accepted through its own
 * workflow; rejected: refused.
 *
 * Started as a child of the document's workflow (quote or order), abandoned when that one
 * closes; continues as new every few hundred checks, carrying its state, so months of
 * 30-minute polls never reach Temporal's history limits.
 */
import { ActivityFailure, ApplicationFailure, ParentClosePolicy, log, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { SignatureActivities, ProviderStatus } from '../activities/signature/types';
import type { Actor } from '../domain/documents';
import type { DigitalStatus } from '../domain/digital-status';
import { detailLines, documentSummary, plainDuration } from '../domain/summaries';
import { recordTransitions } from './document-story';
import { resumesSignatureLoop, signatureLoop } from './legacy/signature-loop';
import {
  digitalStatus,
  isSignatureClosed,
  signatureMachine,
  signatureView,
  whyNotSignature,
  type CheckTrigger,
  type SignatureEvent,
  type SignatureView,
} from './machines/signature';
import {
  cancelSignatureUpdate,
  checkSignatureSignal,
  signatureStateQuery,
  signatureWorkflowId,
  type ExternalSignatureStart,
  type SignatureWorkflowInput,
} from './messages/signature';
import { documentSearchAttributes } from './search-attributes';
import { cancelExternalSignature, checkExternalSignature, decideParentDocument, startExternalSignature, storeSignedDocument } from './signature-activities';
import { decision, fact, patiently, runStory, type StoryTools } from './story';
import type { AnswerEvent } from './machines/actions';
import { answeredThrough } from '../domain/offline';
import { providerSignerActor } from '../domain/signature';
import { patched } from './patches';

/** The document was cancelled: its signing is withdrawn for as long as it takes (each attempt waits a bounded time). */
const { withdrawDocumentSignature } = proxyActivities<SignatureActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });
/** The seller waits for the answer of a reminder: a provider that does not answer soon is logged, not waited out. */
const { remindExternalSigner } = proxyActivities<SignatureActivities>({ startToCloseTimeout: '30 seconds', retry: { ...patiently, maximumAttempts: 5 } });

/** What an open signing waits for, as operators read it. */
const WAITS_FOR: Partial<Record<DigitalStatus, string>> = {
  draft: 'the document to be created at the provider',
  sent: 'the signer to open it',
  viewed: "the signer's signature",
  undeliverable: 'the seller: the provider could not reach the signer',
};

const DEFAULT_REPORT_FAILURES_AFTER = 3;
const DEFAULT_CHECKS_PER_RUN = 500;

export async function signatureWorkflow(input: SignatureWorkflowInput): Promise<SignatureView> {
  // Runs begun on the loop this story replaced finish on it (legacy/signature-loop.ts).
  if (resumesSignatureLoop(input) || !patched('signature-on-story')) return signatureLoop(input);
  const { workflowId } = workflowInfo();
  const { tenantId, documentId } = input;
  const ref = { tenantId, documentId };
  const checksPerRun = input.continueAsNewAfterChecks ?? DEFAULT_CHECKS_PER_RUN;

  /** A provider's reading as the machine takes it; what the signer did themselves names them. */
  const reading = (read: ProviderStatus, trigger: CheckTrigger): SignatureEvent => ({
    type: 'PROVIDER_STATUS',
    at: Date.now(),
    status: read.status,
    providerStatus: read.providerStatus,
    trigger,
    ...(SIGNER_STATUSES.includes(read.status) ? { actor: providerSignerActor(documentId) } : {}),
  });
  const decideParent = async (decision: 'accept' | 'refuse') => {
    const answer = await decideParentDocument.executeWithOptions({ summary: `${decision} the ${input.kind}: the signer ${decision === 'accept' ? 'signed' : 'rejected'}` }, [
      { ...ref, parentWorkflowId: input.parentWorkflowId, decision, decisionId: `${workflowId}#${decision}` },
    ]);
    // The document may have closed another way meanwhile (cancelled, expired): the digital status still says what the signer did.
    if (answer.outcome !== 'taken') log.warn('The document did not take the signature outcome', { documentId, decision, ...answer });
  };

  const ended = await runStory(input, {
    kind: input.kind,
    machine: signatureMachine,
    machineInput: () => ({ provider: input.provider, pollIntervalMs: input.pollIntervalMs, reportFailuresAfter: input.reportFailuresAfter ?? DEFAULT_REPORT_FAILURES_AFTER }),
    isClosed: isSignatureClosed,
    whyNot: whyNotSignature,
    view: signatureView,
    stateQuery: signatureStateQuery,
    decisions: [decision(cancelSignatureUpdate, (cancel): SignatureEvent => ({ type: 'CANCEL', at: Date.now(), ...cancel }))],
    facts: [fact(checkSignatureSignal, ({ trigger }): SignatureEvent => ({ type: 'CHECK_REQUESTED', at: Date.now(), trigger }))],
    opening: (): SignatureEvent => ({ type: 'SEND', at: Date.now() }),
    actions: (tools) => ({
      recordTransition: recordTransitions<typeof signatureMachine>(tools, {
        tenantId,
        documentId,
        status: digitalStatus,
        column: 'digitalStatus',
        shownAs: (status) => `digital_${status}`,
        // Patched as a document's (document-story.ts): records were regular activities before.
        here: patched('records-local'),
      }),
      startAtProvider: async () => {
        try {
          return reading(await startExternalSignature.executeWithOptions({ summary: `send the ${input.kind} for signature at ${input.provider}` }, [ref]), 'send');
        } catch (error) {
          // A refusal (4xx: a payload the provider will never take) is the seller's to read, not only a failed workflow.
          const refusal = providerRefusal(error);
          if (refusal === undefined) throw error;
          return { type: 'SEND_REFUSED', at: Date.now(), error: refusal };
        }
      },
      checkAtProvider: async ({ params }) => {
        try {
          return reading(await checkExternalSignature.executeWithOptions({ summary: `signature status check at ${input.provider} (${params.trigger})` }, [ref]), params.trigger);
        } catch (error) {
          // A provider outage fails this check, never the signature.
          if (!(error instanceof ActivityFailure)) throw error;
          return { type: 'CHECK_FAILED', at: Date.now(), error: error.cause?.message ?? error.message };
        }
      },
      withdrawAtProvider: async ({ params }) => {
        await cancelExternalSignature.executeWithOptions({ summary: `withdraw the signing at ${input.provider}` }, [{ ...ref, ...params }]);
        return { type: 'WITHDRAWN', at: Date.now(), ...params };
      },
      storeSignedDocument: async () => void (await storeSignedDocument.executeWithOptions({ summary: 'store the signed PDF' }, [ref])),
      acceptDocument: () => decideParent('accept'),
      refuseDocument: () => decideParent('refuse'),
    }),
    timeToContinueAsNew: ({ snapshot, resumedFrom, suggested }) => suggested || snapshot.context.checks - (resumedFrom?.context.checks ?? 0) >= checksPerRun,
    operator: {
      title: signatureSummary(input),
      status: digitalStatus,
      waitingFor: (snapshot) => WAITS_FOR[digitalStatus(snapshot)],
      timer: (name) => (name === 'CHECK_DUE' ? 'signature status check' : name),
      facts: ({ context }) => [
        ['Checks made', String(context.checks)],
        ['Failed in a row', context.failures > 0 ? String(context.failures) : undefined],
      ],
    },
  });
  return signatureView(ended);
}

/** "Quote Q-2026-0042 · ACME AB · signature at getaccept": the signature workflow's one line. */
function signatureSummary(input: Pick<SignatureWorkflowInput, 'kind' | 'documentId' | 'number' | 'customerName' | 'provider'>): string {
  const document = documentSummary(input.kind, { number: input.number ?? input.documentId, ...(input.customerName ? { customerName: input.customerName } : {}) });
  return `${document} · signature at ${input.provider}`;
}

/**
 * Starts the signature as a child of the document's workflow. Abandoned when the parent
 * closes: a quote accepted by phone still has its digital signing cancelled by the seller's
 * own call, and a parent continuing as new must not cancel it.
 */
export async function startSignatureChild(parent: {
  kind: 'quote' | 'order';
  tenantId: string;
  documentId: string;
  customerId: string;
  number: string;
  customerName?: string;
  signature: ExternalSignatureStart;
}): Promise<void> {
  const { signature } = parent;
  await startChild(signatureWorkflow, {
    workflowId: signatureWorkflowId(parent.documentId),
    staticSummary: signatureSummary({ ...parent, provider: signature.provider }),
    staticDetails: detailLines([
      ['Document', parent.documentId],
      ['Purpose', signature.purpose],
      ['Channel', signature.channel],
      ['Status checks', `every ${plainDuration(signature.pollIntervalMs)}, and when the provider's webhook or the seller asks`],
    ]),
    parentClosePolicy: ParentClosePolicy.ABANDON,
    typedSearchAttributes: documentSearchAttributes({ tenantId: parent.tenantId, kind: parent.kind, customerId: parent.customerId, status: 'digital_draft' }),
    args: [
      {
        ...parent.signature,
        kind: parent.kind,
        tenantId: parent.tenantId,
        documentId: parent.documentId,
        customerId: parent.customerId,
        number: parent.number,
        ...(parent.customerName ? { customerName: parent.customerName } : {}),
        parentWorkflowId: workflowInfo().workflowId,
      },
    ],
  });
}

/**
 * The action that withdraws a document's external signing when the document itself is
 * cancelled (the machines' `withdrawSignature` on CANCEL): part of the same decision, run
 * behind its answer through the signature's own workflow (its cancel, the machine's CANCEL →
 * withdrawn at the provider → WITHDRAWN), retried until it is done, so the document never
 * stays cancelled while its signing is still out. Nothing for a document without an external
 * signing: a built-in one is the quote's own status.
 */
export function signatureWithdrawal(document: { tenantId: string; documentId: string; signedExternally: boolean }, tools: StoryTools) {
  return async ({ event }: { event: WithdrawingEvent }): Promise<void> => {
    // Patched: a document cancelled before this replays without it (the API withdrew its signing then).
    if (!document.signedExternally || !patched('withdraw-signature-on-cancel')) return;
    const { tenantId, documentId } = document;
    const decisionId = `${workflowInfo().workflowId}#withdraw-signature`;
    const actor = event.actor ?? { kind: 'system' };
    tools.behindTheAnswer(async () => {
      const answer = await withdrawDocumentSignature({ tenantId, documentId, actor, decisionId, ...signingCancelReason(event) });
      // Over already (signed, rejected, expired), or refused by the provider: the digital status says what happened.
      if (answer.outcome !== 'taken') log.info('The signing was not withdrawn', { documentId, ...answer });
    }, { notice: 'signature withdrawal' });
  };
}

/** The decision that ends a document's signing: a cancel (with the seller's reason), or the customer's answer given off line. */
type WithdrawingEvent = { type: string; actor?: Actor; reason?: string } | AnswerEvent;

/** Why a document's signing is cancelled, in its trail: the seller's reason, or how the customer answered off line. */
export function signingCancelReason(event: WithdrawingEvent): { reason?: string } {
  if (event.type === 'RECORD_ANSWER' && 'channel' in event) return { reason: `The customer answered ${answeredThrough(event.channel)}${event.by ? ` (${event.by})` : ''}` };
  return event.reason ? { reason: event.reason } : {};
}

/**
 * The reminder of a document out for signature with an external provider (the machines'
 * `sendReminderEmail` when no email of ours goes out): the provider reminds the signer through
 * the channel the signing went out on. The API refuses a reminder once the signing is over; one
 * the provider still refuses (the signer signed a moment ago) is logged, the digital status
 * telling what happened. Nothing for a document without an external signing.
 */
export function signerReminder(document: { tenantId: string; documentId: string; signedExternally: boolean }) {
  return async (): Promise<void> => {
    // Patched: a reminder taken before this replays without it (it reached nobody then).
    if (!document.signedExternally || !patched('remind-at-provider')) return;
    const { tenantId, documentId } = document;
    try {
      await remindExternalSigner.executeWithOptions({ summary: 'remind the signer at the provider' }, [{ tenantId, documentId }]);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('The provider did not remind the signer', { documentId, error: error.cause?.message ?? error.message });
    }
  };
}

/** Statuses only the signer's own act sets at the provider. */
const SIGNER_STATUSES: readonly string[] = ['viewed', 'signed', 'rejected'];

/** The signer acted through the provider; the audit trail names the signature as the link. */

/** The provider's message when an activity failed because the provider refused (activities/signature/activities.ts atProvider). */
function providerRefusal(error: unknown): string | undefined {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure) || error.cause.type !== 'ProviderRejected') return undefined;
  return error.cause.message;
}
