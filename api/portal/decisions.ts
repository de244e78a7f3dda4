/**
 * The decisions a customer can take from the portal, and what the page offers. The
 * document's workflow validators have the last word; this only decides which buttons to show.
 */
import { isAcceptanceKind, type AcceptanceStatus } from '../../domain/acceptance';
import type { LinkAction, ProofStatus, QuoteStatus } from '../../domain/documents';

/** In the order the page offers them. */
/** `comment`: a reviewer the seller named comments on a proof without deciding (domain/deciders.ts). */
export const PORTAL_DECISIONS = ['accept', 'sign', 'hold', 'refuse', 'approve', 'request-changes', 'comment', 'withdraw'] as const;
export type PortalDecision = (typeof PORTAL_DECISIONS)[number];

const OPEN_DECISIONS: Partial<Record<QuoteStatus, readonly PortalDecision[]>> = {
  sent: PORTAL_DECISIONS,
  viewed: PORTAL_DECISIONS,
  // A quote on hold waits for the customer to come back: accept or refuse, not hold again.
  on_hold: ['accept', 'sign', 'refuse'],
  // Taken back while the seller's window is open: the page hides it once the quote is converted; the workflow has the last word.
  accepted: ['withdraw'],
};

/** Orders and delivery notes are accepted or refused; only quotes get hold, and signatures (seed 002). */
const ACCEPTANCE_DECISIONS: Partial<Record<AcceptanceStatus, readonly PortalDecision[]>> = {
  sent: ['accept', 'refuse'],
  viewed: ['accept', 'refuse'],
};

/** A proof is approved or sent back with changes while it waits for the customer (seed 000). */
const PROOF_DECISIONS: Partial<Record<ProofStatus, readonly PortalDecision[]>> = {
  sent: ['approve', 'request-changes', 'comment'],
  viewed: ['approve', 'request-changes', 'comment'],
  // Taken back until the proof is in production (the workflow has the last word).
  approved: ['withdraw'],
};

function openDecisions(kind: string, status: string): readonly PortalDecision[] | undefined {
  if (kind === 'quote') return OPEN_DECISIONS[status as QuoteStatus];
  if (kind === 'proof') return PROOF_DECISIONS[status as ProofStatus];
  // A service request's price proposal, while it waits for the customer (seed 004).
  if (kind === 'request') return status === 'awaiting_response' ? ['accept', 'refuse'] : undefined;
  return isAcceptanceKind(kind) ? ACCEPTANCE_DECISIONS[status as AcceptanceStatus] : undefined;
}

/** With a signature required, the accept form becomes the sign form; without, signing is not offered. */
export function decisionsOffered(kind: string, status: QuoteStatus | ProofStatus, linkActions: readonly string[], requireSignature = false): PortalDecision[] {
  const open = openDecisions(kind, status);
  // A decider approver's link (domain/deciders.ts) accepts even where the signers sign: it carries no sign.
  const replaced: PortalDecision = requireSignature && linkActions.includes('sign') ? 'accept' : 'sign';
  return (open ?? []).filter((decision) => decision !== replaced && linkAllows(linkActions, decision));
}

/** Whether a link's actions allow the decision: whoever may accept (or approve) may take their answer back. */
export function linkAllows(linkActions: readonly string[], decision: PortalDecision): boolean {
  if (decision === 'withdraw') return (['accept', 'sign', 'approve'] satisfies LinkAction[]).some((action) => linkActions.includes(action));
  return linkActions.includes(decision satisfies LinkAction);
}
