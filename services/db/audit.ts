/**
 * The audit trail: one row per thing that happened to a document, numbered in order.
 *
 * Every writer goes through recordAuditEvent, always inside an activity: recordTransition for a
 * workflow's transitions, recordFact for a fact no running workflow took (activities/db/), a
 * conversion. So numbering, status and the counters the back office lists (views, downloads,
 * sent date) move together in one transaction, a retried write is a no-op, and the activity
 * that wrote the event starts its webhook deliveries (services/webhooks/dispatch.ts). One
 * exception, written by the API: a portal page's `opened` event, in one statement when no
 * webhook endpoint may want it (recordOpenedAlone).
 */
import { computeTotals, withChosenOptions } from '../../domain/money';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { AuditEvent } from '../../generated/prisma/client';
import { AppError } from '../../domain/errors';
import type { AuditEventType } from '../../domain/documents';
import { isMissingRecord, isUniqueViolation } from '../../platform/db';
import { newId } from '../../platform/ids';
import { queueWebhookDeliveries } from '../webhooks/outbox';

export interface AuditEventInput {
  tenantId: string;
  documentId: string;
  /** Makes a retried write a no-op: "<workflowId>#<seq>" or "<source>:<uuid>". */
  dedupeKey: string;
  type: AuditEventType;
  at: Date;
  /** As actorLabel() writes it: "customer:<linkId>", "user:<id>", "seller", "system". */
  actor: string;
  ip?: string;
  userAgent?: string;
  data?: Record<string, unknown>;
  /** The document's new status, when the event changes it. */
  status?: string;
  /** The document's new digital status (external signature), when the event changes it. */
  digitalStatus?: string;
}

export interface RecordedAuditEvent {
  event: AuditEvent;
  /** false when an event with the same dedupeKey was already there (nothing written). */
  created: boolean;
  /** The webhook deliveries this call queued with the event (0 when it wrote nothing). */
  deliveriesQueued: number;
}

/**
 * Whether the event may have webhook deliveries still to start: not when this call recorded it
 * and queued none (no endpoint wants it), which needs no lookup. An event that was there already
 * may be the retry of a recorder that died before starting them.
 */
export function mayHaveDeliveriesToStart(recorded: RecordedAuditEvent): boolean {
  return !recorded.created || recorded.deliveriesQueued > 0;
}

/** The document columns an event type moves besides the sequence number. */
function documentEffects(input: AuditEventInput): Prisma.DocumentUpdateInput {
  // `counted: false`: kept in the trail, not in the counters — the seller's own preview, a
  // known scanner's download. Doubtful opens are `opened` events, counted apart in openCount
  // and never as views. (api/portal/view-tracking.ts says what makes a view a person's.)
  const counted = input.data?.counted !== false;
  switch (input.type) {
    case 'opened':
      return { openCount: { increment: 1 } };
    case 'viewed':
      return counted ? { viewCount: { increment: 1 }, lastViewedAt: input.at } : {};
    case 'downloaded':
      return counted ? { downloadCount: { increment: 1 } } : {};
    case 'sent':
      return { sentAt: input.at };
    default:
      return {};
  }
}

/** The optional lines the customer ticked when accepting become part of the totals. */
async function applyChosenOptions(tx: Prisma.TransactionClient, documentId: string, currency: string, chosen: string[]): Promise<void> {
  await tx.documentLine.updateMany({ where: { documentId, optional: true }, data: { selected: false } });
  await tx.documentLine.updateMany({ where: { documentId, optional: true, id: { in: chosen } }, data: { selected: true } });
  const totals = computeTotals(withChosenOptions(await tx.documentLine.findMany({ where: { documentId } }), chosen), currency);
  await tx.document.update({
    where: { id: documentId },
    data: { netTotal: totals.net, taxTotal: totals.tax, grossTotal: totals.gross },
  });
}

/**
 * A proof approved with the terms of sale ticked: the customer has accepted that version, so
 * their next proof does not ask again (api/operations/quote-lifecycle.ts reads it at send).
 * Kept once per version: a later approval under the same version leaves the first acceptance
 * (its time and who) as it is, and an older acceptance never replaces a newer one.
 */
async function keepTermsAcceptance(tx: Prisma.TransactionClient, customerId: string, at: Date, data: Record<string, unknown>): Promise<void> {
  const version = data.termsVersion;
  if (data.termsAccepted !== true || typeof version !== 'string') return;
  const acceptedBy = data.termsAcceptedBy;
  await tx.customer.updateMany({
    where: {
      id: customerId,
      OR: [{ termsVersion: null }, { termsVersion: { not: version } }],
      AND: [{ OR: [{ termsAcceptedAt: null }, { termsAcceptedAt: { lte: at } }] }],
    },
    data: {
      termsVersion: version,
      termsAcceptedAt: at,
      termsAcceptedBy: typeof acceptedBy === 'object' && acceptedBy !== null ? (acceptedBy as Prisma.InputJsonObject) : Prisma.DbNull,
    },
  });
}

/**
 * Records the event once per dedupeKey. `alongside` writes, first and in the same transaction,
 * a row the event is about (a message): both are there, or neither.
 */
export async function recordAuditEvent(
  prisma: PrismaClient,
  input: AuditEventInput,
  alongside?: (tx: Prisma.TransactionClient) => Promise<unknown>,
): Promise<RecordedAuditEvent> {
  try {
    // No lookup first: a dedupeKey already there fails the event's insert (below), rolling back
    // everything written with it, and the row there is the answer. A first write, by far the
    // most frequent, saves a round trip inside a transaction that holds the document's row.
    return await prisma.$transaction(async (tx) => {
      await alongside?.(tx);

      // The update locks the document row: concurrent writers for one document queue here,
      // so sequence numbers have no gaps and no duplicates.
      const document = await tx.document.update({
        where: { id: input.documentId, tenantId: input.tenantId },
        data: {
          eventSeq: { increment: 1 },
          ...(input.status ? { status: input.status } : {}),
          ...(input.digitalStatus ? { digitalStatus: input.digitalStatus } : {}),
          ...documentEffects(input),
        },
        select: { eventSeq: true, currency: true, customerId: true },
      });
      if (input.type === 'accepted' && Array.isArray(input.data?.options)) {
        await applyChosenOptions(tx, input.documentId, document.currency, input.data.options as string[]);
      }
      if (input.type === 'approved' && input.data) await keepTermsAcceptance(tx, document.customerId, input.at, input.data);
      const event = await tx.auditEvent.create({
        data: {
          id: newId('evt'),
          tenantId: input.tenantId,
          documentId: input.documentId,
          seq: document.eventSeq,
          dedupeKey: input.dedupeKey,
          type: input.type,
          at: input.at,
          actor: input.actor,
          ip: input.ip ?? null,
          userAgent: input.userAgent ?? null,
          data: (input.data ?? {}) as Prisma.InputJsonObject,
        },
      });
      // The outbox: the event's webhook deliveries commit with it; the recording activity starts them (services/webhooks/dispatch.ts).
      return { event, created: true, deliveriesQueued: await queueWebhookDeliveries(tx, event) };
    });
  } catch (error) {
    if (isMissingRecord(error)) throw new AppError('not_found', `No document ${input.documentId} for tenant ${input.tenantId}`);
    // Written before (a retry), or by another writer at the same time: this transaction rolled
    // back whole, and the row there is the answer.
    if (!isUniqueViolation(error)) throw error;
    const event = await prisma.auditEvent.findUnique({ where: { dedupeKey: input.dedupeKey } });
    if (!event) throw error;
    return { event, created: false, deliveriesQueued: 0 };
  }
}

/**
 * A portal page's `opened` event in one statement: the document's next sequence number, its
 * open count and updatedAt, and the event — the rows recordAuditEvent writes for it, in a
 * transaction of five round trips holding the document's row while the customer waits for the
 * page. Only for a tenant without webhook endpoints: an event one may want is queued with its
 * deliveries by recordAuditEvent. Answers false, having written nothing, for the others (and
 * for a document not found): the caller then records it through recordAuditEvent.
 */
export async function recordOpenedAlone(prisma: PrismaClient, input: Omit<AuditEventInput, 'type' | 'status' | 'digitalStatus'>): Promise<boolean> {
  const written = await prisma.$executeRaw`
    WITH document AS (
      UPDATE "Document" SET "eventSeq" = "eventSeq" + 1, "openCount" = "openCount" + 1, "updatedAt" = ${new Date()}
      WHERE "id" = ${input.documentId} AND "tenantId" = ${input.tenantId}
        AND NOT EXISTS (SELECT 1 FROM "WebhookEndpoint" WHERE "tenantId" = ${input.tenantId} AND "disabledAt" IS NULL AND "deletedAt" IS NULL)
      RETURNING "eventSeq"
    )
    INSERT INTO "AuditEvent" ("id", "tenantId", "documentId", "seq", "dedupeKey", "type", "at", "actor", "ip", "userAgent", "data")
    SELECT ${newId('evt')}, ${input.tenantId}, ${input.documentId}, "eventSeq", ${input.dedupeKey}, 'opened', ${input.at}, ${input.actor},
      ${input.ip ?? null}, ${input.userAgent ?? null}, ${JSON.stringify(input.data ?? {})}::jsonb
    FROM document`;
  return written === 1;
}
