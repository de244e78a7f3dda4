/**
 * Document numbers: "<series>-<year>-<counter>" (Q-2026-0001), per tenant, series (one per kind)
 * and year, unless the back office brings its own. Numbers are unique per tenant whatever the kind.
 *
 * A counter row per tenant, series and year (DocumentNumberCounter) holds the last number given,
 * moved by one statement in the creation's own transaction: a creation that rolls back gives its
 * number back, so numbers have no gap. The row stays locked until that transaction ends, queueing
 * the tenant's other creations of the series, so the number is taken as late as can be:
 * - a document written alone (insertNumberedDocument) is written with its lines and its number in
 *   one statement, which commits as it ends: the row is held for no round trip at all;
 * - one written with other rows in a transaction is written under a stand-in (unnumbered: its own
 *   id, unique), then numbered (numberDocument) by the last statement before the commit.
 * A number the back office gave by hand in that form (Q-2026-0042) moves the counter past it
 * instead of colliding later.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
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

/** The statement that moves the series' counter on by one and answers the new number ("number"). */
function nextNumber(tenantId: string, kind: DocumentKind | 'request', at: Date): Prisma.Sql {
  const series = SERIES[kind];
  const year = at.getUTCFullYear();
  return Prisma.sql`
    INSERT INTO "DocumentNumberCounter" ("tenantId", "series", "year", "last") VALUES (${tenantId}, ${series}, ${year}::int, 1)
    ON CONFLICT ("tenantId", "series", "year") DO UPDATE SET "last" = "DocumentNumberCounter"."last" + 1
    RETURNING ${`${series}-${year}-`} || lpad("last"::text, GREATEST(${COUNTER_DIGITS}::int, length("last"::text)), '0') AS "number"`;
}

/**
 * The statement that moves the series' counter up to a number given in its form; null for a
 * number in no series' form. Taking the counter's row before writing the document, it waits for
 * the creations of the series that hold it, and one that took this very number is then refused by
 * the unique index instead of deadlocking.
 */
function followGivenNumber(tenantId: string, number: string): Prisma.Sql | null {
  const parts = SERIES_NUMBER.exec(number);
  if (!parts) return null;
  const [, series, year, counter] = parts;
  return Prisma.sql`
    INSERT INTO "DocumentNumberCounter" ("tenantId", "series", "year", "last") VALUES (${tenantId}, ${series}, ${Number(year)}::int, ${Number(counter)}::int)
    ON CONFLICT ("tenantId", "series", "year") DO UPDATE SET "last" = EXCLUDED."last"
    WHERE "DocumentNumberCounter"."last" < EXCLUDED."last"`;
}

/**
 * `("a", "b") VALUES ($1, $2), …` for rows of one table with the same fields, their columns as
 * Prisma names them (no @map in these models); a field left undefined takes the column's default.
 */
function columnsAndValues(rows: readonly Record<string, unknown>[]): Prisma.Sql {
  const columns = Object.keys(rows[0] ?? {}).filter((column) => rows[0]?.[column] !== undefined);
  const tuples = rows.map((row) => Prisma.sql`(${Prisma.join(columns.map((column) => row[column]))})`);
  return Prisma.sql`(${Prisma.raw(columns.map((column) => `"${column}"`).join(', '))}) VALUES ${Prisma.join(tuples)}`;
}

/** A document's columns (number aside: given or taken), and its lines' but their document's. */
export type NewDocumentRow = Omit<Prisma.DocumentCreateManyInput, 'kind' | 'number' | 'createdAt' | 'updatedAt' | 'deciders'> & { kind: DocumentKind };
export type NewLineRow = Omit<Prisma.DocumentLineCreateManyInput, 'documentId'>;

/**
 * Writes a document and its lines, numbered next in its series unless a number is given, in one
 * statement. Sent alone, not in a transaction, it commits as it ends: the counter's row is held
 * for that statement only. Made `at` (the year of its number). A given number another document
 * has is refused by the unique index (isUniqueViolation), and nothing is written.
 */
export async function insertNumberedDocument(
  prisma: PrismaClient,
  document: NewDocumentRow,
  lines: readonly NewLineRow[],
  at: Date,
  givenNumber?: string,
): Promise<void> {
  const counter = givenNumber === undefined ? nextNumber(document.tenantId, document.kind, at) : followGivenNumber(document.tenantId, givenNumber);
  const number = givenNumber ?? Prisma.sql`(SELECT "number" FROM counter)`;
  const steps = [
    ...(counter ? [Prisma.sql`counter AS (${counter})`] : []),
    Prisma.sql`document AS (INSERT INTO "Document" ${columnsAndValues([{ ...document, number, createdAt: at, updatedAt: at }])})`,
    ...(lines.length ? [Prisma.sql`lines AS (INSERT INTO "DocumentLine" ${columnsAndValues(lines.map((line) => ({ ...line, documentId: document.id })))})`] : []),
  ];
  // Every data-modifying CTE runs, referenced or not; the lines' reference to the document is checked as the statement ends.
  await prisma.$executeRaw`WITH ${Prisma.join(steps)} SELECT 1`;
}

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
  const [row] = await tx.$queryRaw<{ number: string }[]>`
    WITH counter AS (${nextNumber(document.tenantId, document.kind, at)})
    UPDATE "Document" SET "number" = counter."number" FROM counter
    WHERE "Document"."id" = ${document.id} AND "Document"."tenantId" = ${document.tenantId}
    RETURNING "Document"."number"`;
  // Thrown, the transaction rolls back and the counter with it.
  if (!row) throw new Error(`numberDocument: no document ${document.id} of tenant ${document.tenantId} written in this transaction`);
  return row.number;
}
