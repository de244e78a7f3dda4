/**
 * The activities the workflows call, as one typed surface. Implementations are made by
 * createActivities(deps) in activities/index.ts with their dependencies injected.
 */
import type { AttemptOutcome } from '../domain/webhooks';
import type { AttemptWebhookDeliveryInput } from './webhooks/attempt';
import type { Actor, AuditEventType, NotifyEvent, RequestSource } from '../domain/documents';
import type { SignatureEvidence } from '../domain/signature';
import type { DocumentChanges } from '../workflows/api';
import type { CustomerTemplateName } from './notify/templates';
import type { RenderedRevision, RenderProofRevisionInput } from './render/proof-pages';
import type { ReportRevisionReadyInput, RevisionReport } from './render/report-revision-ready';

export interface RecordTransitionInput {
  tenantId: string;
  documentId: string;
  workflowId: string;
  /** Transition number inside the workflow: (workflowId, seq) makes a retry a no-op. */
  seq: number;
  /** New document status, when the transition changes it. */
  status?: string;
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
  /** Stable across retries: the mail provider drops a second send with the same key. */
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

export interface ConvertDocumentActivityInput {
  tenantId: string;
  documentId: string;
  to: 'order' | 'delivery_note' | 'invoice';
  at: number;
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
}

export interface ApplyRevisionInput {
  tenantId: string;
  documentId: string;
  /** The version these changes make. */
  version: number;
  changes: DocumentChanges;
}

/** Proof rendering, apart from the document activities: only workers built with ActivityDeps.proofs serve it. */
export interface ProofActivities {
  /** Renders a proof revision's pages and watermarked PDF; idempotent by revision; a file that cannot be rendered ends as status failed. */
  renderProofRevision(input: RenderProofRevisionInput): Promise<RenderedRevision>;
  /** Forwards a rendered revision to the proof's workflow (update `revision-<revisionId>`) and answers what it said. */
  reportRevisionReady(input: ReportRevisionReadyInput): Promise<RevisionReport>;
}

export interface GreenlightActivities {
  recordTransition(input: RecordTransitionInput): Promise<void>;
  sendDocumentEmail(input: SendDocumentEmailInput): Promise<{ messageId: string; linkId: string }>;
  notifyAssignee(input: NotifyAssigneeInput): Promise<{ sent: number }>;
  /** Keeps the signature's evidence; once per document. */
  recordSignature(input: RecordSignatureInput): Promise<void>;
  /** Writes a revision of a sent quote as its new version; once per version. */
  applyRevision(input: ApplyRevisionInput): Promise<void>;
  /** Idempotent: a chain holds one document per kind, so a retry returns the first one. */
  convertDocument(input: ConvertDocumentActivityInput): Promise<{ documentId: string; number: string }>;
  /** One attempt of one webhook delivery; its HTTP outcome is the answer, never an error. */
  attemptWebhookDelivery(input: AttemptWebhookDeliveryInput): Promise<AttemptOutcome>;
}
