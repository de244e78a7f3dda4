/** The quote workflow's messages (workflows/quote.ts), shared with api/. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, DocumentChanges } from '../../domain/documents';
import type { SignatureEvidence } from '../../domain/signature';
import type { PaymentPage } from '../../domain/invoice';
import type { DepositTerms, QuoteView, WithdrawalTerms } from '../machines/quote';
import { documentWorkflowId, type DecisionInput, type RecordAnswerInput, type DocumentWorkflowInput, type DraftStart, type SendInstructions } from './document';
import type { ExternalSignatureStart } from './signature';
import type { DeciderPlan } from '../../domain/deciders';

export type { QuoteView } from '../machines/quote';

export const quoteWorkflowId = (documentId: string): string => documentWorkflowId('quote', documentId);

/** Input of quoteWorkflow: everything it needs, read once by the caller at send time. */
export interface QuoteWorkflowInput extends DocumentWorkflowInput, DraftStart {
  /** Epoch ms; the quote expires then. */
  validUntil?: number;
  reminderAfterMs: number;
  maxReminders: number;
  send: SendInstructions;
  /** The tenant's autoConvertToOrder at send time: acceptance creates the order by itself. */
  autoConvertToOrder?: boolean;
  /** Only a SIGN decision accepts the quote (built-in signature); absent in quotes sent before it existed. */
  requireSignature?: boolean;
  /** Signed through an external provider (GetAccept): a child workflow runs the signature; no email of ours goes out. */
  signature?: ExternalSignatureStart;
  /** A portal acceptance may be withdrawn on these terms (settings.withdrawalWindow); absent: it may not. */
  withdrawal?: WithdrawalTerms;
  /**
   * A refused or expired quote taken up again (POST /v1/documents/:id/reopen): this run opens
   * with REOPEN from `version`, the version the quote is at, to the next one; `validUntil` above
   * is the new version's. `writtenBefore` numbers its writes after the earlier runs'.
   */
  reopen?: { version: number };
  /** Several deciders, in steps (domain/deciders.ts), invited instead of the customer's email; absent: the customer decides. */
  deciders?: DeciderPlan;
  /** With deciders, the document's contact (else its customer) is none of them: told the round's decision too. */
  informContact?: boolean;
  /** A deposit is asked with the yes (domain/deposit.ts); absent: none. */
  deposit?: DepositTerms;
}

/** The customer's yes with its deposit, or the deposit due: answered with the payment page to send them to. */
export interface PayDepositInput extends DecisionInput {
  /** The customer's link (absolute URL): the provider sends them back there, paid or not. */
  linkUrl: string;
  /** Whom the link was sent to: filled in on the payment page. */
  customerEmail?: string;
}

/** Signing: a decision that carries its evidence. */
export interface SignInput extends DecisionInput {
  signature: SignatureEvidence;
}

/** A reviewer the seller named comments without deciding (domain/deciders.ts). */
export interface QuoteCommentInput extends DecisionInput {
  comment: string;
}

export interface ReviseInput {
  actor: Actor;
  changes: DocumentChanges;
}

export const quoteUpdates = {
  accept: defineUpdate<QuoteView, [DecisionInput]>('accept'),
  refuse: defineUpdate<QuoteView, [DecisionInput]>('refuse'),
  hold: defineUpdate<QuoteView, [DecisionInput]>('hold'),
  /** Back office: send a reminder now (uses the reminder template). */
  remind: defineUpdate<QuoteView, [DecisionInput]>('remind'),
  /** Back office: cancel the quote. */
  cancel: defineUpdate<QuoteView, [DecisionInput]>('cancel'),
  /** Back office: cancel the portal signing (the customer answered by phone); the quote stays open. */
  cancelSigning: defineUpdate<QuoteView, [DecisionInput]>('cancelSigning'),
  /** A reviewer comments on the quote; it changes no status. */
  comment: defineUpdate<QuoteView, [QuoteCommentInput]>('comment'),
  /** The customer signs (built-in signature): accepts with evidence. */
  sign: defineUpdate<QuoteView, [SignInput]>('sign'),
  /** Back office: the customer answered off line; taken as their decision, an open signing cancelled first. */
  recordAnswer: defineUpdate<QuoteView, [RecordAnswerInput]>('recordAnswer'),
  /** The customer takes back their acceptance while the window is open: the quote is sent again. */
  withdraw: defineUpdate<QuoteView, [DecisionInput]>('withdraw'),
  /** Back office: the quote moves on (it is being converted); its acceptance can no longer be withdrawn. */
  moveOn: defineUpdate<QuoteView, [DecisionInput]>('moveOn'),
  /** Back office: the quote changed after it was sent; the customer gets the new version. */
  revise: defineUpdate<QuoteView, [ReviseInput]>('revise'),
  /** The customer accepts and pays the deposit (or pays the deposit due): the hosted payment page. Its reports are the invoice's signals (messages/invoice.ts). */
  payDeposit: defineUpdate<PaymentPage, [PayDepositInput]>('payDeposit'),
} as const;

export const quoteStateQuery = defineQuery<QuoteView>('state');
