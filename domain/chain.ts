/**
 * The commercial chain: quote → order → delivery note → invoice. Which document may become
 * which, and from which status, in one table the API and the workflows both read.
 *
 * Decisions taken here (DESIGN.md leaves room):
 * - a chain moves forward only, and holds at most one document of each kind (a quote may
 *   skip ahead to an invoice, an order to an invoice, but nothing goes back);
 * - a quote converts only once its customer accepted it: converting a quote still open would
 *   let the customer refuse a deal the seller already booked;
 * - orders and delivery notes convert in any status but refused and cancelled (the seller may
 *   deliver an order the customer never opened online).
 * - a quote whose digital signing the seller cancelled (seed 003: the customer approved by phone
 *   or at the counter) converts while still open: the seller's word stands for the acceptance.
 */
import type { DocumentKind } from './documents';
import { countsInTotals } from './money';

/** The kinds that form a chain, in chain order. */
export const CHAIN_KINDS = ['quote', 'order', 'delivery_note', 'invoice'] as const satisfies readonly DocumentKind[];
export type ChainKind = (typeof CHAIN_KINDS)[number];

/** What a document may be converted to. */
export const CONVERSION_TARGETS = ['order', 'delivery_note', 'invoice'] as const satisfies readonly ChainKind[];
export type ConversionTarget = (typeof CONVERSION_TARGETS)[number];

interface ConversionRule {
  targets: readonly ConversionTarget[];
  /** Statuses the source must be in; the reason names why another status cannot convert. */
  allowedStatuses: readonly string[];
}

const CONVERSIONS: Readonly<Partial<Record<DocumentKind, ConversionRule>>> = {
  quote: { targets: ['order', 'delivery_note', 'invoice'], allowedStatuses: ['accepted'] },
  order: { targets: ['delivery_note', 'invoice'], allowedStatuses: ['draft', 'sent', 'viewed', 'accepted'] },
  delivery_note: { targets: ['invoice'], allowedStatuses: ['draft', 'sent', 'viewed', 'accepted'] },
};

const KIND_NAMES: Record<DocumentKind, string> = {
  quote: 'quote',
  order: 'order',
  delivery_note: 'delivery note',
  invoice: 'invoice',
  proof: 'proof',
};

/** Why a quote in this status cannot be converted, in words the seller can act on. */
const QUOTE_NOT_CONVERTIBLE: Record<string, string> = {
  draft: 'The quote has not been sent yet; only an accepted quote converts',
  sent: 'The customer has not accepted the quote yet',
  viewed: 'The customer has not accepted the quote yet',
  on_hold: 'The customer put the quote on hold; only an accepted quote converts',
  refused: 'The customer refused the quote',
  expired: 'The quote has expired',
  cancelled: 'The quote is cancelled',
};

/** An open quote: after its digital signing was cancelled, the seller converts it by hand. */
const QUOTE_STILL_OPEN: readonly string[] = ['sent', 'viewed', 'on_hold'];

/**
 * Whether a quote whose row shows `status` may have been accepted already: a customer's answer
 * is taken by the quote's workflow at once and recorded in its row a moment later.
 */
export function quoteMayBeAcceptedSince(status: string): boolean {
  return QUOTE_STILL_OPEN.includes(status);
}

export function kindName(kind: DocumentKind): string {
  return KIND_NAMES[kind];
}

/**
 * Why `source` cannot become a `target`, or undefined when it can. Whether the chain already
 * holds a `target` is the caller's check (it needs the database).
 */
export function whyNotConvertible(
  source: { kind: DocumentKind; status: string; digitalStatus?: string | null },
  target: ConversionTarget,
): string | undefined {
  const rule = CONVERSIONS[source.kind];
  if (!rule || !rule.targets.includes(target)) {
    return `A ${kindName(source.kind)} cannot become a ${kindName(target)}: the chain goes quote → order → delivery note → invoice`;
  }
  if (rule.allowedStatuses.includes(source.status)) return undefined;
  if (source.kind === 'quote' && source.digitalStatus === 'cancelled' && QUOTE_STILL_OPEN.includes(source.status)) return undefined;
  if (source.kind === 'quote') return QUOTE_NOT_CONVERTIBLE[source.status] ?? `A quote that is ${source.status} cannot be converted`;
  return `The ${kindName(source.kind)} is ${source.status.replace('_', ' ')}; it cannot be converted`;
}

/** Chain order, for listing a chain from its first document to its last. */
export function chainPosition(kind: DocumentKind): number {
  const position = (CHAIN_KINDS as readonly DocumentKind[]).indexOf(kind);
  return position === -1 ? CHAIN_KINDS.length : position;
}

/** The lines a converted document carries: firm lines, and optional ones only when chosen (they become firm). */
export function linesCarriedOver<TLine extends { optional: boolean; selected: boolean }>(lines: readonly TLine[]): TLine[] {
  return lines.filter(countsInTotals);
}

/**
 * How another document of the chain answers on the customer's portal. A draft was never the
 * customer's: it is not there for them (404, as a document outside the chain). A cancelled
 * document is not listed either; opened at its address (a page kept open, a bookmark) it answers
 * as its own link does, 410 Gone, once the customer had it — one never sent is a draft withdrawn,
 * still nothing of theirs (404).
 */
export function chainMemberOnPortal(member: { status: string; sentAt: Date | null }): 'shown' | 'not_found' | 'gone' {
  if (member.status === 'draft') return 'not_found';
  if (member.status === 'cancelled') return member.sentAt ? 'gone' : 'not_found';
  return 'shown';
}

/** Whether the customer's portal lists a document of the chain: never a draft or a cancelled one. */
export function listedOnPortal(member: { status: string }): boolean {
  return member.status !== 'draft' && member.status !== 'cancelled';
}
