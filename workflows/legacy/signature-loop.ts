/**
 * The signature's workflow as it ran before signatures ran on the shared story
 * (workflows/signature.ts, patch `signature-on-story`): a loop polling on its own timer, the
 * seller's cancel withdrawn beside it. A run begun on this loop, or resumed from the state it
 * carried, replays and ends here, then continues as new on the story, carrying the story's
 * resume. Remove this file and legacy/signature-machine.ts, and make the patch
 * `deprecatePatch`, once no such run is open (runs continue as new every 500 checks: about
 * ten days of 30-minute polls).
 */
import { ActivityFailure, ApplicationFailure, allHandlersFinished, condition, continueAsNew, currentUpdateInfo, log, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { GreenlightActivities } from '../../activities/types';
import type { Actor } from '../../domain/documents';
import { MachineRunner, type ActionCall, type ActionHandlers } from '../machine-runner';
import type { RecordParams } from '../machines/actions';
import { signatureContext, type SignatureView } from '../machines/signature';
import { DECISION_REJECTED, type WorkflowResume } from '../messages/document';
import { cancelSignatureUpdate, checkSignatureSignal, signatureStateQuery, type SignatureWorkflowInput } from '../messages/signature';
import { documentSearchAttributes } from '../search-attributes';
import { cancelExternalSignature, checkExternalSignature, decideParentDocument, startExternalSignature, storeSignedDocument } from '../signature-activities';
import type { signatureWorkflow } from '../signature';
import { patiently } from '../story';
import { digitalStatus, isSignatureClosed, signatureMachine, whyNoCancel, type SignatureEvent } from './signature-machine';

/** What a run of this loop carried when it continued as new. */
export interface SignatureLoopResume extends Pick<WorkflowResume, 'snapshot' | 'transitionSeq' | 'decisionIds'> {
  consecutiveFailures: number;
  failureReported: boolean;
  /** Epoch ms of the last check, so the next one keeps the interval across runs. */
  lastCheckAt: number;
  checkRequested: boolean;
}

type SignatureLoopInput = Omit<SignatureWorkflowInput, 'resume'> & { resume?: SignatureLoopResume };

/** Whether a run resumes from this loop's state (a run it continued as new before the story took over). */
export function resumesSignatureLoop(input: SignatureWorkflowInput | SignatureLoopInput): input is SignatureLoopInput {
  return input.resume !== undefined && 'lastCheckAt' in input.resume;
}

type SignatureMachine = typeof signatureMachine;

const { recordTransition } = proxyActivities<GreenlightActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });

const DEFAULT_REPORT_FAILURES_AFTER = 3;
const DEFAULT_CHECKS_PER_RUN = 500;

/** The signer acted through the provider; the audit trail names the signature as the link. */
function signerActor(documentId: string): Actor {
  return { kind: 'customer', linkId: `signature:${documentId}` };
}

export async function signatureLoop(input: SignatureWorkflowInput | SignatureLoopInput): Promise<SignatureView> {
  const resume = resumesSignatureLoop(input) ? input.resume : undefined;
  const { workflowId } = workflowInfo();
  const { tenantId, documentId } = input;
  const ref = { tenantId, documentId };
  const reportFailuresAfter = input.reportFailuresAfter ?? DEFAULT_REPORT_FAILURES_AFTER;
  const checksPerRun = input.continueAsNewAfterChecks ?? DEFAULT_CHECKS_PER_RUN;

  let transitionSeq = resume?.transitionSeq ?? 0;
  const decisionIds = new Set(resume?.decisionIds);
  let consecutiveFailures = resume?.consecutiveFailures ?? 0;
  let failureReported = resume?.failureReported ?? false;
  let lastCheckAt = resume?.lastCheckAt ?? 0;
  let checkRequested: 'check' | 'webhook' | undefined = resume?.checkRequested ? 'check' : undefined;
  let checks = 0;

  const decideParent = async (decision: 'accept' | 'refuse') => {
    const answer = await decideParentDocument({ ...ref, parentWorkflowId: input.parentWorkflowId, decision, decisionId: `${workflowId}#${decision}` });
    // The document may have closed another way meanwhile (cancelled, expired): the digital status still says what the signer did.
    if (answer.outcome !== 'taken') log.warn('The document did not take the signature outcome', { documentId, decision, ...answer });
  };

  const handlers: ActionHandlers<SignatureMachine> = {
    recordDigitalStatus: async ({ params, event, snapshot, previous }: ActionCall<SignatureMachine, RecordParams>) => {
      const status = digitalStatus(snapshot);
      const changed = previous === undefined || digitalStatus(previous) !== status;
      transitionSeq += 1;
      await recordTransition({
        tenantId,
        documentId,
        workflowId,
        seq: transitionSeq,
        ...(changed ? { digitalStatus: status } : {}),
        event: { type: params.type, at: event.at, actor: actorOf(event, documentId), data: { provider: input.provider, ...detailsOf(event) } },
      });
      if (changed) upsertSearchAttributes(documentSearchAttributes({ tenantId, kind: input.kind, customerId: input.customerId, status: `digital_${status}` }));
    },
    storeSignedDocument: async () => void (await storeSignedDocument(ref)),
    acceptDocument: () => decideParent('accept'),
    refuseDocument: () => decideParent('refuse'),
  };

  const runner = resume
    ? MachineRunner.restore(signatureMachine, { snapshot: resume.snapshot as { value: unknown; context: unknown }, deadlines: [] }, handlers)
    : MachineRunner.start(signatureMachine, undefined, handlers);
  const closed = () => isSignatureClosed(runner.snapshot);
  const view = (): SignatureView => ({
    digitalStatus: digitalStatus(runner.snapshot),
    checks,
    consecutiveFailures,
    ...(closed() ? {} : { nextCheckAt: lastCheckAt + input.pollIntervalMs }),
  });

  setHandler(signatureStateQuery, view);
  setHandler(checkSignatureSignal, ({ trigger }) => {
    if (!closed()) checkRequested = checkRequested === 'webhook' ? 'webhook' : trigger;
  });
  setHandler(
    cancelSignatureUpdate,
    async (cancel) => {
      const decisionId = currentUpdateInfo()?.id ?? '';
      if (decisionIds.has(decisionId)) return view();
      refuseUnless(whyNoCancel(runner.snapshot, cancel.actor));
      // Withdrawn at the provider first: if that fails, the seller hears it and nothing changed here.
      await cancelExternalSignature({ ...ref, actor: cancel.actor, ...(cancel.reason ? { reason: cancel.reason } : {}) });
      await runner.send({ type: 'CANCEL', at: Date.now(), actor: cancel.actor, ...(cancel.reason ? { reason: cancel.reason } : {}) });
      decisionIds.add(decisionId);
      return view();
    },
    {
      validator: (cancel) => {
        if (decisionIds.has(currentUpdateInfo()?.id ?? '')) return;
        refuseUnless(whyNoCancel(runner.snapshot, cancel.actor));
      },
    },
  );

  const check = async (trigger: 'poll' | 'check' | 'webhook') => {
    checks += 1;
    try {
      const read = await checkExternalSignature(ref);
      lastCheckAt = Date.now();
      if (failureReported) await runner.send({ type: 'CHECKS_RECOVERED', at: Date.now(), failures: consecutiveFailures });
      consecutiveFailures = 0;
      failureReported = false;
      // The machine ignores what is no news (the same status, or an older one).
      await runner.send({ type: 'PROVIDER_STATUS', at: Date.now(), status: read.status, providerStatus: read.providerStatus, trigger });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      lastCheckAt = Date.now();
      consecutiveFailures += 1;
      if (consecutiveFailures >= reportFailuresAfter && !failureReported) {
        failureReported = true;
        await runner.send({ type: 'CHECKS_FAILING', at: Date.now(), failures: consecutiveFailures, error: error.cause?.message ?? error.message });
      }
    }
  };

  if (!resume) {
    const sent = await startExternalSignature(ref).catch(async (error: unknown) => {
      // A refusal (4xx: a payload the provider will never take) is the seller's to read, not only a failed workflow.
      const refusal = providerRefusal(error);
      if (refusal === undefined) throw error;
      await runner.send({ type: 'SEND_REFUSED', at: Date.now(), error: refusal });
      return undefined;
    });
    lastCheckAt = Date.now();
    if (sent) await runner.send({ type: 'PROVIDER_STATUS', at: Date.now(), status: sent.status, providerStatus: sent.providerStatus, trigger: 'send' });
  }

  const timeToContinueAsNew = () => workflowInfo().continueAsNewSuggested || checks >= checksPerRun;
  while (!closed() && !timeToContinueAsNew()) {
    const wait = lastCheckAt + input.pollIntervalMs - Date.now();
    // The durable timer: cut short by a check request, a webhook, or a cancel that closes the signature.
    if (!checkRequested && wait > 0) await condition(() => checkRequested !== undefined || closed(), wait);
    if (closed()) break;
    const trigger = checkRequested ?? 'poll';
    checkRequested = undefined;
    await check(trigger);
  }

  await condition(allHandlersFinished);
  if (!closed()) {
    // The next run is the story's: its machine starts from this status, its next check due as this loop's was.
    const context = { ...signatureContext({ provider: input.provider, pollIntervalMs: input.pollIntervalMs, reportFailuresAfter }), failures: consecutiveFailures, failureReported };
    const nextCheckAt = checkRequested ? Date.now() : lastCheckAt + input.pollIntervalMs;
    return continueAsNew<typeof signatureWorkflow>({
      ...input,
      resume: {
        snapshot: { value: digitalStatus(runner.snapshot), context: { ...context, nextCheckAt, ...(checkRequested ? { requestedBy: checkRequested } : {}) } },
        deadlines: [{ id: 'nextCheck', event: 'CHECK_DUE', at: nextCheckAt }],
        transitionSeq,
        decisionIds: [...decisionIds],
      },
    });
  }
  return view();
}

/** The provider's message when an activity failed because the provider refused (activities/signature/activities.ts atProvider). */
function providerRefusal(error: unknown): string | undefined {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure) || error.cause.type !== 'ProviderRejected') return undefined;
  return error.cause.message;
}

function refuseUnless(reason: string | undefined): void {
  if (reason) throw ApplicationFailure.create({ type: DECISION_REJECTED, message: reason, nonRetryable: true });
}

function actorOf(event: SignatureEvent, documentId: string): Actor {
  if (event.type === 'CANCEL') return event.actor;
  if (event.type === 'PROVIDER_STATUS' && ['viewed', 'signed', 'rejected'].includes(event.status)) return signerActor(documentId);
  return { kind: 'system' };
}

function detailsOf(event: SignatureEvent): Record<string, unknown> {
  switch (event.type) {
    case 'PROVIDER_STATUS':
      return { providerStatus: event.providerStatus, trigger: event.trigger };
    case 'CANCEL':
      return event.reason ? { reason: event.reason } : {};
    case 'CHECKS_FAILING':
      return { failures: event.failures, error: event.error };
    case 'SEND_REFUSED':
      return { error: event.error };
    case 'CHECKS_RECOVERED':
      return { failures: event.failures };
  }
}
