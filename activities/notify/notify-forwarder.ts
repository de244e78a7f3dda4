/**
 * notifyForwarder: a colleague decided on a proof forwarded to them, and the customer who
 * forwarded it hears what they decided (seed 000: "Revendeur et client à l'origine de la
 * commande seront avertis dès validation du BAT"; the seller hears it through notifyAssignee).
 * The email carries a link of the forwarder's own, so they can look at the proof as decided.
 *
 * Idempotent like every document email: the link and the message are keyed by
 * input.idempotencyKey.
 */
import type { NotifyForwarderInput } from '../types';
import { sendDocumentEmail, type SendDocumentEmailDeps } from './send-document-email';
import { COLLEAGUE_DECISION_WORDS } from '../../services/notify/templates';

export async function notifyForwarder(deps: SendDocumentEmailDeps, input: NotifyForwarderInput): Promise<{ sent: number }> {
  const colleague = await deps.prisma.accessLink.findFirst({
    where: { id: input.colleagueLinkId, documentId: input.documentId, tenantId: input.tenantId },
    include: { forwardedFrom: true },
  });
  const forwarder = colleague?.forwardedFrom;
  // Not a colleague's link, or the forwarding link is gone: nobody to tell.
  if (!colleague || !forwarder) return { sent: 0 };
  const to = forwarder.contactId
    ? { contactId: forwarder.contactId }
    : forwarder.recipientEmail
      ? { email: forwarder.recipientEmail, ...(forwarder.recipientName ? { name: forwarder.recipientName } : {}) }
      : undefined;
  if (!to) return { sent: 0 };
  const comment = input.comment?.trim();
  await sendDocumentEmail(deps, { tenantId: input.tenantId, documentId: input.documentId, template: 'proof_colleague_decided', to, attachPdf: false, idempotencyKey: input.idempotencyKey }, ({ locale }) => {
    const words = COLLEAGUE_DECISION_WORDS[locale];
    return {
      values: {
        colleague: colleague.recipientName ?? colleague.recipientEmail ?? '',
        decision: words[input.decision],
        comment: comment ? words.comment(comment) : '',
      },
    };
  });
  return { sent: 1 };
}
