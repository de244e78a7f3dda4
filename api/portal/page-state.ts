/**
 * What the quote page needs beyond the link's document: since when the quote is in its
 * status, and whom the customer can ask.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { FoundLink } from '../../services/db/links';
import type { AuditEventType, QuoteStatus } from '../../domain/documents';

const EVENT_OF_STATUS: Partial<Record<QuoteStatus, AuditEventType>> = {
  accepted: 'accepted',
  refused: 'refused',
  on_hold: 'put_on_hold',
  expired: 'expired',
  cancelled: 'cancelled',
};

/** The audit event that puts a document in `status`; none for a status no decision or deadline reaches. */
export function eventOfStatus(status: string): AuditEventType | undefined {
  return EVENT_OF_STATUS[status as QuoteStatus];
}

export async function statusSince(prisma: PrismaClient, found: FoundLink, status: QuoteStatus): Promise<Date | undefined> {
  const type = EVENT_OF_STATUS[status];
  if (!type) return undefined;
  const event = await prisma.auditEvent.findFirst({
    where: { tenantId: found.document.tenantId, documentId: found.document.id, type },
    orderBy: { seq: 'desc' },
    select: { at: true },
  });
  return event?.at;
}

/** The salesperson in charge of the quote, when there is one with an email (read with the link: services/db/links.ts). */
export function sellerContact(found: FoundLink): { name: string; email: string } | undefined {
  const assignee = found.document.assignee;
  if (!assignee || assignee.tenantId !== found.document.tenantId) return undefined;
  return { name: assignee.name, email: assignee.email };
}
