/**
 * The built-in signature (the customer signs on our portal), as the quote's workflow writes it.
 *
 * Its evidence, kept once per quote: who signed, when, from where, the consent sentence they
 * ticked, the SHA-256 of the PDF the portal showed them, and that PDF itself (rendered again
 * here from the same version, byte-for-byte the same: the rendering depends only on the
 * document), so the certificate carries the pages signed.
 *
 * Its cancel by the seller: cancelled at the built-in provider (the links stay: they open the
 * quote, which refuses a signature from then on), then the trail's
 * signature_cancelled with digital status "cancelled", keyed by the workflow's write number.
 */
import type { AuditEvent, PrismaClient, QuoteSignature } from '../../generated/prisma/client';
import { actorLabel } from '../../domain/documents';
import { recordAuditEvent } from '../../services/db/audit';
import { createBuiltinProvider } from '../../services/signature/builtin';
import { isUniqueViolation } from '../../platform/db';
import { newId, sha256Hex } from '../../platform/ids';
import { logger } from '../../platform/logger';
import { renderQuotePdf } from '../../services/render/quote-pdf';
import type { CancelPortalSigningInput, RecordSignatureInput } from '../types';
import { pngFromDataUrl } from '../../services/signature/drawn-signature';

export async function recordSignature(prisma: PrismaClient, input: RecordSignatureInput): Promise<QuoteSignature> {
  // One per quote, or one per signer when several decide (domain/deciders.ts).
  const key = { documentId_deciderId: { documentId: input.documentId, deciderId: input.deciderId ?? '' } };
  const existing = await prisma.quoteSignature.findUnique({ where: key });
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
        deciderId: input.deciderId ?? '',
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
      return prisma.quoteSignature.findUniqueOrThrow({ where: key });
    }
    throw error;
  }
}

/**
 * Cancels the portal signing and records it; answers the trail's event (for its webhooks).
 * Idempotent: an attempt after one that got as far as the event finds the signing cancelled
 * and answers that event; one after a crash between the two cancels nothing more and writes it.
 */
export async function cancelPortalSigning(prisma: PrismaClient, input: CancelPortalSigningInput): Promise<AuditEvent | null> {
  const builtin = createBuiltinProvider(prisma);
  const dedupeKey = `${input.workflowId}#${input.seq}`;
  // Cancelled already: by an earlier attempt (its event is found by its key), or, in a quote sent
  // before its workflow took this decision, by the API itself (nothing to add to the trail).
  if ((await builtin.getDocument(input.documentId)).status === 'cancelled') return prisma.auditEvent.findUnique({ where: { dedupeKey } });
  await builtin.cancelDocument(input.documentId);
  const { event } = await recordAuditEvent(prisma, {
    tenantId: input.tenantId,
    documentId: input.documentId,
    dedupeKey,
    type: 'signature_cancelled',
    digitalStatus: 'cancelled',
    at: new Date(input.at),
    actor: actorLabel(input.actor),
    data: { provider: 'builtin', ...(input.reason ? { reason: input.reason } : {}) },
  });
  return event;
}
