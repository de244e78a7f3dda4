/**
 * Documents the customer answers with accept or refuse (seed 002: "chaque devis, commande ou
 * bon de livraison peut être accepté ou refusé"): orders and delivery notes. Quotes have a
 * richer life of their own (hold, expiry, signature, versions); these have exactly this.
 */
import type { DocumentKind } from './documents';

export const ACCEPTANCE_KINDS = ['order', 'delivery_note'] as const satisfies readonly DocumentKind[];
export type AcceptanceKind = (typeof ACCEPTANCE_KINDS)[number];

export const ACCEPTANCE_STATUSES = ['draft', 'sent', 'viewed', 'accepted', 'refused', 'cancelled'] as const;
export type AcceptanceStatus = (typeof ACCEPTANCE_STATUSES)[number];

/** Statuses after which the customer can no longer answer. */
export const FINAL_ACCEPTANCE_STATUSES: readonly AcceptanceStatus[] = ['accepted', 'refused', 'cancelled'];

export function isAcceptanceKind(kind: string): kind is AcceptanceKind {
  return (ACCEPTANCE_KINDS as readonly string[]).includes(kind);
}
