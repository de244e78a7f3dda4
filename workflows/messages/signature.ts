/**
 * The messages of the external signature workflow (workflows/signature.ts), shared with api/.
 * Checking now is a Signal (a fact: "look now"; the next check is due at once, never two at
 * once); cancelling is an Update, so the seller learns at once whether it was taken.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/documents';
import type { ExternalSignatureProvider, SignatureChannel, SignaturePurpose } from '../../domain/digital-status';
import type { SignatureView } from '../machines/signature';
import type { StoryInput } from './document';

export type { SignatureView } from '../machines/signature';

/** One signature workflow per document: `signature-<documentId>`. */
export const signatureWorkflowId = (documentId: string): string => `signature-${documentId}`;

/** What the document's workflow passes to start the signature (and what api/ put in QuoteWorkflowInput.signature). */
export interface ExternalSignatureStart {
  provider: ExternalSignatureProvider;
  purpose: SignaturePurpose;
  channel: SignatureChannel;
  /** The tenant's signaturePollInterval, in ms. */
  pollIntervalMs: number;
}

export interface SignatureWorkflowInput extends ExternalSignatureStart, StoryInput {
  /** The kind of the document signed: an order confirmation is an order, the rest quotes. */
  kind: 'quote' | 'order';
  documentId: string;
  /** The document's number and customer's name, for operators (domain/summaries.ts); absent in runs started before. */
  number?: string;
  customerName?: string;
  /** The document's own workflow, told the outcome (accept on signed, refuse on rejected). */
  parentWorkflowId: string;
  /** Consecutive failed checks after which the seller is told (one event); 3 when absent. */
  reportFailuresAfter?: number;
  /** Continue as new after this many checks in one run (before Temporal would suggest it); 500 when absent. */
  continueAsNewAfterChecks?: number;
}

export interface CheckSignal {
  trigger: 'check' | 'webhook';
}

export interface CancelSignatureInput {
  actor: Actor;
  reason?: string;
}

export const checkSignatureSignal = defineSignal<[CheckSignal]>('checkSignature');
export const cancelSignatureUpdate = defineUpdate<SignatureView, [CancelSignatureInput]>('cancelSignature');
export const signatureStateQuery = defineQuery<SignatureView>('signatureState');
