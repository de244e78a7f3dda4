/**
 * A proof's change requests as the seller's API presents them; the trail itself is read by
 * services/db/proof-trail.ts, which the customer's page and the revision emails read too.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { ChangeRequest } from '../../services/db/proof-trail';
import { presentPin } from './proof-pins';

/** Change requests as the seller reads them beside each revision: who asked, by the name and address of their link. */
export async function presentChangeRequests(prisma: PrismaClient, tenantId: string, requests: ChangeRequest[]) {
  const linkIds = requests.flatMap((request) => (request.actor.startsWith('customer:') ? [request.actor.slice('customer:'.length)] : []));
  const links = linkIds.length
    ? await prisma.accessLink.findMany({ where: { tenantId, id: { in: linkIds } }, select: { id: true, recipientName: true, recipientEmail: true } })
    : [];
  const byLink = new Map(links.map((link) => [link.id, link]));
  return requests.map((request) => {
    const link = byLink.get(request.actor.slice('customer:'.length));
    return {
      revision: request.revision,
      comment: request.comment,
      pins: request.pins.map(presentPin),
      at: request.at.toISOString(),
      by: { actor: request.actor, name: link?.recipientName ?? null, email: link?.recipientEmail ?? null },
    };
  });
}
