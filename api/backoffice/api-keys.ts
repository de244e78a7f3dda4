/** POST/GET /v1/api-keys and DELETE /v1/api-keys/:id: a tenant rotates and revokes its own keys. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { rowFields } from '../../platform/rows';
import type { ApiKey } from '../../generated/prisma/client';
import { jsonRoute, noContentRoute } from '../openapi';
import { createApiKey, listApiKeys, revokeApiKey } from '../operations/api-keys';
import { mapPage } from '../operations/pagination';
import { idParamsSchema, pageQuerySchema, pageSchema } from '../schemas';

extendZodWithOpenApi(z);

const tag = 'API keys';
const dateTime = z.iso.datetime({ offset: true });

const createApiKeySchema = z
  .strictObject({ name: z.string().trim().min(1).max(100).optional().openapi({ example: 'ERP production' }) })
  .openapi('CreateApiKey');

const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    prefix: z.string().openapi({ description: "The key's first characters, to recognise it", example: 'gl_live_Xy3k' }),
    createdAt: dateTime,
    lastUsedAt: dateTime.nullable().openapi({ description: 'Within a minute: written at most once a minute' }),
  })
  .openapi('ApiKey');

const createdApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    prefix: z.string(),
    apiKey: z.string().openapi({ description: 'Shown once: only its hash is stored', example: 'gl_live_…' }),
  })
  .openapi('CreatedApiKey');

function presentApiKey(key: ApiKey) {
  return rowFields(key, ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt']);
}

export const apiKeyRoutes = [
  jsonRoute({
    method: 'post',
    path: '/api-keys',
    operationId: 'createApiKey',
    tag,
    summary: 'Make another API key (to rotate: make one, move to it, revoke the old one)',
    body: createApiKeySchema,
    bodyExample: { name: 'ERP production' },
    response: { status: 201, description: 'The key, shown this once', schema: createdApiKeySchema },
    answerHoldsSecret: true,
    handle: async ({ deps, caller, body, createdId }) => {
      const { key, apiKey } = await createApiKey(deps.prisma, caller.tenantId, createdId('key'), body.name);
      return { id: key.id, name: key.name, prefix: key.prefix, apiKey };
    },
  }),
  jsonRoute({
    method: 'get',
    path: '/api-keys',
    operationId: 'listApiKeys',
    tag,
    summary: "The tenant's active API keys, newest first (never the keys themselves)",
    query: pageQuerySchema,
    response: { status: 200, description: 'A page of keys', schema: pageSchema(apiKeySchema, 'ApiKeyList') },
    handle: async ({ deps, caller, query }) => mapPage(await listApiKeys(deps.prisma, caller.tenantId, query), presentApiKey),
  }),
  noContentRoute({
    method: 'delete',
    path: '/api-keys/:id',
    operationId: 'revokeApiKey',
    tag,
    summary: "Revoke a key: it answers 401 from now on (the key calling may revoke itself, not the tenant's last one)",
    params: idParamsSchema,
    problems: ['conflict'],
    response: { status: 204, description: 'Revoked' },
    handle: ({ deps, caller, params }) => revokeApiKey(deps.prisma, caller.tenantId, params.id),
  }),
];
