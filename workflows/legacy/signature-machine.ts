/**
 * The signature's machine as the loop before the story ran it (legacy/signature-loop.ts): the
 * loop polled on its own timer and fed what it read as PROVIDER_STATUS. Goes with that loop.
 */
import { setup, type SnapshotFrom } from 'xstate';
import type { Actor } from '../../domain/documents';
import { FINAL_DIGITAL_STATUSES, type DigitalStatus } from '../../domain/digital-status';
import { activity, type RecordParams, type Timed } from '../machines/actions';
import { PROVIDER_STATUS_GUARDS, SIGNATURE_ENDINGS } from '../machines/signature';

export interface ProviderStatusEvent {
  type: 'PROVIDER_STATUS';
  at: number;
  status: DigitalStatus;
  providerStatus: string;
  /** What made us look: the poll timer, the seller's "check now", or the provider's webhook. */
  trigger: 'poll' | 'check' | 'webhook' | 'send';
}

export interface CancelSignatureEvent extends Timed {
  type: 'CANCEL';
  reason?: string;
}

export type SignatureEvent =
  | ProviderStatusEvent
  | CancelSignatureEvent
  | { type: 'CHECKS_FAILING'; at: number; failures: number; error: string }
  | { type: 'SEND_REFUSED'; at: number; error: string }
  | { type: 'CHECKS_RECOVERED'; at: number; failures: number };

const record = (type: RecordParams['type']) => ({ type: 'recordDigitalStatus', params: { type } }) as const;

export const signatureMachine = setup({
  types: { events: {} as SignatureEvent },
  guards: {
    ...PROVIDER_STATUS_GUARDS,
  },
  actions: {
    recordDigitalStatus: activity<RecordParams>(),
    storeSignedDocument: activity<undefined>(),
    acceptDocument: activity<undefined>(),
    refuseDocument: activity<undefined>(),
  },
}).createMachine(
  (() => {
    const finals = {
      PROVIDER_STATUS: [
        { guard: 'readsSigned', target: 'signed', actions: ['storeSignedDocument', record('signed'), 'acceptDocument'] },
        { guard: 'readsRejected', target: 'rejected', actions: [record('signature_rejected'), 'refuseDocument'] },
        { guard: 'readsExpired', target: 'expired', actions: [record('signature_expired')] },
        { guard: 'readsCancelled', target: 'cancelled', actions: [record('signature_cancelled')] },
      ],
      // The workflow has withdrawn it at the provider before this event: the machine records it.
      CANCEL: { target: 'cancelled', actions: [record('signature_cancelled')] },
      CHECKS_FAILING: { actions: [record('signature_checks_failed')] },
      CHECKS_RECOVERED: { actions: [record('signature_checks_recovered')] },
    } as const;
    return {
      id: 'signature',
      initial: 'draft',
      states: {
        draft: {
          on: {
            ...finals,
            PROVIDER_STATUS: [
              { guard: 'readsSent', target: 'sent', actions: [record('signature_sent')] },
              { guard: 'readsViewed', target: 'viewed', actions: [record('signature_sent'), record('signature_viewed')] },
              ...finals.PROVIDER_STATUS,
            ],
            SEND_REFUSED: { target: 'failed', actions: [record('signature_failed')] },
          },
        },
        sent: {
          on: {
            ...finals,
            PROVIDER_STATUS: [
              { guard: 'readsViewed', target: 'viewed', actions: [record('signature_viewed')] },
              { guard: 'readsUndeliverable', target: 'undeliverable', actions: [record('signature_undeliverable')] },
              ...finals.PROVIDER_STATUS,
            ],
          },
        },
        undeliverable: {
          on: {
            ...finals,
            PROVIDER_STATUS: [{ guard: 'readsViewed', target: 'viewed', actions: [record('signature_viewed')] }, ...finals.PROVIDER_STATUS],
          },
        },
        viewed: { on: finals },
        ...SIGNATURE_ENDINGS,
      },
    };
  })(),
);

export type SignatureSnapshot = SnapshotFrom<typeof signatureMachine>;

export function digitalStatus(snapshot: SignatureSnapshot): DigitalStatus {
  return snapshot.value as DigitalStatus;
}

export function isSignatureClosed(snapshot: SignatureSnapshot): boolean {
  return FINAL_DIGITAL_STATUSES.includes(digitalStatus(snapshot));
}

/** Why the seller cannot cancel now; undefined when they can. */
export function whyNoCancel(snapshot: SignatureSnapshot, actor: Actor): string | undefined {
  if (snapshot.can({ type: 'CANCEL', at: 0, actor })) return undefined;
  return `The digital signing is already ${digitalStatus(snapshot)}`;
}
