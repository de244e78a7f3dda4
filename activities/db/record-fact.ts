/**
 * recordFact: a fact no running workflow took (a message, a link made or revoked, a new
 * assignee, a duplicate's `created`, a seller's preview, a scanner's download, a view of a document whose
 * workflow is over), recorded by its own workflow (workflows/fact.ts) under the dedupe key its
 * request gave it, so a retried request, or a retried activity, writes nothing twice.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { AuditEventInput, RecordedAuditEvent } from '../../services/db/audit';
import { recordAuditEvent } from '../../services/db/audit';
import { recordMessage } from '../../services/db/messages';
import type { FactInput } from '../../workflows/fact';

export function recordFact(prisma: PrismaClient, input: FactInput): Promise<RecordedAuditEvent> {
  const event: AuditEventInput = {
    tenantId: input.tenantId,
    documentId: input.documentId,
    dedupeKey: input.dedupeKey,
    type: input.type,
    at: new Date(input.at),
    actor: input.actor,
    ip: input.source?.ip,
    userAgent: input.source?.userAgent,
    data: input.data,
  };
  if (input.message) return recordMessage(prisma, event, input.message);
  const { assigneeId } = input;
  // Written only with its event: a retry after a later assignment does not undo that one.
  if (assigneeId) return recordAuditEvent(prisma, event, (tx) => tx.document.update({ where: { id: input.documentId, tenantId: input.tenantId }, data: { assigneeId } }));
  return recordAuditEvent(prisma, event);
}
