/**
 * Document numbers: "<prefix>-<year>-<counter>" (Q-2026-0001), per tenant, kind and year,
 * unless the back office brings its own. Numbers are unique per tenant whatever the kind.
 *
 * There is no counter table: the next number is one more than the highest of the year, read
 * and written under a transaction-scoped advisory lock per tenant, so two creations at once
 * queue instead of taking the same number, and a number the back office gave by hand
 * (Q-2026-0042) moves the counter past it instead of colliding later.
 */
import type { Prisma } from '../../generated/prisma/client';
import type { DocumentKind } from '../../domain/documents';

const NUMBER_PREFIX: Record<DocumentKind | 'request', string> = {
  request: 'REQ',
  quote: 'Q',
  order: 'O',
  delivery_note: 'DN',
  invoice: 'INV',
  proof: 'P',
};

const COUNTER_DIGITS = 4;

/** Serialises number allocation for one tenant until the surrounding transaction ends. */
export async function lockDocumentNumbers(tx: Prisma.TransactionClient, tenantId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`document-number:${tenantId}`}))`;
}

/** The next free number; call inside the transaction that holds lockDocumentNumbers. */
export async function nextDocumentNumber(
  tx: Prisma.TransactionClient,
  tenantId: string,
  kind: DocumentKind | 'request',
  now: Date,
): Promise<string> {
  const prefix = `${NUMBER_PREFIX[kind]}-${now.getUTCFullYear()}-`;
  // ::int matters: an untyped parameter would pick substring's regular-expression form.
  const [row] = await tx.$queryRaw<{ last: number }[]>`
    SELECT COALESCE(MAX(CAST(substring("number" FROM ${prefix.length + 1}::int) AS INTEGER)), 0)::int AS "last"
    FROM "Document"
    WHERE "tenantId" = ${tenantId} AND "number" ~ ${`^${prefix}[0-9]{1,9}$`}`;
  return `${prefix}${String((row?.last ?? 0) + 1).padStart(COUNTER_DIGITS, '0')}`;
}
