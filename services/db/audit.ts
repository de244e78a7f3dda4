/**
 * The audit trail: one row per thing that happened to a document, numbered in order.
 *
 * Every writer goes through recordAuditEvent, always inside an activity: recordTransition for a
 * workflow's transitions, recordFact for a fact no running workflow took (activities/db/), a
 * conversion. So numbering, status and the counters the back office lists (views, downloads,
 * sent date) move together — in one statement (writeEvent) when there is nothing else to write
 * and no webhook endpoint, else in one transaction —, a retried write is a no-op, and the
 * activity that wrote the event starts its webhook deliveries (services/webhooks/dispatch.ts).
 * One exception, written by the API: a portal page's `opened` event (api/portal/view-tracking.ts).
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

/** The document columns an event type moves besides its sequence number, status and updatedAt, as SQL assignments. */
function documentEffects(input: AuditEventInput): Prisma.Sql[] {
  // `counted: false`: kept in the trail, not in the counters — the seller's own preview, a
  // known scanner's download. Doubtful opens are `opened` events, counted apart in openCount
  // and never as views. (api/portal/view-tracking.ts says what makes a view a person's.)
  const counted = input.data?.counted !== false;
  switch (input.type) {
    case 'opened':
      return [Prisma.sql`"openCount" = "openCount" + 1`];
    case 'viewed':
      return counted ? [Prisma.sql`"viewCount" = "viewCount" + 1`, Prisma.sql`"lastViewedAt" = ${input.at}`] : [];
    case 'downloaded':
      return counted ? [Prisma.sql`"downloadCount" = "downloadCount" + 1`] : [];
    case 'sent':
      return [Prisma.sql`"sentAt" = ${input.at}`];
    default:
      return [];
  }
}

/** Everything the event changes on its document; updatedAt as Prisma's @updatedAt sets it. */
function documentChanges(input: AuditEventInput): Prisma.Sql {
  const changes = [Prisma.sql`"eventSeq" = "eventSeq" + 1`, Prisma.sql`"updatedAt" = ${new Date()}`];
  if (input.status) changes.push(Prisma.sql`"status" = ${input.status}`);
  if (input.digitalStatus) changes.push(Prisma.sql`"digitalStatus" = ${input.digitalStatus}`);
  return Prisma.join([...changes, ...documentEffects(input)]);
}

/** The optional lines an acceptance chose (none chosen is a choice too), when it says. */
function chosenOptions(input: AuditEventInput): string[] | undefined {
  return input.type === 'accepted' && Array.isArray(input.data?.options) ? (input.data.options as string[]) : undefined;
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

/** The version of the terms of sale a proof's approval accepted, when it accepted some. */
function acceptedTermsVersion(input: AuditEventInput): string | undefined {
  const version = input.data?.termsVersion;
  return input.type === 'approved' && input.data?.termsAccepted === true && typeof version === 'string' ? version : undefined;
}

/**
 * A proof approved with the terms of sale ticked: the customer has accepted that version, so
 * their next proof does not ask again (api/operations/quote-lifecycle.ts reads it at send).
 * Kept once per version: a later approval under the same version leaves the first acceptance
 * (its time and who) as it is, and an older acceptance never replaces a newer one.
 */
async function keepTermsAcceptance(tx: Prisma.TransactionClient, customerId: string, input: AuditEventInput, version: string): Promise<void> {
  const acceptedBy = input.data?.termsAcceptedBy;
  await tx.customer.updateMany({
    where: {
      id: customerId,
      OR: [{ termsVersion: null }, { termsVersion: { not: version } }],
      AND: [{ OR: [{ termsAcceptedAt: null }, { termsAcceptedAt: { lte: input.at } }] }],
    },
    data: {
      termsVersion: version,
      termsAcceptedAt: input.at,
      termsAcceptedBy: typeof acceptedBy === 'object' && acceptedBy !== null ? (acceptedBy as Prisma.InputJsonObject) : Prisma.DbNull,
    },
  });
}

/** An event as writeEvent answers it, with what the rest of its transaction needs of its document (null for one there already). */
type WrittenEvent = AuditEvent & { created: boolean; currency: string | null; customerId: string | null };

/**
 * The document's update and the event's insert in one statement (every recorder's, in its
 * transaction or alone). The update locks the document row: concurrent writers for one document
 * queue there, so sequence numbers have no gaps and no duplicates. No row for a document not
 * found; a dedupeKey already there fails the insert, undoing the update with it.
 *
 * `alone`, outside any transaction, for an event with nothing else to write: it writes nothing
 * when a webhook endpoint of the tenant may want the event (its deliveries are queued with it,
 * in a transaction), nor when an event with the dedupeKey is there, which it answers — a retry
 * bumps no sequence number. A writer with the same key at the same moment fails the insert.
 */
async function writeEvent(db: Prisma.TransactionClient, input: AuditEventInput, { alone }: { alone: boolean }): Promise<WrittenEvent | undefined> {
  const rows = await db.$queryRaw<WrittenEvent[]>`
    WITH document AS (
      UPDATE "Document" SET ${documentChanges(input)}
      WHERE "id" = ${input.documentId} AND "tenantId" = ${input.tenantId}
      ${alone ? Prisma.sql`
        AND NOT EXISTS (SELECT 1 FROM "WebhookEndpoint" WHERE "tenantId" = ${input.tenantId} AND "disabledAt" IS NULL AND "deletedAt" IS NULL)
        AND NOT EXISTS (SELECT 1 FROM "AuditEvent" WHERE "dedupeKey" = ${input.dedupeKey})` : Prisma.empty}
      RETURNING "eventSeq", "currency", "customerId"
    ), event AS (
      INSERT INTO "AuditEvent" ("id", "tenantId", "documentId", "seq", "dedupeKey", "type", "at", "actor", "ip", "userAgent", "data")
      SELECT ${newId('evt')}, ${input.tenantId}, ${input.documentId}, "eventSeq", ${input.dedupeKey}, ${input.type}, ${input.at}, ${input.actor},
        ${input.ip ?? null}, ${input.userAgent ?? null}, ${JSON.stringify(input.data ?? {})}::jsonb
      FROM document
      RETURNING *
    )
    SELECT event.*, true AS "created", document."currency", document."customerId" FROM event, document
    ${alone ? Prisma.sql`UNION ALL SELECT *, false, NULL, NULL FROM "AuditEvent" WHERE "dedupeKey" = ${input.dedupeKey}` : Prisma.empty}`;
  return rows[0];
}

function eventOf({ created: _created, currency: _currency, customerId: _customerId, ...event }: WrittenEvent): AuditEvent {
  return event;
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
  const options = chosenOptions(input);
  const termsVersion = acceptedTermsVersion(input);
  const notFound = () => new AppError('not_found', `No document ${input.documentId} for tenant ${input.tenantId}`);
  try {
    // Most events, a portal page's open among them, are the document's row and the event's, and
    // no webhook endpoint wants them: one statement, instead of a transaction of five round
    // trips holding the document's row (BEGIN, update, insert, endpoints, COMMIT).
    if (!alongside && !options && termsVersion === undefined) {
      const written = await writeEvent(prisma, input, { alone: true });
      if (written) return { event: eventOf(written), created: written.created, deliveriesQueued: 0 };
    }
    // No lookup first: a dedupeKey already there fails the event's insert, rolling back
    // everything written with it, and the row there is the answer.
    return await prisma.$transaction(async (tx) => {
      await alongside?.(tx);
      const written = await writeEvent(tx, input, { alone: false });
      // A row written in a transaction is a new event, with its document's currency and customer.
      if (!written?.currency || !written.customerId) throw notFound();
      if (options) await applyChosenOptions(tx, input.documentId, written.currency, options);
      if (termsVersion !== undefined) await keepTermsAcceptance(tx, written.customerId, input, termsVersion);
      // The outbox: the event's webhook deliveries commit with it; the recording activity starts them (services/webhooks/dispatch.ts).
      const event = eventOf(written);
      return { event, created: true, deliveriesQueued: await queueWebhookDeliveries(tx, event) };
    });
  } catch (error) {
    // An `alongside` update of the document that found none.
    if (isMissingRecord(error)) throw notFound();
    // Written before (a retry), or by another writer at the same time: what this call wrote
    // was undone whole, and the row there is the answer.
    if (!isUniqueViolation(error)) throw error;
    const event = await prisma.auditEvent.findUnique({ where: { dedupeKey: input.dedupeKey } });
    if (!event) throw error;
    return { event, created: false, deliveriesQueued: 0 };
  }
}
