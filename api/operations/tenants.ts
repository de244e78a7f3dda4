/** Tenants: created by the operator with their settings and a first API key. */
import type { PrismaClient } from '../../generated/prisma/client';
import type { Locale } from '../../domain/documents';
import { newId, newSecret } from '../../platform/ids';

/** Prefix of every API key: says what the secret is when it turns up in a log or a repository. */
export const API_KEY_PREFIX = 'gl_live_';

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
  const { secret, hash } = newSecret(API_KEY_PREFIX);
  const tenant = await prisma.tenant.create({
    data: {
      id: tenantId,
      name: input.name,
      ...(input.locale ? { locale: input.locale } : {}),
      ...(input.currency ? { currency: input.currency } : {}),
      settings: { create: {} },
      apiKeys: { create: { id: newId('key'), keyHash: hash, prefix: secret.slice(0, API_KEY_PREFIX.length + 4) } },
    },
  });
  return { id: tenant.id, name: tenant.name, apiKey: secret };
}
