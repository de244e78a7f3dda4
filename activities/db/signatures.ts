/**
 * The evidence of a built-in signature, kept once per quote: who signed, when, from where,
 * the consent sentence they ticked, the SHA-256 of the PDF the portal showed them, and that
 * PDF itself (rendered again here from the same version, byte-for-byte the same: the
 * rendering depends only on the document), so the certificate carries the pages signed.
 */
import type { PrismaClient, QuoteSignature } from '../../generated/prisma/client';
import { isUniqueViolation } from '../../platform/db';
import { newId, sha256Hex } from '../../platform/ids';
import { logger } from '../../platform/logger';
import { renderQuotePdf } from '../../services/render/quote-pdf';
import type { RecordSignatureInput } from '../types';
import { pngFromDataUrl } from '../../services/signature/drawn-signature';

export async function recordSignature(prisma: PrismaClient, input: RecordSignatureInput): Promise<QuoteSignature> {
  const existing = await prisma.quoteSignature.findUnique({ where: { documentId: input.documentId } });
  if (existing) return existing;
  const { evidence } = input;
  const signedPdf = await renderQuotePdf(prisma, { tenantId: input.tenantId, documentId: input.documentId });
  if (sha256Hex(Buffer.from(signedPdf)) !== evidence.pdfSha256) {
    // Cannot happen while rendering is deterministic and revisions go through the workflow;
    // if it ever does, the certificate still states the hash of what was shown, and says so.
    logger.warn({ documentId: input.documentId, version: input.version }, 'signed PDF differs from the one shown');
  }
  const drawn = evidence.drawnSignature ? pngFromDataUrl(evidence.drawnSignature) : undefined;
  try {
    return await prisma.quoteSignature.create({
      data: {
        id: newId('sig'),
        tenantId: input.tenantId,
        documentId: input.documentId,
        documentVersion: input.version,
        linkId: evidence.linkId,
        signerName: evidence.signerName.trim(),
        signerEmail: evidence.signerEmail ?? null,
        ip: input.source?.ip ?? null,
        userAgent: input.source?.userAgent ?? null,
        signedAt: new Date(input.signedAt),
        pdfSha256: evidence.pdfSha256,
        signedPdf: Buffer.from(signedPdf),
        consentText: evidence.consentText,
        locale: evidence.locale,
        options: input.options,
        drawnSignature: drawn ? Buffer.from(drawn) : null,
      },
    });
  } catch (error) {
    // A retry raced the first attempt: its row is the evidence.
    if (isUniqueViolation(error)) {
      return prisma.quoteSignature.findUniqueOrThrow({ where: { documentId: input.documentId } });
    }
    throw error;
  }
}
