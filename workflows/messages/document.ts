/**
 * What every document's workflow understands, whatever its kind (quote, order, delivery note,
 * proof, invoice, service request): its id, the shape of a decision, the facts the portal
 * reports (views, downloads), and what a run carries when it continues as new. Each kind's
 * own messages are in the file named after it; api/ and the workflows import both.
 *
 * Decisions are Updates: the caller learns at once whether it was taken; the update id is
 * the caller's decision id, so a double click or a retried request is taken once.
 * Facts are Signals. The current state is a Query.
 */
import { defineSignal } from '@temporalio/workflow';
import type { Actor, DocumentKind, RequestSource } from '../../domain/documents';
import type { RecordedAnswer } from '../../domain/offline';

/** One workflow per sent document, named after it: `quote-doc_…`, `order-doc_…`, `delivery_note-doc_…`. */
export const documentWorkflowId = (kind: DocumentKind, documentId: string): string => `${kind}-${documentId}`;

/** Carried across continue-as-new (Temporal forgets update ids across runs; we must not). */
export interface WorkflowResume {
  snapshot: unknown;
  transitionSeq: number;
  decisionIds: string[];
  deadlines: { id: string; event: string; at: number }[];
}

/** What every story's input carries (workflows/story.ts): whose it is, and where a continued run resumes. */
export interface StoryInput {
  tenantId: string;
  customerId: string;
  /** Set when continuing as new: the state to resume from. */
  resume?: WorkflowResume;
  /**
   * A new run of a story whose earlier run closed (a reopened quote): its writes are numbered
   * after that run's last, so their keys (workflow id, sequence) are new.
   */
  writtenBefore?: number;
}

/** What every document workflow's input carries. */
export interface DocumentWorkflowInput extends StoryInput {
  documentId: string;
  number: string;
  title?: string;
  sentBy: Actor;
  /** The customer's name, the document's total (minor units) and currency, for operators (domain/summaries.ts); absent in runs started before. */
  customerName?: string;
  grossTotal?: number;
  currency?: string;
  /**
   * Continue as new after this many recorded events in one run, before Temporal would suggest
   * it. Unset in production (the server's suggestion decides); tests set it to exercise the
   * carry-over on a short history.
   */
  continueAsNewAfterEvents?: number;
}

/** What every document workflow's input may say: it was started for its draft, not to send it. */
export interface DraftStart {
  /**
   * Started to take a decision on a draft that was never sent (its cancel, which comes with
   * the start): nothing is sent, and the workflow ends with that decision.
   */
  draft?: true;
}

export interface SendInstructions {
  /** Recipient: the document's contact when absent; a number (E.164) only by SMS. */
  to?: { contactId: string } | { email: string; name?: string } | { phone: string; name?: string };
  /** sms: the portal link goes by text, the first send and every reminder (no PDF). */
  channel: 'email' | 'sms';
  message?: string;
  attachPdf: boolean;
}

/** A customer's (or the seller's) decision. The decision id is the Update id. */
export interface DecisionInput {
  actor: Actor;
  source?: RequestSource;
  reason?: string;
  /** Ids of optional lines chosen (accept, sign). */
  options?: string[];
  /** The quote version the customer's link was made for; an outdated one cannot accept or sign. */
  version?: number;
  /** A customer's view this decision confirms (whoever decides has read): taken as the `viewed` fact just before the decision. */
  viewed?: ViewedSignal;
}

/** The seller records the customer's answer given off line (phone, counter, email): a quote's, an order's or a delivery note's. */
export interface RecordAnswerInput extends DecisionInput, RecordedAnswer {}

export interface ViewedSignal {
  /** Unique per open; recording is idempotent on it. */
  eventId: string;
  at: number;
  actor: Actor;
  source?: RequestSource;
}

/** Failure type of a decision the document's state does not allow; its message is the reason. */
export { DECISION_REJECTED } from '../../domain/errors';

export const viewedSignal = defineSignal<[ViewedSignal]>('viewed');
export const downloadedSignal = defineSignal<[ViewedSignal]>('downloaded');
