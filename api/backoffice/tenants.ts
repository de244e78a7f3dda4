/** POST /v1/tenants — operator only. */
import { jsonRoute } from '../openapi';
import { createTenant } from '../operations/tenants';
import { createTenantSchema, createdTenantSchema } from '../schemas';

export const tenantRoutes = [
  jsonRoute({
    method: 'post',
    path: '/tenants',
    operationId: 'createTenant',
    tag: 'Tenants',
    summary: 'Create a tenant with its settings and first API key (shown once)',
    auth: 'operator',
    body: createTenantSchema,
    bodyExample: { name: 'Imprimerie Durand', locale: 'fr', currency: 'EUR' },
    problems: ['unprocessable'],
    response: { status: 201, description: 'The tenant and its API key', schema: createdTenantSchema },
    answerHoldsSecret: true,
    handle: ({ deps, body, createdId }) => createTenant(deps.prisma, body, { tenantId: createdId('ten'), keyId: createdId('key') }),
  }),
];
