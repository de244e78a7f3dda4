/**
 * The messages the document workflows understand (the quote's, and the acceptance workflow
 * of orders and delivery notes). Imported by the workflows themselves and by api/ (the only
 * bridge between the two rooms), so both sides agree on names and payloads.
 *
 * Decisions are Updates: the caller learns at once whether it was taken; the update id is
 * the caller's decision id, so a double click or a retried request is taken once.
 * Facts are Signals. The current state is a Query.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AcceptanceKind, AcceptanceStatus } from '../domain/acceptance';
import type { Actor, DocumentKind, ProofStatus, QuoteStatus, RequestSource } from '../domain/documents';
import type { InvoiceStatus, ReceivedPayment } from '../domain/invoice';
import type { LineInput } from '../domain/money';
import type { ProofType } from '../domain/proof-types';
import type { SignatureEvidence } from '../domain/signature';
import type { ExternalSignatureStart } from './signature-api';

/** One workflow per sent document, named after it: `quote-doc_…`, `order-doc_…`, `delivery_note-doc_…`. */
export const documentWorkflowId = (kind: DocumentKind, documentId: string): string => `${kind}-${documentId}`;
export const quoteWorkflowId = (documentId: string): string => documentWorkflowId('quote', documentId);

/** What every document workflow's input may say: it was started for its draft, not to send it. */
export interface DraftStart {
  /**
   * Started to take a decision on a draft that was never sent (its cancel, which comes with
   * the start): nothing is sent, and the workflow ends with that decision.
   */
  draft?: true;
}

/** Input of quoteWorkflow: everything it needs, read once by the caller at send time. */
export interface QuoteWorkflowInput extends DraftStart {
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
  /** The tenant's autoConvertToOrder at send time: acceptance creates the order by itself. */
  autoConvertToOrder?: boolean;
  /** Only a SIGN decision accepts the quote (built-in signature); absent in quotes sent before it existed. */
  requireSignature?: boolean;
  /** Signed through an external provider (GetAccept): a child workflow runs the signature; no email of ours goes out. */
  signature?: ExternalSignatureStart;
  /** Set when continuing as new: the state to resume from. */
  resume?: WorkflowResume;
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

/** Input of acceptanceWorkflow (an order or a delivery note the customer accepts or refuses). */
export interface AcceptanceWorkflowInput extends DraftStart {
  kind: AcceptanceKind;
  tenantId: string;
  documentId: string;
  customerId: string;
  number: string;
  title?: string;
  send: SendInstructions;
  sentBy: Actor;
  /** As in QuoteWorkflowInput: an order confirmation signed through an external provider. */
  signature?: ExternalSignatureStart;
  resume?: WorkflowResume;
  /** As in QuoteWorkflowInput: tests set it to exercise continue-as-new on a short history. */
  continueAsNewAfterEvents?: number;
}

/** Carried across continue-as-new (Temporal forgets update ids across runs; we must not). */
export interface WorkflowResume {
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
  /** Ids of optional lines chosen (accept, sign). */
  options?: string[];
  /** The quote version the customer's link was made for; an outdated one cannot accept or sign. */
  version?: number;
}

/** Signing: a decision that carries its evidence. */
export interface SignInput extends DecisionInput {
  signature: SignatureEvidence;
}

/** What the seller changes on a sent quote; each revision makes a new version. */
export interface DocumentChanges {
  title?: string;
  lines?: Omit<LineInput, 'selected'>[];
  /** Epoch ms. */
  validUntil?: number;
  contactId?: string;
  assigneeId?: string;
}

export interface ReviseInput {
  actor: Actor;
  changes: DocumentChanges;
}

/** What every update answers and the query returns. */
export interface QuoteView {
  status: QuoteStatus;
  remindersSent: number;
  /** Epoch ms of the next automatic reminder, if one is due. */
  nextReminderAt?: number;
  validUntil?: number;
  /** The quote's current version (1 until it is revised after sending). */
  version?: number;
}

export interface ViewedSignal {
  /** Unique per open; recording is idempotent on it. */
  eventId: string;
  at: number;
  actor: Actor;
  source?: RequestSource;
}

/** Failure type of a decision the document's state does not allow; its message is the reason. */
export { DECISION_REJECTED } from '../domain/errors';

export const acceptUpdate = defineUpdate<QuoteView, [DecisionInput]>('accept');
export const refuseUpdate = defineUpdate<QuoteView, [DecisionInput]>('refuse');
export const holdUpdate = defineUpdate<QuoteView, [DecisionInput]>('hold');
/** Back office: send a reminder now (uses the reminder template). */
export const remindUpdate = defineUpdate<QuoteView, [DecisionInput]>('remind');
/** Back office: cancel the quote. */
export const cancelUpdate = defineUpdate<QuoteView, [DecisionInput]>('cancel');
/** The customer signs (built-in signature): accepts with evidence. */
export const signUpdate = defineUpdate<QuoteView, [SignInput]>('sign');
/** Back office: the quote changed after it was sent; the customer gets the new version. */
export const reviseUpdate = defineUpdate<QuoteView, [ReviseInput]>('revise');

/** What an order's or a delivery note's workflow answers. */
export interface AcceptanceView {
  status: AcceptanceStatus;
  remindersSent: number;
}

/**
 * The same decisions under the same names, as the acceptance workflow answers them: api/
 * reaches either workflow the same way; only the answer is narrower. No hold: only quotes get it.
 */
export const acceptanceUpdates = {
  accept: defineUpdate<AcceptanceView, [DecisionInput]>('accept'),
  refuse: defineUpdate<AcceptanceView, [DecisionInput]>('refuse'),
  remind: defineUpdate<AcceptanceView, [DecisionInput]>('remind'),
  cancel: defineUpdate<AcceptanceView, [DecisionInput]>('cancel'),
} as const;

export const viewedSignal = defineSignal<[ViewedSignal]>('viewed');
export const downloadedSignal = defineSignal<[ViewedSignal]>('downloaded');

export const stateQuery = defineQuery<QuoteView>('state');
export const acceptanceStateQuery = defineQuery<AcceptanceView>('state');

/** Input of proofWorkflow: the proof sent, revision after revision, until it is approved. */
export interface ProofWorkflowInput extends DraftStart {
  tenantId: string;
  documentId: string;
  customerId: string;
  number: string;
  title?: string;
  send: SendInstructions;
  sentBy: Actor;
  /** The tenant's current terms of sale version; absent: none to accept. */
  termsVersion?: string;
  /** The version the customer has accepted, if any: approving asks for the terms unless it is the current one. */
  termsAcceptedVersion?: string;
  /** A revision already rendered at start: it is sent at once. Otherwise the first revisionReady sends. */
  readyRevision?: RevisionReadyInput;
  /** How the proof goes out (domain/proof-types.ts): email attaches the watermarked PDF; absent in proofs sent before types existed (online). */
  proofType?: ProofType;
  resume?: WorkflowResume;
  /** As in QuoteWorkflowInput: tests set it to exercise continue-as-new on a short history. */
  continueAsNewAfterEvents?: number;
}

/** A rendered revision, reported by the revision render. The update id is `revision-<revisionId>`. */
export interface RevisionReadyInput {
  revision: number;
  pageCount: number;
}

/** Approving names the revision the customer looked at, and the terms the checkbox showed. */
export interface ApproveProofInput extends DecisionInput {
  revision: number;
  termsAccepted?: boolean;
  termsVersion?: string;
}

/** A comment pinned on a point of a page; x and y are fractions of the page from its top left. */
export interface ProofPinInput {
  page: number;
  x: number;
  y: number;
  comment: string;
}

export interface RequestChangesInput extends DecisionInput {
  revision: number;
  comment: string;
  pins?: ProofPinInput[];
}

/** The customer forwards the proof to a colleague (the decision id keys the colleague's email and link). */
export interface ForwardProofInput extends DecisionInput {
  to: { email: string; name?: string };
}

/** What the proof workflow answers. */
export interface ProofView {
  status: ProofStatus;
  /** The revision the customer is asked about; 0 before the first is sent. */
  revision: number;
  pageCount: number;
  /** Whether approving needs the terms of sale ticked. */
  termsRequired: boolean;
  /** Reminders the seller sent. */
  remindersSent: number;
}

export const proofUpdates = {
  approve: defineUpdate<ProofView, [ApproveProofInput]>('approve'),
  requestChanges: defineUpdate<ProofView, [RequestChangesInput]>('requestChanges'),
  /** Back office: cancel the proof. */
  cancel: defineUpdate<ProofView, [DecisionInput]>('cancel'),
  /** The customer sends the proof to a colleague, who gets a link of their own; allowed while the proof is open. */
  forward: defineUpdate<ProofView, [ForwardProofInput]>('forward'),
  /** Back office: remind the customer of the revision waiting for their answer (template proof_reminder). */
  remind: defineUpdate<ProofView, [DecisionInput]>('remind'),
  /** The render of a revision is done: the proof is sent (again) with it. An update, so a refusal (approved proof) is heard. */
  revisionReady: defineUpdate<ProofView, [RevisionReadyInput & DecisionInput]>('revisionReady'),
} as const;

export const proofStateQuery = defineQuery<ProofView>('state');

/** Input of invoiceWorkflow: the invoice sent, reminded and paid (machines/invoice.ts). */
export interface InvoiceWorkflowInput extends DraftStart {
  tenantId: string;
  documentId: string;
  customerId: string;
  number: string;
  title?: string;
  /** Minor units: what the customer owes in all. */
  grossTotal: number;
  currency: string;
  /** Epoch ms; the invoice is overdue after it. Absent: never overdue. */
  dueDate?: number;
  reminderAfterMs: number;
  maxReminders: number;
  send: SendInstructions;
  sentBy: Actor;
  resume?: WorkflowResume;
  /** As in QuoteWorkflowInput: tests set it to exercise continue-as-new on a short history. */
  continueAsNewAfterEvents?: number;
}

/** What the invoice workflow answers. */
export interface InvoiceView {
  status: InvoiceStatus;
  remindersSent: number;
  nextReminderAt?: number;
  /** Minor units counted so far, and what is left. */
  paidTotal: number;
  amountDue: number;
  dueDate?: number;
}

/** The seller's moves on an invoice, under the names every document uses. */
export const invoiceUpdates = {
  remind: defineUpdate<InvoiceView, [DecisionInput]>('remind'),
  cancel: defineUpdate<InvoiceView, [DecisionInput]>('cancel'),
} as const;

/** The payment provider took money (a verified webhook, or the customer back from the payment page). */
export const paymentReceivedSignal = defineSignal<[ReceivedPayment]>('paymentReceived');
/** The provider refused a card for this invoice. */
export const paymentFailedSignal = defineSignal<[PaymentFailure]>('paymentFailed');

export interface PaymentFailure {
  paymentId: string;
  /** The provider's event: a failure reported again is recorded once. */
  eventId: string;
  failureCode?: string;
  failureMessage?: string;
}
export const invoiceStateQuery = defineQuery<InvoiceView>('state');
