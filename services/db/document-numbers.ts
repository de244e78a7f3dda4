/**
 * Document numbers: "<series>-<year>-<counter>" (Q-2026-0001), per tenant, series (one per kind)
 * and year, unless the back office brings its own. Numbers are unique per tenant whatever the kind.
 *
 * A counter row per tenant, series and year (DocumentNumberCounter) holds the last number given,
 * moved by one statement in the creation's own transaction: a creation that rolls back gives its
 * number back, so numbers have no gap. The row stays locked until that transaction ends, queueing
 * the tenant's other creations of the series, so the number is taken last: the document is written
 * under a stand-in (its own id, unique), then numbered just before the commit.
 * A number the back office gave by hand in that form (Q-2026-0042) moves the counter past it
 * instead of colliding later.
 */
import type { Prisma } from '../../generated/prisma/client';
import type { DocumentKind } from '../../domain/documents';

const SERIES: Record<DocumentKind | 'request', string> = {
  request: 'REQ',
  quote: 'Q',
  order: 'O',
  delivery_note: 'DN',
  invoice: 'INV',
  proof: 'P',
};

const COUNTER_DIGITS = 4;

/** A number of the series' form, as one may be given by hand: "Q-2026-0042". */
const SERIES_NUMBER = new RegExp(`^(${Object.values(SERIES).join('|')})-([0-9]{4})-([0-9]{1,9})$`);

/** What a new document is written with until numberDocument numbers it, in the same transaction. */
export function unnumbered(documentId: string): string {
  return documentId;
}

/**
 * Gives the document written with unnumbered() in this transaction the next number of its series
 * and year: one statement, to send last before the commit. Returns the number.
 */
export async function numberDocument(
  tx: Prisma.TransactionClient,
  document: { id: string; tenantId: string; kind: DocumentKind | 'request' },
  at: Date,
): Promise<string> {
  const series = SERIES[document.kind];
  const prefix = `${series}-${at.getUTCFullYear()}-`;
  const [row] = await tx.$queryRaw<{ number: string }[]>`
    WITH counter AS (
      INSERT INTO "DocumentNumberCounter" ("tenantId", "series", "year", "last")
      VALUES (${document.tenantId}, ${series}, ${at.getUTCFullYear()}::int, 1)
      ON CONFLICT ("tenantId", "series", "year") DO UPDATE SET "last" = "DocumentNumberCounter"."last" + 1
      RETURNING "last"::text AS "last"
    )
    UPDATE "Document" SET "number" = ${prefix} || lpad(counter."last", GREATEST(${COUNTER_DIGITS}::int, length(counter."last")), '0')
    FROM counter
    WHERE "Document"."id" = ${document.id} AND "Document"."tenantId" = ${document.tenantId}
    RETURNING "Document"."number"`;
  // Thrown, the transaction rolls back and the counter with it.
  if (!row) throw new Error(`numberDocument: no document ${document.id} of tenant ${document.tenantId} written in this transaction`);
  return row.number;
}

/**
 * A number given by hand, in a series' form, moves that counter up to it. Call it in the creation's
 * transaction before writing the document: it waits for creations of the series that hold the row,
 * and one that took this very number is then refused by the unique index instead of deadlocking.
 */
export async function followGivenNumber(tx: Prisma.TransactionClient, tenantId: string, number: string): Promise<void> {
  const parts = SERIES_NUMBER.exec(number);
  if (!parts) return;
  const [, series, year, counter] = parts;
  await tx.$executeRaw`
    INSERT INTO "DocumentNumberCounter" ("tenantId", "series", "year", "last")
    VALUES (${tenantId}, ${series}, ${Number(year)}::int, ${Number(counter)}::int)
    ON CONFLICT ("tenantId", "series", "year") DO UPDATE SET "last" = EXCLUDED."last"
    WHERE "DocumentNumberCounter"."last" < EXCLUDED."last"`;
}
