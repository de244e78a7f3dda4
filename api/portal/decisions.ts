/**
 * The decisions a customer can take from the portal, and what the page offers. The quote
 * workflow's validators have the last word; this only decides which buttons to show.
 */
import type { LinkAction, QuoteStatus } from '../../domain/documents';

/** In the order the page offers them. */
export const PORTAL_DECISIONS = ['accept', 'sign', 'hold', 'refuse'] as const;
export type PortalDecision = (typeof PORTAL_DECISIONS)[number];

const OPEN_DECISIONS: Partial<Record<QuoteStatus, readonly PortalDecision[]>> = {
  sent: PORTAL_DECISIONS,
  viewed: PORTAL_DECISIONS,
  // A quote on hold waits for the customer to come back: accept or refuse, not hold again.
  on_hold: ['accept', 'sign', 'refuse'],
};

/** With a signature required, the accept form becomes the sign form; without, signing is not offered. */
export function decisionsOffered(status: QuoteStatus, linkActions: readonly string[], requireSignature = false): PortalDecision[] {
  const replaced: PortalDecision = requireSignature ? 'accept' : 'sign';
  return (OPEN_DECISIONS[status] ?? []).filter((decision) => decision !== replaced && linkActions.includes(decision satisfies LinkAction));
}
