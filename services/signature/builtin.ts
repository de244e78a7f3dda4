/**
 * The built-in signature (the customer signs on our portal, workflows/machines/quote.ts SIGN)
 * seen through the SignatureProvider interface, so the back office's signature routes serve
 * it as they serve GetAccept. Nothing is remote: the "provider document" is our own quote
 * (its id), created and emailed by the quote's workflow, so create and send only answer the
 * status; the status is read from our own evidence and the quote's status; cancelling is the
 * quote's own (its workflow refuses SIGN from then on) and leaves the customer's link, which
 * still opens the quote, its chain and the conversation; the signed file is the signature certificate (the evidence page,
 * then the very pages signed). Our own events need no webhook.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { QuoteStatus } from '../../domain/documents';
import { UNSIGNED_QUOTE_DIGITAL_STATUSES, type DigitalStatus } from '../../domain/digital-status';
import { renderSignatureCertificate } from '../render/signature-certificate';
import { ProviderError, WebhookRefused, type ProviderDocument, type SignatureProvider } from './provider';

export function createBuiltinProvider(prisma: PrismaClient): SignatureProvider {
  async function read(documentId: string): Promise<{ tenantId: string; current: ProviderDocument }> {
    const document = await prisma.document.findUnique({
      where: { id: documentId },
      select: { tenantId: true, kind: true, status: true, digitalStatus: true, requireSignature: true, deciders: true, signatures: { select: { id: true } } },
    });
    if (!document || document.kind !== 'quote' || !document.requireSignature) {
      throw new ProviderError(`Document ${documentId} is not signed on the portal`, false, 404);
    }
    const found = (status: DigitalStatus, providerStatus: string) => ({ tenantId: document.tenantId, current: { providerDocumentId: documentId, status, providerStatus } });
    // Several signers (domain/deciders.ts): signed once the last one's signature accepted it.
    if (document.signatures.length > 0 && (document.deciders === null || document.status === 'accepted')) return found('signed', 'signed');
    // The seller cancelled the signing while the quote stays open.
    if (document.digitalStatus === 'cancelled') return found('cancelled', 'cancelled_by_seller');
    const status = Object.hasOwn(UNSIGNED_QUOTE_DIGITAL_STATUSES, document.status) ? UNSIGNED_QUOTE_DIGITAL_STATUSES[document.status as QuoteStatus] : undefined;
    if (!status) throw new ProviderError(`Quote ${documentId} is ${document.status} without a signature`, false, 409);
    return found(status, document.status);
  }

  const present = async (documentId: string): Promise<ProviderDocument> => (await read(documentId)).current;

  return {
    name: 'builtin',
    // The quote's workflow renders the quote and emails its portal link (sendFirstEmail).
    createDocument: (input) => present(input.externalId),
    sendDocument: present,
    getDocument: present,
    async cancelDocument(documentId) {
      const { current } = await read(documentId);
      if (current.status === 'signed') throw new ProviderError(`Quote ${documentId} is already signed`, false, 409);
      // Nothing to revoke: the customer's link is the quote's own, not the signing's; the
      // digital status the caller records and the quote's machine end the signing.
    },
    // The quote's own workflow emails its reminders (signature_reminder) with a fresh link: nothing is asked of this provider.
    async remindSigner(documentId) {
      throw new ProviderError(`Quote ${documentId} is reminded by its own workflow's email`, false, 409);
    },
    async downloadSignedDocument(documentId) {
      const { tenantId, current } = await read(documentId);
      if (current.status !== 'signed') throw new ProviderError(`Quote ${documentId} is not signed`, false, 404);
      return renderSignatureCertificate(prisma, { tenantId, documentId });
    },
    verifyWebhook() {
      throw new WebhookRefused('The built-in signature has no webhook: its events are our own');
    },
  };
}
