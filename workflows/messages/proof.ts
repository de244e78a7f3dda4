/** The proof workflow's messages (workflows/proof.ts), shared with api/ and the revision render. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ProofType } from '../../domain/proof-types';
import type { ProofPinInput, ProofView } from '../machines/proof';
import type { WithdrawalTerms } from '../machines/actions';
import type { DeciderPlan } from '../../domain/deciders';
import type { DecisionInput, DocumentWorkflowInput, DraftStart, SendInstructions } from './document';

export type { ProofPinInput, ProofView } from '../machines/proof';

/** Input of proofWorkflow: the proof sent, revision after revision, until it is approved. */
export interface ProofWorkflowInput extends DocumentWorkflowInput, DraftStart {
  send: SendInstructions;
  /** The tenant's current terms of sale version; absent: none to accept. */
  termsVersion?: string;
  /** The version the customer has accepted, if any: approving asks for the terms unless it is the current one. */
  termsAcceptedVersion?: string;
  /** A revision already rendered at start: it is sent at once. Otherwise the first revisionReady sends. */
  readyRevision?: RevisionReadyInput;
  /** How the proof goes out (domain/proof-types.ts): email attaches the watermarked PDF; absent in proofs sent before types existed (online). */
  proofType?: ProofType;
  /** An approval may be withdrawn on these terms (settings.withdrawalWindow); absent: it may not. */
  withdrawal?: WithdrawalTerms;
  /** Several deciders, in steps (domain/deciders.ts), invited instead of the customer's email; absent: the customer decides. */
  deciders?: DeciderPlan;
  /** With deciders, the document's contact (else its customer) is none of them: told the round's decision too. */
  informContact?: boolean;
}

/** A rendered revision, reported by the revision render. The update id is `revision-<revisionId>`. */
export interface RevisionReadyInput {
  revision: number;
  pageCount: number;
}

/** Approving names the revision the customer looked at, and the terms the checkbox showed. */
export interface ApproveProofInput extends DecisionInput {
  revision: number;
  termsAccepted?: boolean;
  termsVersion?: string;
}

export interface RequestChangesInput extends DecisionInput {
  revision: number;
  comment: string;
  pins?: ProofPinInput[];
}

/** The customer forwards the proof to a colleague (the decision id keys the colleague's email and link). */
export interface ForwardProofInput extends DecisionInput {
  to: { email: string; name?: string };
}

/** A reviewer (or a decider) comments on the revision without deciding. */
export type CommentInput = RequestChangesInput;

export const proofUpdates = {
  comment: defineUpdate<ProofView, [CommentInput]>('comment'),
  approve: defineUpdate<ProofView, [ApproveProofInput]>('approve'),
  requestChanges: defineUpdate<ProofView, [RequestChangesInput]>('requestChanges'),
  /** Back office: cancel the proof. */
  cancel: defineUpdate<ProofView, [DecisionInput]>('cancel'),
  /** The customer sends the proof to a colleague, who gets a link of their own; allowed while the proof is open. */
  forward: defineUpdate<ProofView, [ForwardProofInput]>('forward'),
  /** Back office: remind the customer of the revision waiting for their answer (template proof_reminder). */
  remind: defineUpdate<ProofView, [DecisionInput]>('remind'),
  /** The customer takes the approval back while the window is open: the revision awaits their answer again. */
  withdraw: defineUpdate<ProofView, [DecisionInput]>('withdraw'),
  /** Back office: the proof is in production; its approval can no longer be withdrawn. */
  moveOn: defineUpdate<ProofView, [DecisionInput]>('moveOn'),
  /** The render of a revision is done: the proof is sent (again) with it. An update, so a refusal (approved proof) is heard. */
  revisionReady: defineUpdate<ProofView, [RevisionReadyInput & DecisionInput]>('revisionReady'),
} as const;

export const proofStateQuery = defineQuery<ProofView>('state');
