/** GET, PUT and DELETE /v1/settings/getaccept: the seller's own GetAccept account (services/signature/tenant-getaccept.ts). */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { jsonRoute, noContentRoute } from '../openapi';
import { clearTenantGetAccept, setTenantGetAccept, tenantGetAcceptAccount } from '../../services/signature/tenant-getaccept';

extendZodWithOpenApi(z);

const tag = 'Settings';

const setGetAcceptSchema = z
  .strictObject({
    email: z.email().max(254).openapi({ description: "The seller's GetAccept user", example: 'vente@lumiere.example' }),
    password: z.string().min(1).max(500).openapi({ description: 'Its password: kept sealed (AES-256-GCM under APP_SECRET), never shown again' }),
    entityId: z.string().trim().min(1).max(100).optional().openapi({ description: 'The GetAccept entity to sign in to, when the user has several' }),
  })
  .openapi('SetGetAcceptAccount');

const getAcceptAccountSchema = z
  .object({
    account: z.enum(['own', 'deployment', 'none']).openapi({
      description: "Whose GetAccept account the tenant's documents are sent through: its own; the deployment's (GETACCEPT_API_KEY: the local stand-in in development); none (sending through GetAccept answers 409)",
    }),
    email: z.string().nullable(),
    entityId: z.string().nullable(),
    tokenExpiresAt: z.iso.datetime({ offset: true }).nullable().openapi({ description: "When the current access token expires; it is renewed before, and once more when GetAccept refuses it" }),
  })
  .openapi('GetAcceptAccount');

export const getAcceptAccountRoutes = [
  jsonRoute({
    method: 'get',
    path: '/settings/getaccept',
    operationId: 'getGetAcceptAccount',
    tag,
    summary: "The seller's GetAccept account (never its password nor its token)",
    response: { status: 200, description: 'The account', schema: getAcceptAccountSchema },
    handle: async ({ deps, caller }) => tenantGetAcceptAccount(deps.prisma, deps.config, caller.tenantId),
  }),
  jsonRoute({
    method: 'put',
    path: '/settings/getaccept',
    operationId: 'setGetAcceptAccount',
    tag,
    summary: "Sign through the seller's own GetAccept account: its credentials, checked by signing in now",
    body: setGetAcceptSchema,
    bodyExample: { email: 'vente@lumiere.example', password: '••••••••' },
    problems: ['unprocessable', 'unavailable'],
    response: { status: 200, description: 'The account, signed in', schema: getAcceptAccountSchema },
    handle: async ({ deps, caller, body }) => setTenantGetAccept(deps.prisma, deps.config, caller.tenantId, body),
  }),
  noContentRoute({
    method: 'delete',
    path: '/settings/getaccept',
    operationId: 'removeGetAcceptAccount',
    tag,
    summary: "Forget the seller's GetAccept credentials (signatures under way keep their documents at GetAccept)",
    response: { status: 204, description: 'Forgotten' },
    handle: async ({ deps, caller }) => clearTenantGetAccept(deps.prisma, caller.tenantId),
  }),
];
