/**
 * Document numbers: "<series>-<year>-<counter>" (Q-2026-0001), per tenant, series (one per kind)
 * and year, unless the back office brings its own. Numbers are unique per tenant whatever the kind.
 *
 * A counter row per tenant, series and year (DocumentNumberCounter) holds the last number given,
 * moved by one statement in the creation's own transaction: a creation that rolls back gives its
 * number back, so numbers have no gap. The row stays locked until that transaction ends, queueing
 * the tenant's other creations of the series, so the number is taken as late as can be:
 * - a document written alone (insertNumberedDocument) is written with its lines and its number in
 *   one statement, which commits as it ends: the row is held for no round trip at all (the same
 *   statement checks the document's references first and answers its row: one round trip);
 * - one written with other rows in a transaction is written under a stand-in (unnumbered: its own
 *   id, unique), then numbered (numberDocument) by the last statement before the commit.
 * A number the back office gave by hand in that form (Q-2026-0042) moves the counter past it
 * instead of colliding later.
 */
import { Prisma, type Document, type PrismaClient } from '../../generated/prisma/client';
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

/**
 * The statement that moves the series' counter on by one and answers the new number ("number");
 * with `onlyIf` (a FROM clause), only when that has a row.
 */
function nextNumber(tenantId: string, kind: DocumentKind | 'request', at: Date, onlyIf: Prisma.Sql = Prisma.empty): Prisma.Sql {
  const series = SERIES[kind];
  const year = at.getUTCFullYear();
  return Prisma.sql`
    INSERT INTO "DocumentNumberCounter" ("tenantId", "series", "year", "last") SELECT ${tenantId}, ${series}, ${year}::int, 1 ${onlyIf}
    ON CONFLICT ("tenantId", "series", "year") DO UPDATE SET "last" = "DocumentNumberCounter"."last" + 1
    RETURNING ${`${series}-${year}-`} || lpad("last"::text, GREATEST(${COUNTER_DIGITS}::int, length("last"::text)), '0') AS "number"`;
}

/**
 * The statement that moves the series' counter up to a number given in its form, only when
 * `onlyIf` (a FROM clause) has a row; null for a number in no series' form. Taking the counter's
 * row before writing the document, it waits for the creations of the series that hold it, and
 * one that took this very number is then refused by the unique index instead of deadlocking.
 */
function followGivenNumber(tenantId: string, number: string, onlyIf: Prisma.Sql): Prisma.Sql | null {
  const parts = SERIES_NUMBER.exec(number);
  if (!parts) return null;
  const [, series, year, counter] = parts;
  return Prisma.sql`
    INSERT INTO "DocumentNumberCounter" ("tenantId", "series", "year", "last") SELECT ${tenantId}, ${series}, ${Number(year)}::int, ${Number(counter)}::int ${onlyIf}
    ON CONFLICT ("tenantId", "series", "year") DO UPDATE SET "last" = EXCLUDED."last"
    WHERE "DocumentNumberCounter"."last" < EXCLUDED."last"`;
}

/**
 * A document's columns (number aside: given or taken; currency null: the tenant's), and its
 * lines' but their document's.
 */
export type NewDocumentRow = Omit<Prisma.DocumentCreateManyInput, 'kind' | 'number' | 'currency' | 'createdAt' | 'updatedAt' | 'deciders'> & {
  kind: DocumentKind;
  currency: string | null;
};
export type NewLineRow = Omit<Prisma.DocumentLineCreateManyInput, 'documentId'>;

/**
 * The document's tenant (its currency) when the customer, the contact (the customer's) and the
 * assignee it names are that tenant's; no row otherwise.
 */
function tenantOfReferences(document: NewDocumentRow): Prisma.Sql {
  const { tenantId, customerId, contactId, assigneeId } = document;
  const checks = [
    Prisma.sql`EXISTS (SELECT 1 FROM "Customer" WHERE "id" = ${customerId} AND "tenantId" = ${tenantId})`,
    ...(contactId ? [Prisma.sql`EXISTS (SELECT 1 FROM "Contact" WHERE "id" = ${contactId} AND "tenantId" = ${tenantId} AND "customerId" = ${customerId})`] : []),
    ...(assigneeId ? [Prisma.sql`EXISTS (SELECT 1 FROM "User" WHERE "id" = ${assigneeId} AND "tenantId" = ${tenantId})`] : []),
  ];
  return Prisma.sql`SELECT "currency" FROM "Tenant" WHERE "id" = ${tenantId} AND ${Prisma.join(checks, ' AND ')}`;
}

/**
 * Writes a document and its lines, numbered next in its series unless a number is given, in one
 * statement, and answers the document's row as written (its columns' defaults too); nothing
 * is written, and nothing answered, unless the customer, contact and assignee it names are its
 * tenant's (the caller says which is not). Sent alone, not in a transaction, it commits as it
 * ends: the counter's row is held for that statement only, and is not taken when nothing is
 * written. Made `at` (the year of its number). A given number another document has is refused
 * by the unique index (isUniqueViolation), and nothing is written.
 */
export async function insertNumberedDocument(
  prisma: PrismaClient,
  document: NewDocumentRow,
  lines: readonly NewLineRow[],
  at: Date,
  givenNumber?: string,
): Promise<Document | undefined> {
  const onlyWithReferences = Prisma.sql`FROM "references"`;
  const counter =
    givenNumber === undefined ? nextNumber(document.tenantId, document.kind, at, onlyWithReferences) : followGivenNumber(document.tenantId, givenNumber, onlyWithReferences);
  const row = {
    ...document,
    currency: Prisma.sql`COALESCE(${document.currency}, "references"."currency")`,
    number: givenNumber ?? Prisma.sql`(SELECT "number" FROM counter)`,
    createdAt: at,
    updatedAt: at,
  };
  // A field left undefined takes its column's default.
  const columns = Object.keys(row).filter((column) => row[column as keyof typeof row] !== undefined);
  const lineRows = lines.map((line) => ({ ...line, documentId: document.id }));
  const lineColumns = columnList(Object.keys(lineRows[0] ?? {}));
  const steps = [
    Prisma.sql`"references" AS (${tenantOfReferences(document)})`,
    ...(counter ? [Prisma.sql`counter AS (${counter})`] : []),
    // A SELECT's parameters take the types of the columns they are inserted into, as VALUES' do.
    Prisma.sql`document AS (INSERT INTO "Document" (${columnList(columns)}) SELECT ${Prisma.join(columns.map((column) => row[column as keyof typeof row]))} ${onlyWithReferences} RETURNING *)`,
    // Each field read as its column's type; with no document, no line.
    ...(lineRows.length
      ? [
          Prisma.sql`lines AS (INSERT INTO "DocumentLine" (${lineColumns})
            SELECT ${lineColumns} FROM json_populate_recordset(NULL::"DocumentLine", ${JSON.stringify(lineRows)}::json) WHERE EXISTS (SELECT 1 FROM document))`,
        ]
      : []),
  ];
  // Every data-modifying CTE runs, referenced or not; the lines' reference to the document is checked as the statement ends.
  const [written] = await prisma.$queryRaw<Document[]>`WITH ${Prisma.join(steps)} SELECT * FROM document`;
  return written;
}

/** `"a", "b"`: the columns of Prisma's fields, which are named alike (no @map in these models). */
function columnList(columns: readonly string[]): Prisma.Sql {
  return Prisma.raw(columns.map((column) => `"${column}"`).join(', '));
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
