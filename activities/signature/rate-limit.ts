/**
 * The provider's rate limit, shared by every document of a tenant and every worker: a token
 * bucket per (tenant, provider) row in PostgreSQL, refilled by elapsed time and taken in one
 * atomic statement, so two workers polling at once cannot both spend the last token.
 * A check without a token waits for the next one (and says it is alive while it waits).
 */
import type { PrismaClient } from '../../generated/prisma/client';

export interface RateLimit {
  /** Tokens per minute; also the bucket's size (a burst of one minute's worth). */
  perMinute: number;
}

/** Takes one token, or answers how many ms until one is there. */
export async function takeToken(prisma: PrismaClient, key: { tenantId: string; provider: string }, limit: RateLimit): Promise<number> {
  const capacity = limit.perMinute;
  const perMs = limit.perMinute / 60_000;
  // Refill by the time elapsed since the last take, capped at the capacity, then take one if there is one.
  const taken = await prisma.$queryRaw<{ tokens: number }[]>`
    INSERT INTO "SignatureRateBucket" ("tenantId", "provider", "tokens", "refilledAt")
    VALUES (${key.tenantId}, ${key.provider}, ${capacity - 1}, clock_timestamp())
    ON CONFLICT ("tenantId", "provider") DO UPDATE
      SET "tokens" = LEAST(${capacity}::float8, "SignatureRateBucket"."tokens" + EXTRACT(EPOCH FROM (clock_timestamp() - "SignatureRateBucket"."refilledAt")) * 1000 * ${perMs}::float8) - 1,
          "refilledAt" = clock_timestamp()
      WHERE LEAST(${capacity}::float8, "SignatureRateBucket"."tokens" + EXTRACT(EPOCH FROM (clock_timestamp() - "SignatureRateBucket"."refilledAt")) * 1000 * ${perMs}::float8) >= 1
    RETURNING "tokens"`;
  if (taken.length > 0) return 0;
  const [bucket] = await prisma.$queryRaw<{ tokens: number; elapsedMs: number }[]>`
    SELECT "tokens", EXTRACT(EPOCH FROM (clock_timestamp() - "refilledAt")) * 1000 AS "elapsedMs"
    FROM "SignatureRateBucket" WHERE "tenantId" = ${key.tenantId} AND "provider" = ${key.provider}`;
  const now = Math.min(capacity, Number(bucket?.tokens ?? 0) + Number(bucket?.elapsedMs ?? 0) * perMs);
  return Math.max(1, Math.ceil((1 - now) / perMs));
}

/** Waits for a token, calling `alive` between tries (the activity's heartbeat). */
export async function waitForToken(
  prisma: PrismaClient,
  key: { tenantId: string; provider: string },
  limit: RateLimit,
  alive: () => void,
  signal?: AbortSignal,
): Promise<void> {
  for (;;) {
    const waitMs = await takeToken(prisma, key, limit);
    if (waitMs === 0) return;
    alive();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, Math.min(waitMs, 5_000));
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      });
    });
  }
}
