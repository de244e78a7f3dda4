/** /v1/documents/:id/links and /v1/links/:id: the customer links a seller hands over themselves, listed and revoked. */
import type { LinkAction } from '../../domain/documents';
import { rowFields } from '../../platform/rows';
import { jsonRoute, noContentRoute } from '../openapi';
import { createSellerLink, listDocumentLinks, presentRecipient, revokeLink, type ListedLink } from '../operations/links';
import { mapPage } from '../operations/pagination';
import { createdLinkSchema, createLinkSchema, idParamsSchema, linkListSchema, pageQuerySchema } from '../schemas';

function presentLink(link: ListedLink) {
  return {
    ...rowFields(link, ['id', 'createdAt', 'expiresAt', 'revokedAt', 'lastUsedAt']),
    recipient: presentRecipient(link),
    actions: link.actions as LinkAction[],
    forwardedFrom: link.forwardedFromLinkId,
  };
}

export const linkRoutes = [
  jsonRoute({
    method: 'post',
    path: '/documents/:id/links',
    operationId: 'createDocumentLink',
    tag: 'Links',
    summary: "Make a customer link to the document (its web link, to hand over in a chat or a text); the URL is shown once",
    description:
      'A draft has no customer link until it is sent, and a cancelled document takes none: 409. A contact of another customer, an action ' +
      'the document kind does not have, or an expiresAt in the past: 422. Recorded in the trail as link_created.',
    params: idParamsSchema,
    body: createLinkSchema,
    bodyExample: { recipient: { email: 'achats@boulangerie-eclair.example', name: 'Service achats' }, actions: ['view', 'download'] },
    problems: ['not_found', 'conflict', 'unprocessable', 'unavailable'],
    answerHoldsSecret: true,
    response: { status: 201, description: 'The link and its URL (the only time the token is shown)', schema: createdLinkSchema },
    handle: async ({ deps, caller, params, body }) => {
      const { link, url } = await createSellerLink(deps, caller, params.id, body);
      return { ...rowFields(link, ['id', 'expiresAt']), url };
    },
  }),
  jsonRoute({
    method: 'get',
    path: '/documents/:id/links',
    operationId: 'listDocumentLinks',
    tag: 'Links',
    summary: "The document's customer links, newest first: emailed, made by the seller, forwarded to colleagues (never their tokens)",
    params: idParamsSchema,
    query: pageQuerySchema,
    problems: ['not_found'],
    response: { status: 200, description: 'A page of links', schema: linkListSchema },
    handle: async ({ deps, caller, params, query }) => mapPage(await listDocumentLinks(deps.prisma, caller.tenantId, params.id, query), presentLink),
  }),
  noContentRoute({
    method: 'delete',
    path: '/links/:id',
    operationId: 'revokeLink',
    tag: 'Links',
    summary: 'Revoke a customer link, with the colleague links forwarded from it: at once every portal address under it answers 410 Gone',
    description: 'Revoking a revoked link is 204 again. Recorded in the trail as link_revoked.',
    params: idParamsSchema,
    problems: ['not_found', 'unavailable'],
    response: { status: 204, description: 'Revoked' },
    handle: ({ deps, caller, params }) => revokeLink(deps, caller, params.id),
  }),
];
