/**
 * Rate limits of the portal: per link token (one customer hammering, or someone trying a
 * leaked link) and per client IP (someone walking many tokens). Limits count every portal
 * request, before the token is looked up, so a guess costs as much as a hit.
 *
 * The counts live in PostgreSQL (RateLimitCounter), shared by every API process: behind a load
 * balancer, two processes must not grant a customer two budgets. express-rate-limit keeps
 * deciding (keys, IPv6 grouping, RateLimit headers); the store below does the counting, one
 * atomic statement per request and budget, a key's window starting with its first request.
 *
 * The defaults suit people; load tests and large offices behind one NAT can raise them
 * (config.portalRateLimits: PORTAL_RATE_LIMIT_PER_TOKEN and PORTAL_RATE_LIMIT_PER_IP).
 */
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Config } from '../../platform/config';
import { sha256Hex } from '../../platform/ids';

export type PortalRateLimits = Config['portalRateLimits'];

const WINDOW_MS = 60_000;

export interface SharedBudget {
  prisma: PrismaClient;
  /** The processes sharing these budgets (config.rateLimitScope) and which budget this is. */
  keyPrefix: string;
}

/**
 * One request counted in a key's window, in one statement: a key seen for the first time, or
 * whose window ended, starts a new window at 1; any other is incremented in the database, so
 * that concurrent requests are all counted. (rate-limiter-flexible's Prisma store, used before,
 * sent a delete of the ended window and then an upsert: two round trips per budget, four per
 * portal request.)
 */
async function countHit(prisma: PrismaClient, key: string, now: Date): Promise<{ points: number; expire: Date }> {
  const windowEnd = new Date(now.getTime() + WINDOW_MS);
  const [counted] = await prisma.$queryRaw<{ points: number; expire: Date }[]>`
    INSERT INTO "RateLimitCounter" ("key", "points", "expire") VALUES (${key}, 1, ${windowEnd})
    ON CONFLICT ("key") DO UPDATE SET
      "points" = CASE WHEN "RateLimitCounter"."expire" <= ${now} THEN 1 ELSE "RateLimitCounter"."points" + 1 END,
      "expire" = CASE WHEN "RateLimitCounter"."expire" <= ${now} THEN EXCLUDED."expire" ELSE "RateLimitCounter"."expire" END
    RETURNING "points", "expire"`;
  if (!counted) throw new Error(`rate-limit counter ${key} not written`);
  return counted;
}

/** express-rate-limit's store interface over counters in PostgreSQL, one per key of this budget. */
function sharedStore(budget: SharedBudget, name: string): Store {
  const counterKey = (key: string) => `${budget.keyPrefix}:${name}:${key}`;
  return {
    localKeys: false,
    increment: async (key) => {
      const { points, expire } = await countHit(budget.prisma, counterKey(key), new Date());
      return { totalHits: points, resetTime: expire };
    },
    decrement: async (key) => {
      await budget.prisma.rateLimitCounter.updateMany({ where: { key: counterKey(key) }, data: { points: { decrement: 1 } } });
    },
    resetKey: async (key) => {
      await budget.prisma.rateLimitCounter.deleteMany({ where: { key: counterKey(key) } });
    },
  };
}

/** Counters whose window ended an hour ago or more: safe to delete from any process, any number of times. */
export async function pruneExpiredRateLimitCounters(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.rateLimitCounter.deleteMany({ where: { expire: { lt: new Date(now.getTime() - 3_600_000) } } });
  return count;
}

export function createPortalRateLimiters(
  budget: SharedBudget,
  limits: PortalRateLimits,
  answerLimited: (req: Request, res: Response) => void,
): RequestHandler[] {
  const shared = {
    windowMs: WINDOW_MS,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req: Request, res: Response) => answerLimited(req, res),
  } as const;
  return [
    // Default key: the client IP (IPv6 grouped by /56 so one host cannot rotate addresses).
    rateLimit({ ...shared, identifier: 'portal-ip', limit: limits.perIpPerMinute, store: sharedStore(budget, 'ip') }),
    // The token's hash, so the store never holds a usable link.
    rateLimit({
      ...shared,
      identifier: 'portal-token',
      limit: limits.perTokenPerMinute,
      keyGenerator: (req) => sha256Hex(String(req.params.token)),
      store: sharedStore(budget, 'token'),
    }),
  ];
}
