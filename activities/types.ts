/**
 * The activities the workflows call, as one typed surface. Implementations are made by
 * createActivities(deps) in activities/index.ts with their dependencies injected.
 */
import type { AttemptOutcome } from '../domain/webhooks';
import type { AttemptWebhookDeliveryInput } from './webhooks/attempt';
import type { Actor, AuditEventType, Confirmation, NotifyEvent, RequestSource } from '../domain/documents';
import type { SignatureEvidence } from '../domain/signature';
import type { DeciderRole } from '../domain/deciders';
import type { PaymentPage, ReceivedPayment } from '../domain/invoice';
import type { DocumentChanges } from '../domain/documents';
import type { CustomerTemplateName } from '../services/notify/templates';
import type { FactInput, RecordedFact } from '../workflows/fact';
import type { RenderedRevision, RenderProofRevisionInput, RenderZoomPageInput } from '../services/render/proof-pages';
import type { MarkRenderFailedInput } from '../services/render/render-start';
import type { ReportRevisionReadyInput, RevisionReport } from './render/report-revision-ready';

export type { ChargeSubscriptionInput, RecordSubscriptionInput, SubscriptionActivities } from './subscriptions/types';

export interface RecordTransitionInput {
  tenantId: string;
  documentId: string;
  workflowId: string;
  /** Transition number inside the workflow: (workflowId, seq) makes a retry a no-op. */
  seq: number;
  /** New document status, when the transition changes it. */
  status?: string;
  /** New digital status (external signature), when the transition changes it. */
  digitalStatus?: string;
  event: {
    type: AuditEventType;
    at: number;
    actor: Actor;
    source?: RequestSource;
    data?: Record<string, unknown>;
  };
}

export interface SendDocumentEmailInput {
  tenantId: string;
  documentId: string;
  /** message: the seller wrote in the conversation; `message` carries it. */
  template: CustomerTemplateName;
  to?: { contactId: string } | { email: string; name?: string };
  message?: string;
  attachPdf: boolean;
  /** Proofs: the revision sent ({{revision}}, and {{requests}}: what it follows), whose watermarked PDF is attached when attachPdf. */
  revision?: number;
  /** Stable across retries: the mail provider drops a second send with the same key. */
  idempotencyKey: string;
  /** A proof forwarded to a colleague: the link whose recipient forwarded it; the colleague's link opens this proof only. */
  forwardedFromLinkId?: string;
  /** A decider invited (domain/deciders.ts): their link carries their id and what their role may do. */
  decider?: { id: string; role: DeciderRole };
}

/** A document's portal link by SMS (sent with channel "sms"): to a number, or a contact's mobile; the document's contact (else customer) when absent. */
export interface SendDocumentSmsInput extends Omit<SendDocumentEmailInput, 'to' | 'attachPdf' | 'forwardedFromLinkId' | 'decider'> {
  to?: { contactId: string } | { phone: string; name?: string };
}

/** The customer's answer (or their request's outcome) is recorded: they are told, and what comes next. */
export interface SendConfirmationEmailInput {
  tenantId: string;
  documentId: string;
  confirmation: Confirmation;
  /** Whom the document was sent to; its contact (else its customer) when absent. */
  to?: SendDocumentEmailInput['to'];
  /** paid: the provider's payment id (ReceivedPayment.paymentId), whose receipt the email links. */
  paymentId?: string;
  /** request_declined: the seller's reason. */
  reason?: string;
  /** A decider told the round's decision (deciders_*): the email carries a link of their own, as their invitation did. */
  decider?: SendDocumentEmailInput['decider'];
  /** deciders_declined, deciders_changes_requested: whose no settled it, by name; a signer at the provider when absent (deciders_declined). */
  declinedBy?: string;
  idempotencyKey: string;
}

export interface NotifyAssigneeInput {
  tenantId: string;
  documentId: string;
  event: NotifyEvent;
  /** The audit event type that caused it (viewed, accepted, refused, put_on_hold, ...). */
  what: AuditEventType;
  at: number;
  idempotencyKey: string;
  detail?: Record<string, unknown>;
}

/** A colleague decided on a proof forwarded to them: the customer who forwarded it is told. */
export interface NotifyForwarderInput {
  tenantId: string;
  documentId: string;
  /** The colleague's link (the decision's actor); the forwarder is the link it was forwarded from. */
  colleagueLinkId: string;
  decision: 'approved' | 'changes_requested';
  comment?: string;
  idempotencyKey: string;
}

/** A new revision of a proof went to the customer: the colleagues it was forwarded to get it too. */
export interface RevisionToColleaguesInput {
  tenantId: string;
  documentId: string;
  revision: number;
  /** The revision email's key; each colleague's email adds their link to it. */
  idempotencyKey: string;
}

export interface ConvertDocumentActivityInput {
  tenantId: string;
  documentId: string;
  to: 'order' | 'delivery_note' | 'invoice';
  at: number;
  /** As actorLabel() writes it; the system (an automatic conversion) when absent. */
  actor?: string;
  /** The decision that asks for it (a seller's request): its retry is told it made the document. */
  decisionId?: string;
}

export interface RecordSignatureInput {
  tenantId: string;
  documentId: string;
  /** The version signed (the workflow's current one when it took the signature). */
  version: number;
  /** Epoch ms. */
  signedAt: number;
  evidence: SignatureEvidence;
  options: string[];
  source?: RequestSource;
  /** The signer among several deciders (domain/deciders.ts); absent: the customer's one signature. */
  deciderId?: string;
}

/** The seller cancels a quote's portal signing: the quote workflow's CANCEL_SIGNING. */
export interface CancelPortalSigningInput {
  tenantId: string;
  documentId: string;
  workflowId: string;
  /** The workflow's write number: with its id, the trail's key, so a retry writes nothing twice. */
  seq: number;
  /** Epoch ms. */
  at: number;
  actor: Actor;
  reason?: string;
}

export interface ApplyRevisionInput {
  tenantId: string;
  documentId: string;
  /** The version these changes make. */
  version: number;
  changes: DocumentChanges;
}

export interface RecordPaymentInput {
  tenantId: string;
  documentId: string;
  payment: ReceivedPayment;
  /** The receipt's number in the invoice's series (1, 2, …). */
  receiptSeq: number;
  /** Paid on the invoice once this payment counts, minor units. */
  paidTotal: number;
}

export interface ClosePaymentsInput {
  tenantId: string;
  documentId: string;
}

export type OpenHostedPaymentInput = {
  tenantId: string;
  documentId: string;
  /** The customer's link (absolute URL): the provider sends them back there, paid or not. */
  linkUrl: string;
  /** Filled in on the payment page: whom the link was sent to. */
  customerEmail?: string;
} & (
  /** An invoice: what the page asks, minor units, what its workflow says is left to pay. */
  | { amountDue: number }
  /**
   * A quote's deposit: its amount is read from the quote (domain/deposit.ts), on its total as
   * the yes accepts it: with the optional lines it chose (`options`), else as the quote stands.
   */
  | { deposit: true; options?: string[] }
);

/** The page handed out, or the payment its last page turned out to have taken (not heard of yet). */
export type OpenHostedPaymentOutcome = { page: PaymentPage } | { paid: ReceivedPayment };

/** Invoice payments (activities/payment/), apart from the document activities like the proofs'. */
export interface PaymentActivities {
  /** The invoice's payment page for the amount due: the open one again, or a new attempt (activities/payment/open-payment.ts). */
  openHostedPayment(input: OpenHostedPaymentInput): Promise<OpenHostedPaymentOutcome>;
  /** Keeps a payment the provider took, with its receipt; once per provider payment id. */
  recordPayment(input: RecordPaymentInput): Promise<void>;
  /** Expires the document's open payment pages, so a cancelled invoice cannot be paid. */
  closeHostedPayments(input: ClosePaymentsInput): Promise<void>;
}

/** Facts no running workflow took (workflows/fact.ts), apart from the document activities. */
export interface FactActivities {
  /** Records a fact once per dedupe key and starts its webhook deliveries. */
  recordFact(input: FactInput): Promise<RecordedFact>;
}

/** Proof rendering, apart from the document activities: only workers built with ActivityDeps.proofs serve it. */
export interface ProofActivities {
  /** Renders a proof revision's pages and watermarked PDF; idempotent by revision; a file that cannot be rendered ends as status failed. */
  renderProofRevision(input: RenderProofRevisionInput): Promise<RenderedRevision>;
  /** Forwards a rendered revision to the proof's workflow (update `revision-<revisionId>`) and answers what it said. */
  reportRevisionReady(input: ReportRevisionReadyInput): Promise<RevisionReport>;
  /** The render gave up: the revision ends failed with the reason (a no-op unless still rendering). */
  markRenderFailed(input: MarkRenderFailedInput): Promise<void>;
  /** A page's watermarked zoom image, rendered on its first request; answers its file-store key. Idempotent by page. */
  renderZoomPage(input: RenderZoomPageInput): Promise<string>;
}

export interface GreenlightActivities {
  recordTransition(input: RecordTransitionInput): Promise<void>;
  sendDocumentEmail(input: SendDocumentEmailInput): Promise<{ messageId: string; linkId: string }>;
  /** The document's link by SMS, once per idempotency key. */
  sendDocumentSms(input: SendDocumentSmsInput): Promise<{ messageId: string; linkId: string }>;
  sendConfirmationEmail(input: SendConfirmationEmailInput): Promise<{ messageId: string; linkId: string }>;
  notifyAssignee(input: NotifyAssigneeInput): Promise<{ sent: number }>;
  /** Tells the customer who forwarded a proof what their colleague decided. */
  notifyForwarder(input: NotifyForwarderInput): Promise<{ sent: number }>;
  /** Sends a new proof revision to each colleague the proof was forwarded to, with a link of their own. */
  sendRevisionToColleagues(input: RevisionToColleaguesInput): Promise<{ sent: number }>;
  /** Keeps the signature's evidence; once per document. */
  recordSignature(input: RecordSignatureInput): Promise<void>;
  /** Revokes the quote's portal links and records signature_cancelled (digital status cancelled); once per quote. */
  cancelPortalSigning(input: CancelPortalSigningInput): Promise<void>;
  /** Writes a revision of a sent quote as its new version; once per version. */
  applyRevision(input: ApplyRevisionInput): Promise<void>;
  /** Idempotent: a chain holds one document per kind, so a retry returns the first one; `created` when the same decision made it. Starts the webhook deliveries of its events. */
  convertDocument(input: ConvertDocumentActivityInput): Promise<{ documentId: string; number: string; created: boolean }>;
  /** One attempt of one webhook delivery; its HTTP outcome is the answer, never an error. */
  attemptWebhookDelivery(input: AttemptWebhookDeliveryInput): Promise<AttemptOutcome>;
}
