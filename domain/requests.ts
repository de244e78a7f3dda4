/**
 * Service requests (seed 004, Blackbell "Requêtes"): the statuses their machine owns, the box
 * each status is listed in, and the price proposals made for "sur devis" products. Pure.
 */

export const REQUEST_STATUSES = ['pending', 'in_progress', 'awaiting_response', 'proposal_accepted', 'proposal_declined', 'confirmed', 'declined'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const FINAL_REQUEST_STATUSES: readonly RequestStatus[] = ['confirmed', 'declined'];

/** The back office's boxes: new and answered requests wait in the inbox, as in Blackbell. */
export const REQUEST_BOXES = ['inbox', 'in_progress', 'awaiting_response', 'closed'] as const;
export type RequestBox = (typeof REQUEST_BOXES)[number];

export function boxOf(status: RequestStatus): RequestBox {
  switch (status) {
    case 'in_progress':
      return 'in_progress';
    case 'awaiting_response':
      return 'awaiting_response';
    case 'confirmed':
    case 'declined':
      return 'closed';
    default:
      return 'inbox';
  }
}

/** The label a request waiting for the customer's answer carries, besides the team's own. */
export const AWAITING_RESPONSE_LABEL = 'awaiting_response';

export const REQUEST_BILLINGS = ['card', 'invoice'] as const;
export type RequestBilling = (typeof REQUEST_BILLINGS)[number];

export type ProposalStatus = 'sent' | 'accepted' | 'declined' | 'withdrawn';

export interface PriceProposal {
  /** 1, 2, … in the order sent. */
  seq: number;
  /** Minor units of currency. */
  amount: number;
  currency: string;
  status: ProposalStatus;
}

/** The customer's answer to the last proposal answered. */
export type ProposalOutcome = 'accepted' | 'declined';

/** Idempotency key of the n-th attempt to charge a confirmed request: a retried attempt never charges twice. */
export function confirmChargeKey(requestId: string, attempt: number): string {
  return `${requestId}-confirm-attempt-${attempt}`;
}
