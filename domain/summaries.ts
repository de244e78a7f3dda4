/**
 * How operators read our workflows in the Temporal UI (the SDK's user metadata): a workflow's
 * one-line summary and its details, a timer's or an activity's summary. Pure and free of Intl
 * and time zones: the workflows compute them from their own input and state, and the same
 * input gives the same words on every worker (api/ and the workflows' child starts share them).
 */
import { kindName } from './chain';
import type { DocumentKind } from './documents';
import { minorUnitDigits } from './money';

/** A document's kind as a workflow summary begins with it; a service request is a document of its own kind. */
export type SummaryKind = DocumentKind | 'request';

/** What a document's summary names: what the document's workflow input carries. */
export interface SummarisedDocument {
  number: string;
  customerName?: string;
  /** Minor units, with `currency`; a document without an amount (a proof) has none. */
  grossTotal?: number;
  currency?: string;
}

/** "Quote Q-2026-0042 · ACME AB · 1 250,00 EUR": kind, number, customer, amount where it has one. */
export function documentSummary(kind: SummaryKind, document: SummarisedDocument): string {
  return [
    `${capitalised(summaryKindName(kind))} ${document.number}`,
    document.customerName,
    document.grossTotal !== undefined && document.currency ? plainMoney(document.grossTotal, document.currency) : undefined,
  ]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(' · ');
}

export function summaryKindName(kind: SummaryKind): string {
  return kind === 'request' ? 'service request' : kindName(kind);
}

/** "a quote", "an order", "an invoice". */
export function withArticle(kind: SummaryKind): string {
  const name = summaryKindName(kind);
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** Who a customer's email goes to, in a summary: the address the send named, else the customer. */
export function recipientName(to: { email?: string; name?: string } | undefined, customerName: string | undefined): string {
  return to?.name ?? to?.email ?? customerName ?? 'the customer';
}

/** 125000 EUR → "1 250,00 EUR"; the currency's own digits (JPY has none). */
export function plainMoney(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const text = Math.abs(Math.round(amount)).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const fraction = digits > 0 ? `,${text.slice(text.length - digits)}` : '';
  return `${amount < 0 ? '-' : ''}${whole}${fraction} ${currency}`;
}

/** 1767268800000 → "2026-01-01 12:00 UTC": the same on every worker, whatever its time zone. */
export function plainTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const UNITS: [string, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** 604800000 → "7 days", 5400000 → "1 hour 30 minutes": the two largest units, rounded down. */
export function plainDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms));
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
  }
  return parts.slice(0, 2).join(' ') || `${Math.round(ms)} ms`;
}

/** Markdown lines of details: `label: value` in bold labels, the absent ones left out. */
export function detailLines(lines: [label: string, value: string | undefined][]): string {
  return lines
    .filter((line): line is [string, string] => line[1] !== undefined)
    .map(([label, value]) => `**${label}:** ${value}`)
    .join('  \n');
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
