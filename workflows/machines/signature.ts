/**
 * A document out for signature with an external provider, as a pure XState v5 machine
 * (DESIGN.md §3): its digital status, and when the provider is asked. The workflow
 * (workflows/signature.ts) runs the activities this machine names and feeds back what they
 * answered (PROVIDER_STATUS, CHECK_FAILED, SEND_REFUSED, WITHDRAWN); the machine decides what
 * that changes:
 *
 *   draft ──SEND──▶ created and sent at the provider: its first reading (PROVIDER_STATUS) or its refusal
 *   draft ──sent──▶ sent ──viewed──▶ viewed
 *   draft | sent | viewed | undeliverable ── signed ──▶ signed   (signed PDF stored, then the document accepted)
 *                                         ── rejected ─▶ rejected (the document refused)
 *                                         ── expired ──▶ expired
 *                                         ── recalled ─▶ cancelled (withdrawn at the provider by someone else)
 *   sent | viewed ── hardbounced ──▶ undeliverable
 *   draft ── SEND_REFUSED (the provider refused to create or send it) ──▶ failed
 *   any open status ── CANCEL ──▶ withdrawn at the provider ── WITHDRAWN ──▶ cancelled (the document stays open)
 *
 * A status never goes back (a late reading answering "sent" after "viewed" changes nothing), a
 * repeated status is no transition, and final statuses take nothing more.
 *
 * While open, the provider is checked `pollIntervalMs` after each reading (CHECK_DUE, a
 * delayed event like every timer of ours); the seller's "check now" and the provider's
 * webhook (CHECK_REQUESTED) make the next check due at once, so requests that arrive together
 * or during a check make one more check, not one each. A check that fails does not stop the
 * checks; after `reportFailuresAfter` failures in a row the trail says so once, and again once
 * the provider answers.
 */
import { assign, enqueueActions, setup, type SnapshotFrom } from 'xstate';
import type { Actor } from '../../domain/documents';
import { FINAL_DIGITAL_STATUSES, type DigitalStatus, type ExternalSignatureProvider } from '../../domain/digital-status';
import { activity, statusReaders, type RecordParams } from './actions';

/** What made us look: the poll timer, the seller's "check now", the provider's webhook, or the send itself. */
export type CheckTrigger = 'poll' | 'check' | 'webhook' | 'send';

export interface SignatureMachineInput {
  provider: ExternalSignatureProvider;
  pollIntervalMs: number;
  /** Consecutive failed checks after which the seller is told (one event). */
  reportFailuresAfter: number;
}

export interface SignatureContext extends SignatureMachineInput {
  /** Checks made, across runs. */
  checks: number;
  /** Checks failed in a row; whether the trail already says so. */
  failures: number;
  failureReported: boolean;
  /** A request made the next check due early: the webhook's, when both asked. */
  requestedBy?: 'check' | 'webhook';
  /** Epoch ms the next check is due, while open. */
  nextCheckAt?: number;
}

/** What the provider says the document is; the signer's own acts (viewed, signed, rejected) name them as actor. */
export interface ProviderStatusEvent {
  type: 'PROVIDER_STATUS';
  at: number;
  status: DigitalStatus;
  providerStatus: string;
  trigger: CheckTrigger;
  actor?: Actor;
}

interface SellerCancel {
  at: number;
  actor: Actor;
  reason?: string;
}

/** The seller cancels the signing. */
export interface CancelSignatureEvent extends SellerCancel {
  type: 'CANCEL';
}

/** The cancel's outcome: the provider withdrew the document. */
export interface WithdrawnEvent extends SellerCancel {
  type: 'WITHDRAWN';
}

export type SignatureEvent =
  | { type: 'SEND'; at: number }
  | ProviderStatusEvent
  | CancelSignatureEvent
  | WithdrawnEvent
  | { type: 'SEND_REFUSED'; at: number; error: string }
  | { type: 'CHECK_DUE'; at: number }
  | { type: 'CHECK_REQUESTED'; at: number; trigger: 'check' | 'webhook' }
  | { type: 'CHECK_FAILED'; at: number; error: string };

/** Parameters of the activity actions. */
export interface CheckParams {
  trigger: CheckTrigger;
}
export interface WithdrawParams {
  actor: Actor;
  reason?: string;
}

/** The context a machine starts with; a run continued from the loop before this machine starts from it too. */
export function signatureContext(input: SignatureMachineInput): SignatureContext {
  return { ...input, checks: 0, failures: 0, failureReported: false };
}

const reads = (status: DigitalStatus) => ({ event }: { event: { type: string } }) => event.type === 'PROVIDER_STATUS' && 'status' in event && event.status === status;

/** One guard per status the provider reports (the legacy machine reads them the same way). */
export const PROVIDER_STATUS_GUARDS = {
  readsSent: reads('sent'),
  readsViewed: reads('viewed'),
  readsSigned: reads('signed'),
  readsRejected: reads('rejected'),
  readsExpired: reads('expired'),
  readsCancelled: reads('cancelled'),
  readsUndeliverable: reads('undeliverable'),
};

/** What the trail keeps of each event beyond its type, time and actor. */
function detailsOf(context: SignatureContext, event: SignatureEvent): Record<string, unknown> {
  const provider = { provider: context.provider };
  switch (event.type) {
    case 'PROVIDER_STATUS':
      return { ...provider, providerStatus: event.providerStatus, trigger: event.trigger };
    case 'CHECK_FAILED':
      return { ...provider, failures: context.failures, error: event.error };
    case 'SEND_REFUSED':
      return { ...provider, error: event.error };
    default:
      return provider;
  }
}

const record = (type: RecordParams['type']) =>
  ({ type: 'recordTransition', params: ({ context, event }: { context: SignatureContext; event: SignatureEvent }): RecordParams => ({ type, data: detailsOf(context, event) }) }) as const;

/** Where a signing ends: no event moves it on (the legacy machine ends in the same states). */
export const SIGNATURE_ENDINGS = { signed: {}, rejected: {}, cancelled: {}, expired: {}, failed: {} } as const;

export const signatureMachine = setup({
  types: { context: {} as SignatureContext, events: {} as SignatureEvent, input: {} as SignatureMachineInput },
  guards: {
    ...PROVIDER_STATUS_GUARDS,
    /** This failure is the one that makes the checks worth reporting. */
    failingLongEnough: ({ context }) => !context.failureReported && context.failures + 1 >= context.reportFailuresAfter,
  },
  actions: {
    recordTransition: activity<RecordParams>(),
    startAtProvider: activity<undefined>(),
    checkAtProvider: activity<CheckParams>(),
    withdrawAtProvider: activity<WithdrawParams>(),
    storeSignedDocument: activity<undefined>(),
    acceptDocument: activity<undefined>(),
    refuseDocument: activity<undefined>(),
    countCheck: assign({ checks: ({ context }) => context.checks + 1, requestedBy: undefined }),
    countFailure: assign({ failures: ({ context }) => context.failures + 1 }),
    markFailureReported: assign({ failureReported: true }),
    /** A reading after reported failures says the provider answers again, before what it read. */
    recoverChecks: enqueueActions(({ context, enqueue }) => {
      if (context.failureReported) {
        enqueue({
          type: 'recordTransition',
          params: { type: 'signature_checks_recovered', actor: { kind: 'system' }, data: { provider: context.provider, failures: context.failures } },
        });
      }
      enqueue.assign({ failures: 0, failureReported: false });
    }),
    /** The next check, a poll interval after this reading; it replaces any check already due. */
    scheduleNextCheck: enqueueActions(({ context, event, enqueue }) => {
      enqueue.assign({ nextCheckAt: event.at + context.pollIntervalMs });
      enqueue.raise({ type: 'CHECK_DUE', at: event.at + context.pollIntervalMs }, { id: 'nextCheck', delay: context.pollIntervalMs });
    }),
    /** The next check is due now. */
    checkNow: enqueueActions(({ event, enqueue }) => {
      enqueue.assign({ nextCheckAt: event.at });
      enqueue.raise({ type: 'CHECK_DUE', at: event.at }, { id: 'nextCheck', delay: 0 });
    }),
    /** The webhook's request names the check when both asked: it says something happened. */
    requestCheck: assign({
      requestedBy: ({ context, event }) => (context.requestedBy === 'webhook' || event.type !== 'CHECK_REQUESTED' ? context.requestedBy : event.trigger),
    }),
  },
}).createMachine(
  (() => {
    const finals = [
      { guard: 'readsSigned', target: 'signed', actions: ['recoverChecks', 'storeSignedDocument', record('signed'), 'acceptDocument'] },
      { guard: 'readsRejected', target: 'rejected', actions: ['recoverChecks', record('signature_rejected'), 'refuseDocument'] },
      { guard: 'readsExpired', target: 'expired', actions: ['recoverChecks', record('signature_expired')] },
      { guard: 'readsCancelled', target: 'cancelled', actions: ['recoverChecks', record('signature_cancelled')] },
    ] as const;
    /** A reading that is no news still counts as an answer: the checks go on. */
    const noNews = { actions: ['recoverChecks', 'scheduleNextCheck'] } as const;
    /** What every open status takes besides its own readings. */
    const open = {
      CHECK_DUE: {
        actions: [{ type: 'checkAtProvider', params: ({ context }: { context: SignatureContext }): CheckParams => ({ trigger: context.requestedBy ?? 'poll' }) }, 'countCheck'],
      },
      CHECK_REQUESTED: { actions: ['requestCheck', 'checkNow'] },
      CHECK_FAILED: [
        { guard: 'failingLongEnough', actions: ['countFailure', 'markFailureReported', record('signature_checks_failed'), 'scheduleNextCheck'] },
        { actions: ['countFailure', 'scheduleNextCheck'] },
      ],
      // Withdrawn at the provider first: if that fails, the seller hears it and nothing changed here.
      CANCEL: { actions: [{ type: 'withdrawAtProvider', params: ({ event }: { event: CancelSignatureEvent }): WithdrawParams => ({ actor: event.actor, ...(event.reason ? { reason: event.reason } : {}) }) }] },
      WITHDRAWN: { target: 'cancelled', actions: [record('signature_cancelled')] },
    } as const;
    return {
      id: 'signature',
      context: ({ input }: { input: SignatureMachineInput }) => signatureContext(input),
      initial: 'draft',
      states: {
        draft: {
          on: {
            ...open,
            SEND: { actions: ['startAtProvider'] },
            PROVIDER_STATUS: [
              { guard: 'readsSent', target: 'sent', actions: ['recoverChecks', record('signature_sent'), 'scheduleNextCheck'] },
              { guard: 'readsViewed', target: 'viewed', actions: ['recoverChecks', record('signature_sent'), record('signature_viewed'), 'scheduleNextCheck'] },
              ...finals,
              noNews,
            ],
            SEND_REFUSED: { target: 'failed', actions: [record('signature_failed')] },
          },
        },
        sent: {
          on: {
            ...open,
            PROVIDER_STATUS: [
              { guard: 'readsViewed', target: 'viewed', actions: ['recoverChecks', record('signature_viewed'), 'scheduleNextCheck'] },
              { guard: 'readsUndeliverable', target: 'undeliverable', actions: ['recoverChecks', record('signature_undeliverable'), 'scheduleNextCheck'] },
              ...finals,
              noNews,
            ],
          },
        },
        undeliverable: {
          on: {
            ...open,
            PROVIDER_STATUS: [{ guard: 'readsViewed', target: 'viewed', actions: ['recoverChecks', record('signature_viewed'), 'scheduleNextCheck'] }, ...finals, noNews],
          },
        },
        viewed: {
          on: {
            ...open,
            PROVIDER_STATUS: [...finals, noNews],
          },
        },
        ...SIGNATURE_ENDINGS,
      },
    };
  })(),
);

export type SignatureSnapshot = SnapshotFrom<typeof signatureMachine>;

export const { status: digitalStatus, isClosed: isSignatureClosed } = statusReaders<DigitalStatus, SignatureSnapshot>(FINAL_DIGITAL_STATUSES);

/** Why the machine would not take this event now (the seller's cancel), or undefined when it would. */
export function whyNotSignature(snapshot: SignatureSnapshot, event: SignatureEvent): string | undefined {
  if (snapshot.can(event)) return undefined;
  return `The digital signing is already ${digitalStatus(snapshot)}`;
}

/** What the signature's state looks like from outside (query and update answers). */
export interface SignatureView {
  digitalStatus: DigitalStatus;
  /** Checks made. */
  checks: number;
  consecutiveFailures: number;
  /** Epoch ms of the next scheduled check, while open. */
  nextCheckAt?: number;
}

export function signatureView(snapshot: SignatureSnapshot): SignatureView {
  const { checks, failures, nextCheckAt } = snapshot.context;
  return {
    digitalStatus: digitalStatus(snapshot),
    checks,
    consecutiveFailures: failures,
    ...(!isSignatureClosed(snapshot) && nextCheckAt !== undefined ? { nextCheckAt } : {}),
  };
}
