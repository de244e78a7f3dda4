/**
 * Who is calling. Back-office routes take a tenant API key (stored as its SHA-256, so a
 * leaked table opens nothing); tenant creation takes the operator's ADMIN_TOKEN. Every
 * operation receives the tenant from here and scopes its queries by it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { Actor } from '../domain/documents';
import { sha256Hex } from '../platform/ids';
import type { AppDeps } from './app';
import { AppError } from '../domain/errors';

export type AuthMode = 'tenant' | 'operator' | 'public';

export interface TenantCaller {
  kind: 'tenant';
  tenantId: string;
  apiKeyId: string;
}

export type Caller = TenantCaller | { kind: 'operator' } | { kind: 'public' };

export type CallerOf<A extends AuthMode> = Extract<Caller, { kind: A }>;

/** The audit trail's name for a back-office caller. */
export function sellerActor(caller: TenantCaller): Actor {
  return { kind: 'seller', apiKeyId: caller.apiKeyId };
}

export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

/** Compares digests so neither length nor content of the token leaks through timing. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(sha256Hex(given), 'hex'), Buffer.from(sha256Hex(expected), 'hex'));
}

export async function authenticate<A extends AuthMode>(deps: AppDeps, req: Request, mode: A): Promise<CallerOf<A>> {
  return (await authenticateAs(deps, req, mode)) as CallerOf<A>;
}

async function authenticateAs(deps: AppDeps, req: Request, mode: AuthMode): Promise<Caller> {
  if (mode === 'public') return { kind: 'public' };
  const token = bearerToken(req);
  if (!token) throw new AppError('unauthorized', 'Send "Authorization: Bearer <key>".');
  if (mode === 'operator') {
    // Without a configured operator token, operator routes are closed rather than open.
    const expected = deps.config.adminToken;
    if (!expected || !sameSecret(token, expected)) throw new AppError('unauthorized', 'This route needs the operator token.');
    return { kind: 'operator' };
  }
  const apiKey = await deps.prisma.apiKey.findUnique({
    where: { keyHash: sha256Hex(token) },
    select: { id: true, tenantId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!apiKey || apiKey.revokedAt) throw new AppError('unauthorized', 'The API key is unknown or revoked.');
  await noteKeyUsed(deps, apiKey);
  return { kind: 'tenant', tenantId: apiKey.tenantId, apiKeyId: apiKey.id };
}

/** A key's lastUsedAt says "in use lately", not "this very request": at most one write a minute per key. */
const LAST_USED_PRECISION_MS = 60_000;

async function noteKeyUsed(deps: AppDeps, apiKey: { id: string; lastUsedAt: Date | null }): Promise<void> {
  const now = new Date();
  const staleBefore = new Date(now.getTime() - LAST_USED_PRECISION_MS);
  if (apiKey.lastUsedAt && apiKey.lastUsedAt > staleBefore) return;
  // Conditional, so requests arriving together change the row once.
  await deps.prisma.apiKey.updateMany({
    where: { id: apiKey.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
    data: { lastUsedAt: now },
  });
}
