/**
 * The messages a quote workflow understands. Imported by the workflow itself and by api/
 * (the only bridge between the two rooms), so both sides agree on names and payloads.
 *
 * Decisions are Updates: the caller learns at once whether it was taken; the update id is
 * the caller's decision id, so a double click or a retried request is taken once.
 * Facts are Signals. The current state is a Query.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, QuoteStatus, RequestSource } from '../domain/documents';

export const TASK_QUEUE = 'greenlight';

export const quoteWorkflowId = (documentId: string): string => `quote-${documentId}`;

/** Input of quoteWorkflow: everything it needs, read once by the caller at send time. */
export interface QuoteWorkflowInput {
  tenantId: string;
  documentId: string;
  customerId: string;
  number: string;
  title?: string;
  /** Epoch ms; the quote expires then. */
  validUntil?: number;
  reminderAfterMs: number;
  maxReminders: number;
  send: SendInstructions;
  sentBy: Actor;
  /** Set when continuing as new: the state to resume from. */
  resume?: QuoteWorkflowResume;
  /**
   * Continue as new after this many recorded events in one run, before Temporal would suggest
   * it. Unset in production (the server's suggestion decides); tests set it to exercise the
   * carry-over on a short history.
   */
  continueAsNewAfterEvents?: number;
}

export interface SendInstructions {
  /** Recipient: the document's contact when absent. */
  to?: { contactId: string } | { email: string; name?: string };
  channel: 'email';
  message?: string;
  attachPdf: boolean;
}

/** Carried across continue-as-new (Temporal forgets update ids across runs; we must not). */
export interface QuoteWorkflowResume {
  snapshot: unknown;
  transitionSeq: number;
  decisionIds: string[];
  deadlines: { id: string; event: string; at: number }[];
}

/** A customer's (or the seller's) decision. The decision id is the Update id. */
export interface DecisionInput {
  actor: Actor;
  source?: RequestSource;
  reason?: string;
  /** Ids of optional lines chosen (accept). */
  options?: string[];
}

/** What every update answers and the query returns. */
export interface QuoteView {
  status: QuoteStatus;
  remindersSent: number;
  /** Epoch ms of the next automatic reminder, if one is due. */
  nextReminderAt?: number;
  validUntil?: number;
}

export interface ViewedSignal {
  /** Unique per open; recording is idempotent on it. */
  eventId: string;
  at: number;
  actor: Actor;
  source?: RequestSource;
}

/** Failure type of a decision the quote's state does not allow; its message is the reason. */
export const DECISION_REJECTED = 'DecisionRejected';

export const acceptUpdate = defineUpdate<QuoteView, [DecisionInput]>('accept');
export const refuseUpdate = defineUpdate<QuoteView, [DecisionInput]>('refuse');
export const holdUpdate = defineUpdate<QuoteView, [DecisionInput]>('hold');
/** Back office: send a reminder now (uses the reminder template). */
export const remindUpdate = defineUpdate<QuoteView, [DecisionInput]>('remind');
/** Back office: cancel the quote. */
export const cancelUpdate = defineUpdate<QuoteView, [DecisionInput]>('cancel');

export const viewedSignal = defineSignal<[ViewedSignal]>('viewed');
export const downloadedSignal = defineSignal<[ViewedSignal]>('downloaded');

export const stateQuery = defineQuery<QuoteView>('state');
