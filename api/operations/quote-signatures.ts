/** The built-in signature as the back office sees it: the summary on a document and its certificate. */
import type { PrismaClient } from '../../generated/prisma/client';
import { renderSignatureCertificate } from '../../services/render/signature-certificate';
import type { AppDeps } from '../app';
import type { TenantCaller } from '../auth';

export interface SignatureBlock {
  signerName: string;
  signerEmail: string | null;
  signedAt: string;
  certificateUrl: string;
}

function sellerCertificatePath(documentId: string): string {
  return `/v1/documents/${encodeURIComponent(documentId)}/signature/certificate`;
}

/** The `signature` block of GET /v1/documents/:id: null until the customer signed. */
export async function signatureBlock(prisma: PrismaClient, publicUrl: string, document: { id: string; tenantId: string }): Promise<SignatureBlock | null> {
  const signature = await prisma.quoteSignature.findFirst({
    where: { documentId: document.id, tenantId: document.tenantId },
    select: { signerName: true, signerEmail: true, signedAt: true },
  });
  if (!signature) return null;
  return {
    signerName: signature.signerName,
    signerEmail: signature.signerEmail,
    signedAt: signature.signedAt.toISOString(),
    certificateUrl: `${publicUrl.replace(/\/$/, '')}${sellerCertificatePath(document.id)}`,
  };
}

export async function sellerCertificate(deps: AppDeps, caller: TenantCaller, documentId: string): Promise<{ bytes: Uint8Array; filename: string }> {
  const document = await deps.prisma.document.findFirst({ where: { id: documentId, tenantId: caller.tenantId }, select: { number: true } });
  const bytes = await renderSignatureCertificate(deps.prisma, { tenantId: caller.tenantId, documentId });
  return { bytes, filename: `signature-${document?.number ?? documentId}.pdf` };
}
