/**
 * What Greenlight needs of an e-signature provider (seed 003: GetAccept), whatever the
 * provider: create the document with its recipient, send it by email or SMS, read its
 * status, cancel it, download the signed file, and verify and read a webhook it posts.
 * Statuses come back already mapped to our digital status (domain/digital-status.ts).
 *
 * Errors are ProviderErrors that say whether a retry can help (an outage, a rate limit)
 * or not (a refused payload, an unknown document), so activities retry only what may pass.
 */
import type { DigitalStatus, SignatureChannel, SignatureProviderName } from '../../domain/digital-status';

export interface SignatureRecipient {
  name: string;
  email?: string;
  /** International format (+46701234567): required for the SMS channel. */
  mobile?: string;
  companyName?: string;
}

export interface CreateSignatureDocument {
  /** Our document id: the provider keeps it as its external id, so a retried create finds the first one. */
  externalId: string;
  name: string;
  pdf: Uint8Array;
  recipient: SignatureRecipient;
  /** Several signers (domain/deciders.ts): the provider's recipients, asked in this order (1, 2 …; equal orders sign side by side); `recipient` is the first. */
  signers?: (SignatureRecipient & { order: number })[];
  channel: SignatureChannel;
  /** The text of the provider's email (or SMS) to the signer. */
  message: { subject: string; body: string };
  /** Deal value in major units of the document's currency, as providers show it. */
  value?: number;
  expiresAt?: Date;
}

export interface ProviderDocument {
  providerDocumentId: string;
  status: DigitalStatus;
  /** The provider's own word, kept for support. */
  providerStatus: string;
  /** Where the signer opens the document, when the provider tells. */
  signingUrl?: string;
}

/** A webhook that passed verification: which provider document it is about. Its status is a hint; the API is asked. */
export interface WebhookNotice {
  providerDocumentId: string;
  event: string;
}

export interface SignatureProvider {
  readonly name: SignatureProviderName;
  /** Creates the document as a draft, or finds the one a previous attempt created (by external id). */
  createDocument(input: CreateSignatureDocument): Promise<ProviderDocument>;
  /** Sends a draft to its recipient; a document already sent is answered as it is. */
  sendDocument(providerDocumentId: string): Promise<ProviderDocument>;
  getDocument(providerDocumentId: string): Promise<ProviderDocument>;
  /** Withdraws the document: the signer's link stops working. */
  cancelDocument(providerDocumentId: string): Promise<void>;
  /** Reminds the signer who has not signed yet, through the channel the document went out on. */
  remindSigner(providerDocumentId: string, channel: SignatureChannel): Promise<void>;
  downloadSignedDocument(providerDocumentId: string): Promise<Uint8Array>;
  /** Throws WebhookRefused unless the request is verified as the provider's. */
  verifyWebhook(request: { body: unknown; token: string | undefined; expectedToken: string }): WebhookNotice;
}

export class ProviderError extends Error {
  constructor(
    message: string,
    /** An outage, a timeout or a rate limit: the same call may pass later. */
    readonly retryable: boolean,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export class WebhookRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookRefused';
  }
}
