/**
 * recordTransition: the one activity every workflow transition goes through. It writes the
 * audit event (and the document's new status) keyed by (workflow id, transition number),
 * so a retried activity, or a workflow replaying after a worker crash, writes nothing twice.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { actorLabel } from '../../domain/documents';
import type { RecordTransitionInput } from '../types';
import { recordAuditEvent, type RecordedAuditEvent } from '../../services/db/audit';

function transitionDedupeKey(workflowId: string, seq: number): string {
  return `${workflowId}#${seq}`;
}

export async function recordTransition(prisma: PrismaClient, input: RecordTransitionInput): Promise<RecordedAuditEvent> {
  const { event } = input;
  // Outbound webhooks are queued by recordAuditEvent, in the event's own transaction.
  return recordAuditEvent(prisma, {
    tenantId: input.tenantId,
    documentId: input.documentId,
    dedupeKey: transitionDedupeKey(input.workflowId, input.seq),
    type: event.type,
    at: new Date(event.at),
    actor: actorLabel(event.actor),
    ip: event.source?.ip,
    userAgent: event.source?.userAgent,
    data: event.data,
    status: input.status,
    digitalStatus: input.digitalStatus,
  });
}
