/**
 * The customer's side of the built-in signature: the evidence a signature carries (what the
 * portal showed: the consent sentence and the SHA-256 of the PDF of the link's version),
 * links made for an older version, and the certificate download.
 */
import type { Request, Response } from 'express';
import type { FoundLink } from '../../services/db/links';
import { portalSeller } from './seller-brand';
import { renderQuotePdf } from '../../services/render/quote-pdf';
import { renderSignatureCertificate } from '../../services/render/signature-certificate';
import { pngFromDataUrl } from '../../services/signature/drawn-signature';
import { pickLocale, type Locale } from '../../domain/documents';
import { consentSentence, type SignatureEvidence } from '../../domain/signature';
import type { PrismaClient } from '../../generated/prisma/client';
import { sha256Hex } from '../../platform/ids';
import { AppError } from '../../domain/errors';
import { noticePage } from './layout';
import { SIGNING_MESSAGES } from './sign-form';

function linkLocale(found: FoundLink): Locale {
  return pickLocale(found.document.customer.locale, found.document.tenant.locale);
}

/** The consent sentence this link's signer is shown, and which is kept as evidence. */
export function consentTextFor(found: FoundLink): string {
  return consentSentence(linkLocale(found), { number: found.document.number, seller: portalSeller(found.document).identity.legalName });
}

/** A link made before the quote was revised: it shows only that a newer version exists. */
export function isOutdatedLink(found: FoundLink): boolean {
  return found.link.documentVersion < found.document.version;
}

export function outdatedLinkPage(found: FoundLink): string {
  return noticePage([linkLocale(found)], (locale) => SIGNING_MESSAGES[locale].outdated, portalSeller(found.document));
}

export interface SignFields {
  signerName?: string;
  consent?: boolean;
  drawnSignature?: string;
}

/**
 * The evidence of a signature through this link. The PDF is rendered as the portal serves
 * it for the link's version; an outdated link gets no hash of a version it never showed (its
 * decision is refused by the workflow for its version anyway).
 */
export async function signatureEvidence(prisma: PrismaClient, found: FoundLink, fields: SignFields): Promise<SignatureEvidence> {
  if (fields.drawnSignature && !pngFromDataUrl(fields.drawnSignature)) {
    throw new AppError('validation_failed', 'Some fields are missing or invalid; see errors.', [
      { path: 'drawnSignature', message: 'a PNG image as a data URL (data:image/png;base64,…), 96 KB at most' },
    ]);
  }
  const pdf = isOutdatedLink(found) ? undefined : await renderQuotePdf(prisma, { tenantId: found.document.tenantId, documentId: found.document.id });
  return {
    signerName: fields.signerName ?? '',
    ...(found.link.recipientEmail ? { signerEmail: found.link.recipientEmail } : {}),
    consent: fields.consent === true,
    consentText: consentTextFor(found),
    locale: linkLocale(found),
    linkId: found.link.id,
    pdfSha256: pdf ? sha256Hex(Buffer.from(pdf)) : '',
    ...(fields.drawnSignature ? { drawnSignature: fields.drawnSignature } : {}),
  };
}

export function certificatePath(linkPath: string): string {
  return `${linkPath}/signature/certificate`;
}

/** GET /d/<token>/signature/certificate: the customer's copy. */
export async function sendCertificate(prisma: PrismaClient, _req: Request, res: Response, found: FoundLink): Promise<void> {
  const bytes = await renderSignatureCertificate(prisma, { tenantId: found.document.tenantId, documentId: found.document.id });
  res.attachment(`signature-${found.document.number}.pdf`.replace(/[^\p{L}\p{N}._-]/gu, '_')).type('application/pdf').send(Buffer.from(bytes));
}
