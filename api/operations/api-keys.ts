/**
 * A tenant's API keys: made (the key shown once, only its SHA-256 kept), listed, revoked. One
 * piece makes keys, for the tenant's first one (api/operations/tenants.ts) as for the others.
 *
 * Revoking takes effect at once (api/auth.ts reads the key's row on every request). The key
 * a request is made with may revoke itself — the holder of a leaked key can kill it — but a
 * tenant never revokes its last active key: nothing could make it another, and it would be
 * locked out of the API for good.
 */
import type { ApiKey, PrismaClient } from '../../generated/prisma/client';
import { AppError } from '../../domain/errors';
import { insertOnce } from '../../platform/db';
import { newSecret } from '../../platform/ids';
import { NEWEST_FIRST, readPage, type Page, type PageRequest } from './pagination';

/** Prefix of every API key: says what the secret is when it turns up in a log or a repository. */
export const API_KEY_PREFIX = 'gl_live_';

/** A key's row (without its tenant) and the key itself, which only the caller ever sees. */
export interface NewApiKey {
  row: { id: string; keyHash: string; prefix: string; name: string | null };
  apiKey: string;
}

export function newApiKey(id: string, name?: string): NewApiKey {
  const { secret, hash } = newSecret(API_KEY_PREFIX);
  return { row: { id, keyHash: hash, prefix: secret.slice(0, API_KEY_PREFIX.length + 4), name: name ?? null }, apiKey: secret };
}

/** `id`: the route's createdId (api/openapi.ts): a create resent after its first attempt wrote the key reissues it. */
export async function createApiKey(prisma: PrismaClient, tenantId: string, id: string, name?: string): Promise<{ key: ApiKey; apiKey: string }> {
  const made = newApiKey(id, name);
  const key = await insertOnce(() => prisma.apiKey.create({ data: { ...made.row, tenantId } }), () => reissueKey(prisma, tenantId, made));
  return { key, apiKey: made.apiKey };
}

/**
 * The key a resent create wrote first (its id made from the Idempotency-Key) takes this
 * attempt's secret: the first attempt's never reached anyone, since an answer is stored before
 * it is sent (api/idempotency.ts) and none was stored. A key revoked since stays revoked.
 */
export async function reissueKey(prisma: PrismaClient, tenantId: string, made: NewApiKey): Promise<ApiKey> {
  const { count } = await prisma.apiKey.updateMany({ where: { id: made.row.id, tenantId, revokedAt: null }, data: { keyHash: made.row.keyHash, prefix: made.row.prefix } });
  if (count === 0) throw new AppError('conflict', 'The API key this request made was revoked since; make another with a new Idempotency-Key.');
  return prisma.apiKey.findUniqueOrThrow({ where: { id: made.row.id } });
}

/** The active keys, newest first. */
export function listApiKeys(prisma: PrismaClient, tenantId: string, page: PageRequest): Promise<Page<ApiKey>> {
  return readPage(page, NEWEST_FIRST, ({ after, orderBy, take }) => prisma.apiKey.findMany({ where: { tenantId, revokedAt: null, ...after }, orderBy, take }));
}

/** Revoking a revoked key of the tenant again changes nothing (a retried DELETE succeeds). */
export async function revokeApiKey(prisma: PrismaClient, tenantId: string, id: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    // One revocation per tenant at a time, so two keys revoking each other cannot both pass the
    // last-key check below.
    await tx.$queryRaw`SELECT 1 FROM "Tenant" WHERE "id" = ${tenantId} FOR UPDATE`;
    const key = await tx.apiKey.findFirst({ where: { id, tenantId }, select: { revokedAt: true } });
    if (!key) throw new AppError('not_found', `No API key ${id}.`);
    if (key.revokedAt) return;
    const others = await tx.apiKey.count({ where: { tenantId, revokedAt: null, id: { not: id } } });
    if (others === 0) throw new AppError('conflict', "This is the tenant's last active API key: make another one first (POST /v1/api-keys).");
    await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
  });
}
