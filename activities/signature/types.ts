/** The activities of the external signature workflow (workflows/signature.ts), as one typed surface. */
import type { Actor } from '../../domain/documents';
import type { DigitalStatus } from '../../domain/digital-status';

export interface SignatureRef {
  tenantId: string;
  documentId: string;
}

export interface ProviderStatus {
  status: DigitalStatus;
  providerStatus: string;
  providerDocumentId: string;
}

export interface CancelSignatureInput extends SignatureRef {
  actor: Actor;
  reason?: string;
}

export interface DecideParentInput extends SignatureRef {
  /** The parent document's workflow: `quote-<id>` or `order-<id>`. */
  parentWorkflowId: string;
  decision: 'accept' | 'refuse';
  /** The update id: one decision per signature outcome, however often retried. */
  decisionId: string;
  reason?: string;
}

export interface WithdrawSignatureInput extends SignatureRef {
  /** Who cancelled the document, and why: the signing's trail names them. */
  actor: Actor;
  reason?: string;
  /** The document's cancellation: with the attempt number, it makes the update id. */
  decisionId: string;
}

export interface SignatureActivities {
  /** Creates the document at the provider (or finds the one a previous attempt created) and sends it. */
  startExternalSignature(input: SignatureRef): Promise<ProviderStatus>;
  /** Asks the provider for the status now; waits its turn in the tenant's rate limit. */
  checkExternalSignature(input: SignatureRef): Promise<ProviderStatus>;
  /** Withdraws the document at the provider and keeps who and why. */
  cancelExternalSignature(input: CancelSignatureInput): Promise<void>;
  /** The seller asked to remind the signer: the provider reminds them through the channel the signing went out on. */
  remindExternalSigner(input: SignatureRef): Promise<void>;
  /** Downloads the signed PDF into the file store; once. */
  storeSignedDocument(input: SignatureRef): Promise<{ key: string }>;
  /** Accepts or refuses the signed document through its own workflow; answers what that workflow said. */
  decideParentDocument(input: DecideParentInput): Promise<{ outcome: 'taken' | 'refused' | 'no_workflow'; detail?: string }>;
  /**
   * The document was closed before its signing started at the provider (its approvers still
   * deciding on the portal): the signature prepared at send is dropped, so the document reads as
   * one sent without a signature (no digital status). Nothing once the signing started.
   */
  dropUnstartedSignature(input: SignatureRef): Promise<void>;
  /** The document was cancelled: its signing is cancelled through the signature's own workflow; nothing when that is over. */
  withdrawDocumentSignature(input: WithdrawSignatureInput): Promise<{ outcome: 'taken' | 'refused' | 'no_workflow'; detail?: string }>;
}
