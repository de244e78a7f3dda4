/**
 * The activities the workflows call, as one typed surface. Implementations are made by
 * createActivities(deps) in activities/index.ts with their dependencies injected.
 */
import type { Actor, AuditEventType, NotifyEvent, RequestSource } from '../domain/documents';

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
  template: 'first_send' | 'reminder';
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

export interface GreenlightActivities {
  recordTransition(input: RecordTransitionInput): Promise<void>;
  sendDocumentEmail(input: SendDocumentEmailInput): Promise<{ messageId: string; linkId: string }>;
  notifyAssignee(input: NotifyAssigneeInput): Promise<{ sent: number }>;
}
