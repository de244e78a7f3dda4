/** Tenants: created by the operator with their settings and a first API key. */
import type { PrismaClient } from '../../generated/prisma/client';
import type { Locale } from '../../domain/documents';
import { insertOnce } from '../../platform/db';
import { newApiKey, reissueKey } from './api-keys';

export interface CreateTenantInput {
  name: string;
  locale?: Locale;
  currency?: string;
}

export interface CreatedTenant {
  id: string;
  name: string;
  /** Shown once: only its hash is stored. */
  apiKey: string;
}

/**
 * `ids`: the route's createdIds (api/openapi.ts). Resent with its Idempotency-Key after the first
 * attempt wrote the tenant, the create finds it, and its first key gets the secret this answer
 * shows (reissueKey): one tenant, and a key that works.
 */
export async function createTenant(prisma: PrismaClient, input: CreateTenantInput, ids: { tenantId: string; keyId: string }): Promise<CreatedTenant> {
  const { tenantId } = ids;
  const firstKey = newApiKey(ids.keyId);
  const create = () => prisma.tenant.create({
    data: {
      id: tenantId,
      name: input.name,
      ...(input.locale ? { locale: input.locale } : {}),
      ...(input.currency ? { currency: input.currency } : {}),
      settings: { create: {} },
      apiKeys: { create: firstKey.row },
    },
  });
  const tenant = await insertOnce(create, async () => {
    const written = await prisma.tenant.findUnique({ where: { id: tenantId } });
    if (written) await reissueKey(prisma, tenantId, firstKey);
    return written;
  });
  return { id: tenant.id, name: tenant.name, apiKey: firstKey.apiKey };
}
