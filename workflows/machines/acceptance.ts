/**
 * The life of an order or a delivery note the customer answers online (seed 002), as a pure
 * XState v5 machine interpreted by its workflow like the quote's (DESIGN.md §3):
 *
 *   draft ──SEND──▶ sent ──VIEWED──▶ viewed
 *                    ├── ACCEPT ───────┼──▶ accepted
 *                    └── REFUSE ───────┴──▶ refused
 *   draft | sent | viewed ── CANCEL ──▶ cancelled
 *   sent | viewed ── REMIND ──▶ the same status, the reminder emailed
 *   sent | viewed ── RECORD_ANSWER ──▶ accepted | refused (an external signing withdrawn)
 *
 * Decisions taken here, where the product pages leave room:
 * - No hold: "seul le devis dispose d'un bouton supplémentaire, la mise en attente".
 * - No expiry and no automatic reminders: an order or a delivery note records a deal already
 *   made; its answer is for filing ("pour des raisons de classement"), not a deadline. The
 *   seller may still remind by hand.
 * - No signature and no versions: those protect a quote's offer, which these documents follow.
 * - Views and downloads are recorded in every state, final ones included, as for quotes.
 * - The customer's answer given off line (RECORD_ANSWER) is taken as theirs, as for quotes; an
 *   order confirmation still out for signing is withdrawn with it.
 *
 * Final statuses are not XState final states, for the same reason as the quote's: a view of an
 * accepted order must still be recorded.
 */
import { assign, setup, type SnapshotFrom } from 'xstate';
import { FINAL_ACCEPTANCE_STATUSES, type AcceptanceKind, type AcceptanceStatus } from '../../domain/acceptance';
import { kindName } from '../../domain/chain';
import type { AuditEventType, NotifyEvent } from '../../domain/documents';
import { activity, answerRecord, anotherKindsDecision, neverTaken, statusReaders, factActions, RECORDED_FACTS, type AnswerEvent, type FactEvent, type NotifyParams, type RecordParams, type ReminderParams, type Timed } from './actions';

export interface AcceptanceMachineInput {
  kind: AcceptanceKind;
  /** Epoch ms at which the machine starts (the workflow's start time). */
  now: number;
}

export interface AcceptanceContext {
  kind: AcceptanceKind;
  now: number;
  remindersSent: number;
}

/** The customer's answer (accept, refuse) or the seller's move (remind, cancel). */
export interface AcceptanceDecisionEvent extends Timed {
  type: 'ACCEPT' | 'REFUSE' | 'REMIND' | 'CANCEL';
  reason?: string;
}

export type AcceptanceEvent = ({ type: 'SEND' } & Timed) | FactEvent | AcceptanceDecisionEvent | AnswerEvent;

/** What an order's or a delivery note's workflow answers. */
export interface AcceptanceView {
  status: AcceptanceStatus;
  remindersSent: number;
}

export const acceptanceMachine = setup({
  types: {
    context: {} as AcceptanceContext,
    events: {} as AcceptanceEvent,
    input: {} as AcceptanceMachineInput,
  },
  guards: {
    answeredYes: ({ event }) => event.type === 'RECORD_ANSWER' && event.answer === 'accepted',
    answeredNo: ({ event }) => event.type === 'RECORD_ANSWER' && event.answer === 'refused',
  },
  actions: {
    keepTime: assign({ now: ({ event }) => event.at }),
    countReminder: assign({ remindersSent: ({ context }) => context.remindersSent + 1 }),
    recordTransition: activity<RecordParams>(),
    sendFirstEmail: activity<undefined>(),
    sendReminderEmail: activity<ReminderParams>(),
    notifyAssignee: activity<NotifyParams>(),
    withdrawSignature: activity<undefined>(),
  },
}).createMachine(
  (() => {
    const record = (type: AuditEventType) => ({ type: 'recordTransition', params: { type } }) as const;
    const notify = (event: NotifyEvent, what: AuditEventType) => ({ type: 'notifyAssignee', params: { event, what } }) as const;
    const decide = (target: 'accepted' | 'refused', what: AuditEventType) =>
      ({ target, actions: ['keepTime', record(what), notify('decided', what)] }) as const;
    /** Cancelled, and an order's signing with it when one is out (the workflow knows whether). */
    const cancel = { target: 'cancelled', actions: ['keepTime', record('cancelled'), 'withdrawSignature'] } as const;
    const remind = {
      actions: [
        'keepTime',
        'countReminder',
        {
          type: 'sendReminderEmail',
          params: ({ context }: { context: AcceptanceContext }) => ({ reminder: context.remindersSent, automatic: false }),
        },
        {
          type: 'recordTransition',
          params: ({ context }: { context: AcceptanceContext }) => ({ type: 'reminded' as const, data: { reminder: context.remindersSent, automatic: false } }),
        },
      ],
    } as const;
    /** The customer's answer given off line: an order's signing still out withdrawn, then taken as their decision. */
    const answered = (target: 'accepted' | 'refused', guard: 'answeredYes' | 'answeredNo') =>
      ({ target, guard, actions: ['keepTime', 'withdrawSignature', answerRecord(target), notify('decided', target)] }) as const;
    const open = {
      ACCEPT: decide('accepted', 'accepted'),
      REFUSE: decide('refused', 'refused'),
      REMIND: remind,
      CANCEL: cancel,
      RECORD_ANSWER: [answered('accepted', 'answeredYes'), answered('refused', 'answeredNo')],
    } as const;

    return {
      id: 'acceptance',
      context: ({ input }: { input: AcceptanceMachineInput }) => ({ kind: input.kind, now: input.now, remindersSent: 0 }),
      initial: 'draft',
      // `sent` overrides VIEWED to move on.
      on: RECORDED_FACTS,
      states: {
        draft: {
          on: {
            SEND: { target: 'sent', actions: ['keepTime', 'sendFirstEmail', record('sent')] },
            CANCEL: cancel,
          },
        },
        sent: {
          on: {
            ...open,
            VIEWED: { target: 'viewed', actions: factActions('viewed') },
          },
        },
        viewed: { on: open },
        accepted: {},
        refused: {},
        cancelled: {},
      },
    };
  })(),
);

export type AcceptanceSnapshot = SnapshotFrom<typeof acceptanceMachine>;

export const { status: acceptanceStatus, isClosed: isAcceptanceClosed } = statusReaders<AcceptanceStatus, AcceptanceSnapshot>(FINAL_ACCEPTANCE_STATUSES);

/** "The order", "The delivery note". */
function theDocument(kind: AcceptanceKind): string {
  return `The ${kindName(kind)}`;
}

/** "An order", "A delivery note". */
function aDocument(kind: AcceptanceKind): string {
  const name = kindName(kind);
  return `${/^[aeiou]/.test(name) ? 'An' : 'A'} ${name}`;
}

/** Why no decision can be taken on a document in a final status (also used once its workflow has closed). */
export function closedAcceptanceReason(kind: AcceptanceKind, status: AcceptanceStatus): string {
  return status === 'cancelled' ? `${theDocument(kind)} is cancelled` : `${theDocument(kind)} is already ${status}`;
}

/** Why an order or a delivery note refuses events of `type` in every status; undefined when some status takes them. */
export function whyAcceptanceNeverTakes(type: string): string | undefined {
  return neverTaken(acceptanceMachine, type, anotherKindsDecision);
}

/**
 * Why the machine would refuse `event` in `snapshot`, worded for the document's kind; undefined
 * when the event is allowed. Update validators answer with it.
 */
export function whyNotAcceptance(snapshot: AcceptanceSnapshot, event: AcceptanceEvent): string | undefined {
  if (snapshot.can(event)) return undefined;
  const { kind } = snapshot.context;
  const status = acceptanceStatus(snapshot);
  if (isAcceptanceClosed(snapshot)) return closedAcceptanceReason(kind, status);
  if (status === 'draft') return `${theDocument(kind)} has not been sent yet`;
  if (event.type === 'SEND') return `${theDocument(kind)} has already been sent`;
  return `${aDocument(kind)} that is ${status} cannot take ${event.type.toLowerCase()}`;
}

/** What the document's state looks like from outside (query and update answers). */
export function acceptanceView(snapshot: AcceptanceSnapshot): AcceptanceView {
  return { status: acceptanceStatus(snapshot), remindersSent: snapshot.context.remindersSent };
}
