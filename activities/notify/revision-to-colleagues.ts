/**
 * sendRevisionToColleagues: a new revision of a proof reaches each colleague the proof was
 * forwarded to (seed 000, "Envoyer à un collègue"), not only the customer: the same email
 * (proof_next_revision), with a link of their own.
 */
import type { RevisionToColleaguesInput } from '../types';
import { sendDocumentEmail, type SendDocumentEmailDeps } from './send-document-email';

/**
 * Each colleague the proof was forwarded to whose link still opens gets the revision's email,
 * once per address, with a link made like their first one (from the link that forwarded the
 * proof to them). Keyed by the revision's key and the colleague's first link, which retries
 * find again (the links this sends are newer).
 */
export async function sendRevisionToColleagues(deps: SendDocumentEmailDeps, input: RevisionToColleaguesInput): Promise<{ sent: number }> {
  const links = await deps.prisma.accessLink.findMany({
    where: {
      tenantId: input.tenantId,
      documentId: input.documentId,
      forwardedFromLinkId: { not: null },
      recipientEmail: { not: null },
      revokedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }],
    },
    orderBy: { createdAt: 'asc' },
  });
  const firstLinkByAddress = new Map<string, (typeof links)[number]>();
  for (const link of links) {
    const address = (link.recipientEmail as string).toLowerCase();
    if (!firstLinkByAddress.has(address)) firstLinkByAddress.set(address, link);
  }
  for (const link of firstLinkByAddress.values()) {
    const email = link.recipientEmail as string;
    await sendDocumentEmail(deps, {
      tenantId: input.tenantId,
      documentId: input.documentId,
      template: 'proof_next_revision',
      // Greeted by their address when the customer gave no name, as in the first email.
      to: { email, name: link.recipientName ?? email },
      attachPdf: false,
      revision: input.revision,
      forwardedFromLinkId: link.forwardedFromLinkId as string,
      idempotencyKey: `${input.idempotencyKey}#${link.id}`,
    });
  }
  return { sent: firstLinkByAddress.size };
}
