/**
 * What every document machine shares: the timed events the workflow feeds it, the facts
 * (views, downloads) recorded in any status, and the activity actions it names for the
 * interpreter (workflows/machine-runner.ts) to run, with their parameters.
 */
import type { AnyStateMachine } from 'xstate';
import type { Actor, AuditEventType, Confirmation, NotifyEvent, RequestSource } from '../../domain/documents';
import type { RecordedAnswer } from '../../domain/offline';

export interface Timed {
  at: number;
  actor: Actor;
  source?: RequestSource;
}

/** A view or a download, as the customer portal signals it. */
export interface FactEvent extends Timed {
  type: 'VIEWED' | 'DOWNLOADED';
  eventId: string;
  /** When the customer did it; `at` is when the machine learns it (later if a worker was down). */
  occurredAt: number;
}

/** The seller records the customer's answer given off line (phone, counter, email): RECORD_ANSWER. */
export interface AnswerEvent extends Timed, RecordedAnswer {
  type: 'RECORD_ANSWER';
  /** When the customer answered (RecordedAnswer.answeredAt, else when it was recorded): the trail's time. */
  occurredAt: number;
}

/** The `recordTransition` of an answer given off line: accepted or refused, with how and by whom (its time is the event's `occurredAt`). */
export function answerRecord(target: 'accepted' | 'refused') {
  return {
    type: 'recordTransition',
    params: ({ event }: { event: { type: string } }): RecordParams => {
      const answer = event as AnswerEvent;
      return { type: target, data: { offline: true, channel: answer.channel, ...(answer.by ? { by: answer.by } : {}) } };
    },
  } as const;
}

/** Parameters of the activity actions; the interpreter passes them to the activity. */
export interface RecordParams {
  type: AuditEventType;
  data?: Record<string, unknown>;
  /** Who did it, when not the event's actor (a signature's checks recovering is no one's act). */
  actor?: Actor;
}
export interface ReminderParams {
  reminder: number;
  automatic: boolean;
}
export interface NotifyParams {
  event: NotifyEvent;
  what: AuditEventType;
  /**
   * A notice added after documents were running: the patch (Temporal's `patched`) that guards
   * it, so a history recorded before replays without it.
   */
  patch?: string;
}
/** The customer is told their answer is recorded (activities/notify/confirmation-email.ts); guarded by the patch `customer-confirmations`. */
export interface ConfirmParams {
  confirmation: Confirmation;
  /** paid: the payment whose receipt the email links. */
  paymentId?: string;
  /** request_declined: the seller's reason. */
  reason?: string;
}

/** The action that confirms to the customer, as the machines name it. */
export function confirmToCustomer(confirmation: Confirmation) {
  return { type: 'confirmToCustomer', params: { confirmation } } as const;
}

/**
 * Why a kind refuses events of `type` whatever its status: its machine takes them in no
 * state. `wording` says it for the kind, given the decision's portal name (REQUEST_CHANGES:
 * request-changes); undefined when some state takes them. api/ asks it before a workflow.
 */
export function neverTaken(machine: AnyStateMachine, type: string, wording: (decision: string) => string): string | undefined {
  return machine.events.includes(type) ? undefined : wording(type.toLowerCase().replaceAll('_', '-'));
}

/** How a quote, an order or a delivery note says a decision belongs to another kind. */
export function anotherKindsDecision(decision: string): string {
  if (decision === 'hold') return 'Only quotes can be put on hold';
  if (decision === 'sign') return 'Only quotes are signed';
  if (decision === 'approve' || decision === 'request-changes') return 'Only proofs are approved or sent back with changes';
  return `This document takes no ${decision}`;
}

/** A view or a download: the machine's clock moves, the fact is recorded and told to the assignee. */
export function factActions(type: 'viewed' | 'downloaded') {
  return ['keepTime', { type: 'recordTransition', params: { type } }, { type: 'notifyAssignee', params: { event: type, what: type } }] as const;
}

/** Facts are recorded whatever the status, final ones included; a state that moves on a view overrides VIEWED. */
export const RECORDED_FACTS = { VIEWED: { actions: factActions('viewed') }, DOWNLOADED: { actions: factActions('downloaded') } } as const;

/**
 * How a machine's snapshot reads as its document's status: the name of its state (the machines
 * keep one flat level of states), closed in a final status. Final statuses are not XState final
 * states, so that a closed document still records views.
 */
export function statusReaders<Status extends string, Snapshot extends { value: unknown }>(finalStatuses: readonly Status[]) {
  const status = (snapshot: Snapshot): Status => snapshot.value as Status;
  return { status, isClosed: (snapshot: Snapshot): boolean => finalStatuses.includes(status(snapshot)) };
}

/**
 * The same, for a kind whose yes may be taken back: `isFinal` in a final status, `isClosed` once
 * nothing is left to withdraw there either.
 */
export function withdrawableStatusReaders<Status extends string, Snapshot extends { value: unknown; context: { withdrawable?: Withdrawable } }>(finalStatuses: readonly Status[]) {
  const { status, isClosed: isFinal } = statusReaders<Status, Snapshot>(finalStatuses);
  return { status, isFinal, isClosed: (snapshot: Snapshot): boolean => isFinal(snapshot) && snapshot.context.withdrawable === undefined };
}

/** The interpreter runs the activity of the same name; the machine only names it. */
export function activity<TParams>() {
  return (_: unknown, _params: TParams): void => undefined;
}

/**
 * How long a customer's yes (a quote's portal acceptance, a proof's approval) may be taken back:
 * `windowMs` after it, and in any case until the seller moves the document on; absent in a
 * machine's input: never (documents sent before withdrawals existed).
 */
export interface WithdrawalTerms {
  windowMs?: number;
}

/** A yes that may still be withdrawn, until `until` (epoch ms) when the seller set a window. */
export interface Withdrawable {
  until?: number;
}

/** The window a yes given at `at` opens, on these terms; none without terms or with a zero window. */
export function withdrawalWindow(terms: WithdrawalTerms | undefined, at: number): Withdrawable | undefined {
  if (!terms || terms.windowMs === 0) return undefined;
  return terms.windowMs === undefined ? {} : { until: at + terms.windowMs };
}

/** Whether the window is open at `at`. */
export function isWithdrawable(withdrawable: Withdrawable | undefined, at: number): boolean {
  return withdrawable !== undefined && (withdrawable.until === undefined || at < withdrawable.until);
}

/** The delay until the window closes by itself, from `now`; NEVER-like (infinite) without a time. */
export function untilWithdrawalCloses(withdrawable: Withdrawable | undefined, now: number): number {
  return withdrawable?.until === undefined ? Number.POSITIVE_INFINITY : Math.max(0, withdrawable.until - now);
}
