/**
 * The acceptance workflow's messages (workflows/acceptance.ts: an order or a delivery note the
 * customer accepts or refuses), shared with api/. The decisions have the quote's names, so api/
 * reaches either workflow the same way; only the answer is narrower. No hold: only quotes get it.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AcceptanceKind } from '../../domain/acceptance';
import type { AcceptanceView } from '../machines/acceptance';
import type { DecisionInput, DocumentWorkflowInput, DraftStart, RecordAnswerInput, SendInstructions } from './document';
import type { ExternalSignatureStart } from './signature';

export type { AcceptanceView } from '../machines/acceptance';

/** Input of acceptanceWorkflow. */
export interface AcceptanceWorkflowInput extends DocumentWorkflowInput, DraftStart {
  kind: AcceptanceKind;
  send: SendInstructions;
  /** As in QuoteWorkflowInput: an order confirmation signed through an external provider. */
  signature?: ExternalSignatureStart;
}

export const acceptanceUpdates = {
  accept: defineUpdate<AcceptanceView, [DecisionInput]>('accept'),
  refuse: defineUpdate<AcceptanceView, [DecisionInput]>('refuse'),
  remind: defineUpdate<AcceptanceView, [DecisionInput]>('remind'),
  cancel: defineUpdate<AcceptanceView, [DecisionInput]>('cancel'),
  /** Back office: the customer answered off line; taken as their decision, an order's signing withdrawn first. */
  recordAnswer: defineUpdate<AcceptanceView, [RecordAnswerInput]>('recordAnswer'),
} as const;

export const acceptanceStateQuery = defineQuery<AcceptanceView>('state');
