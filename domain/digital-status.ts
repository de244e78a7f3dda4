/**
 * The digital status of a document out for signature with an external provider (seed 003:
 * Utkast → Skickad → Reviderad/sedd → Undertecknad | Avvisad), plus what a provider knows
 * beyond the seed: expired (the provider's own deadline passed), cancelled (recalled by the
 * seller), undeliverable (the email bounced: the customer never got it) and failed (the
 * provider refused to create or send it: the seller reads why in the trail).
 */
import type { QuoteStatus } from './documents';

export const DIGITAL_STATUSES = ['draft', 'sent', 'viewed', 'signed', 'rejected', 'cancelled', 'expired', 'undeliverable', 'failed'] as const;
export type DigitalStatus = (typeof DIGITAL_STATUSES)[number];

/** After these nothing changes at the provider: polling stops. Undeliverable is not final: the seller may still cancel. */
export const FINAL_DIGITAL_STATUSES: readonly DigitalStatus[] = ['signed', 'rejected', 'cancelled', 'expired', 'failed'];

export function isFinalDigitalStatus(status: DigitalStatus): boolean {
  return FINAL_DIGITAL_STATUSES.includes(status);
}

/**
 * A quote signed on our portal has no provider: while it holds no signature, its digital
 * status is its own status's (on hold: seen, still to sign). Accepted is not here: only a
 * signature accepts such a quote, and the signature makes it "signed".
 */
export const UNSIGNED_QUOTE_DIGITAL_STATUSES: Readonly<Partial<Record<QuoteStatus, DigitalStatus>>> = {
  draft: 'draft',
  sent: 'sent',
  viewed: 'viewed',
  on_hold: 'viewed',
  refused: 'rejected',
  expired: 'expired',
  cancelled: 'cancelled',
};

/** Flavours of the seed's "Digital Signering" (10.23.1–10.23.4): each has its own email. */
export const SIGNATURE_PURPOSES = ['quote', 'quick_quote', 'upsell', 'order_confirmation'] as const;
export type SignaturePurpose = (typeof SIGNATURE_PURPOSES)[number];

/** The document kind each purpose is signed on: an order confirmation is an order, the rest are quotes. */
export function kindForPurpose(purpose: SignaturePurpose): 'quote' | 'order' {
  return purpose === 'order_confirmation' ? 'order' : 'quote';
}

export const EXTERNAL_SIGNATURE_PROVIDERS = ['getaccept'] as const;
export type ExternalSignatureProvider = (typeof EXTERNAL_SIGNATURE_PROVIDERS)[number];
/** Every provider behind services/signature/provider.ts: the portal's own signature, then the external ones. */
export const SIGNATURE_PROVIDER_NAMES = ['builtin', ...EXTERNAL_SIGNATURE_PROVIDERS] as const;
export type SignatureProviderName = (typeof SIGNATURE_PROVIDER_NAMES)[number];

export type SignatureChannel = 'email' | 'sms';
