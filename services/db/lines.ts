/** Document lines as rows and back: the one mapping between priced lines and what PostgreSQL keeps. */
import { Prisma, type DocumentLine } from '../../generated/prisma/client';
import type { PricedLine } from '../../domain/money';
import { newId } from '../../platform/ids';

type LineValues = Pick<PricedLine, 'description' | 'unitPrice' | 'optional' | 'selected' | 'netAmount' | 'taxAmount'> & {
  /** Decimal text ("1.5") or the database's Decimal. */
  quantity: string | { toString(): string };
  taxRate: string | { toString(): string };
};

/** Rows for the lines in their order (positions from 1), with fresh ids. */
export function lineRows(lines: readonly LineValues[]) {
  return lines.map((line, index) => ({
    id: newId('lin'),
    position: index + 1,
    description: line.description,
    quantity: line.quantity.toString(),
    unitPrice: line.unitPrice,
    taxRate: line.taxRate.toString(),
    optional: line.optional,
    selected: line.selected,
    netAmount: line.netAmount,
    taxAmount: line.taxAmount,
  }));
}

/**
 * The rows of lineRows as Prisma reads them back once written for `documentId`: their
 * decimals are already of their columns' scale (api/schemas.ts bounds them), so stored as given.
 */
export function writtenLines(documentId: string, rows: ReturnType<typeof lineRows>): DocumentLine[] {
  return rows.map((row) => ({ ...row, documentId, quantity: new Prisma.Decimal(row.quantity), taxRate: new Prisma.Decimal(row.taxRate) }));
}

/** A stored line as the domain prices it (decimals as text), with its id. */
export function pricedLineOf(row: DocumentLine): PricedLine & { id: string } {
  return {
    id: row.id,
    description: row.description,
    quantity: row.quantity.toString(),
    unitPrice: row.unitPrice,
    taxRate: row.taxRate.toString(),
    optional: row.optional,
    selected: row.selected,
    netAmount: row.netAmount,
    taxAmount: row.taxAmount,
  };
}
