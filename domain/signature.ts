/**
 * The built-in signature's rules shared by the portal (which shows them), the quote machine
 * (which enforces them) and the certificate (which prints them); and who an external
 * provider's signer is in a document's trail.
 */
import type { Actor, Locale } from './documents';

/** The signer at an external provider (GetAccept), as the document's decisions and trail name them. */
export function providerSignerActor(documentId: string): Actor {
  return { kind: 'customer', linkId: `signature:${documentId}` };
}

/** Whether a decision comes from an external provider's signer (its signature workflow), not from a portal link. */
export function isProviderSigner(actor: Actor | undefined): boolean {
  return actor?.kind === 'customer' && actor.linkId.startsWith('signature:');
}

/**
 * The sentence the signer ticks. The exact words shown are kept as evidence, so they are
 * produced here, once, from the quote's number and the seller's name.
 */
export function consentSentence(locale: Locale, quote: { number: string; seller: string }): string {
  switch (locale) {
    case 'fr':
      return `J’ai lu le devis ${quote.number} de ${quote.seller}, je l’accepte et je le signe électroniquement\u202f; ma signature électronique a la même valeur qu’une signature manuscrite.`;
    case 'sv':
      return `Jag har läst offert ${quote.number} från ${quote.seller}, jag accepterar den och undertecknar den elektroniskt; min elektroniska underskrift har samma verkan som en handskriven.`;
    case 'en':
      return `I have read quote ${quote.number} from ${quote.seller}, I accept it and sign it electronically; my electronic signature has the same effect as a handwritten one.`;
  }
}

/** A drawn signature is a small PNG; anything bigger is not a hand on a phone screen. */
export const MAX_DRAWN_SIGNATURE_BYTES = 96 * 1024;

/** What the signer gave and what the portal saw: the evidence the SIGN decision carries. */
export interface SignatureEvidence {
  signerName: string;
  signerEmail?: string;
  /** The consent checkbox: signing without it is refused. */
  consent: boolean;
  consentText: string;
  locale: Locale;
  /** The access link the signer came through. */
  linkId: string;
  /** SHA-256 (hex) of the PDF the portal rendered for the signed version. */
  pdfSha256: string;
  /** `data:image/png;base64,…`, checked by the portal (PNG, size-capped). */
  drawnSignature?: string;
}
