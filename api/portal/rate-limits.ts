/**
 * Rate limits of the portal: per link token (one customer hammering, or someone trying a
 * leaked link) and per client IP (someone walking many tokens). Limits count every portal
 * request, before the token is looked up, so a guess costs as much as a hit.
 *
 * The counts live in PostgreSQL (RateLimitCounter), shared by every API process: behind a load
 * balancer, two processes must not grant a customer two budgets. express-rate-limit keeps
 * deciding (keys, IPv6 grouping, RateLimit headers); rate-limiter-flexible's Prisma store does
 * the counting, one atomic upsert per request, its window starting with a key's first request.
 *
 * The defaults suit people; load tests and large offices behind one NAT can raise them
 * (config.portalRateLimits: PORTAL_RATE_LIMIT_PER_TOKEN and PORTAL_RATE_LIMIT_PER_IP).
 */
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { RateLimiterPrisma } from 'rate-limiter-flexible';
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

/** express-rate-limit's store interface over rate-limiter-flexible's counters in PostgreSQL. */
function sharedStore(budget: SharedBudget, name: string): Store {
  const counters = new RateLimiterPrisma({
    storeClient: budget.prisma,
    // The Prisma client's accessor of model RateLimitCounter.
    tableName: 'rateLimitCounter',
    keyPrefix: `${budget.keyPrefix}:${name}`,
    // Only counted here: express-rate-limit compares the count with its own limit.
    points: 1,
    duration: WINDOW_MS / 1000,
    // Its own clean-up timer outlives the Prisma client it was given; the API process prunes instead.
    clearExpiredByTimeout: false,
  });
  return {
    localKeys: false,
    increment: async (key) => {
      const counted = await counters.penalty(key, 1);
      return { totalHits: counted.consumedPoints, resetTime: new Date(Date.now() + counted.msBeforeNext) };
    },
    decrement: async (key) => {
      await counters.reward(key, 1);
    },
    resetKey: async (key) => {
      await counters.delete(key);
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
