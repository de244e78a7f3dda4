/**
 * The messages of the service request workflow (workflows/request.ts), shared with api/. The
 * seller's and the customer's moves are Updates (the caller learns at once whether they were
 * taken; the update id is the caller's decision id); the state is a Query. Lists and the
 * request's page come from PostgreSQL (ServiceRequest), never from here.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, RequestSource } from '../../domain/documents';
import type { Plan } from '../../domain/plans';
import type { RequestBilling } from '../../domain/requests';
import type { RequestView } from '../machines/request';
import type { DecisionInput, DocumentWorkflowInput } from './document';

export type { RequestView } from '../machines/request';

/** One workflow per request: `request-<requestId>` (the request's document id). */
export const requestWorkflowId = (requestId: string): string => `request-${requestId}`;

export interface RequestWorkflowInput extends DocumentWorkflowInput {
  priceOnQuote: boolean;
  /** The product's price (minor units) of a request not on quote: charged on confirm with billing card when no proposal was accepted. */
  price?: number;
  billing: RequestBilling;
  currency: string;
  /** The plan a confirmed request subscribes the customer to. */
  plan?: Plan;
}

/** What every seller move carries. */
export interface SellerMoveInput {
  actor: Actor;
  source?: RequestSource;
}

export const requestUpdates = {
  start: defineUpdate<RequestView, [SellerMoveInput]>('requestStart'),
  sellerWrote: defineUpdate<RequestView, [SellerMoveInput]>('requestSellerWrote'),
  sendProposal: defineUpdate<RequestView, [SellerMoveInput & { amount: number }]>('requestSendProposal'),
  withdrawProposal: defineUpdate<RequestView, [SellerMoveInput]>('requestWithdrawProposal'),
  /** `cardSaved`: whether the customer has a card to charge now (the machine refuses a card billing without one). */
  confirm: defineUpdate<RequestView, [SellerMoveInput & { cardSaved?: boolean }]>('requestConfirm'),
  decline: defineUpdate<RequestView, [SellerMoveInput & { reason?: string }]>('requestDecline'),
  changeBilling: defineUpdate<RequestView, [SellerMoveInput & { billing: RequestBilling }]>('requestChangeBilling'),
  /** Charges a confirmed request's declined card again (the next attempt), behind the answer. */
  retryCharge: defineUpdate<RequestView, [SellerMoveInput]>('requestRetryCharge'),
  /** The customer's answer to the proposal, from the request's link (POST /d/<token>/accept | /refuse). */
  accept: defineUpdate<RequestView, [DecisionInput]>('requestAccept'),
  refuse: defineUpdate<RequestView, [DecisionInput]>('requestRefuse'),
};

/** The customer wrote on the request's conversation (stored already): the request is unread until the seller's next move. */
export const requestCustomerWroteSignal = defineSignal<[{ messageId: string }]>('requestCustomerWrote');

export const requestStateQuery = defineQuery<RequestView>('requestState');
