/**
 * The conversation's rows: a message is kept with its `message` audit event, in one
 * transaction (recordAuditEvent's `alongside`), so the trail never names a message that is not
 * there, nor keeps one it does not name. Written by the recordFact activity (activities/db/).
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { FactMessage } from '../../workflows/fact';
import { recordAuditEvent, type AuditEventInput, type RecordedAuditEvent } from './audit';

/** Stores the message and its event (whose time and actor are the message's); the same id twice stores once. */
export function recordMessage(prisma: PrismaClient, event: AuditEventInput, message: FactMessage): Promise<RecordedAuditEvent> {
  return recordAuditEvent(prisma, event, (tx) =>
    tx.message.upsert({
      where: { id: message.id },
      update: {},
      create: {
        id: message.id,
        tenantId: event.tenantId,
        documentId: event.documentId,
        author: message.author,
        actor: event.actor,
        authorName: message.authorName ?? null,
        body: message.body,
        internal: message.internal,
        createdAt: event.at,
      },
    }),
  );
}
