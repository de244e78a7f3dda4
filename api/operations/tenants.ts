/** Tenants: created by the operator with their settings and a first API key. */
import type { PrismaClient } from '../../generated/prisma/client';
import type { Locale } from '../../domain/documents';
import { newId } from '../../platform/ids';
import { newApiKey } from './api-keys';

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

export async function createTenant(prisma: PrismaClient, input: CreateTenantInput): Promise<CreatedTenant> {
  const tenantId = newId('ten');
  const firstKey = newApiKey();
  const tenant = await prisma.tenant.create({
    data: {
      id: tenantId,
      name: input.name,
      ...(input.locale ? { locale: input.locale } : {}),
      ...(input.currency ? { currency: input.currency } : {}),
      settings: { create: {} },
      apiKeys: { create: firstKey.row },
    },
  });
  return { id: tenant.id, name: tenant.name, apiKey: firstKey.apiKey };
}
