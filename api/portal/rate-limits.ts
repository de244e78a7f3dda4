/**
 * Rate limits of the portal: per link token (one customer hammering, or someone trying a
 * leaked link) and per client IP (someone walking many tokens). Limits count every portal
 * request, before the token is looked up, so a guess costs as much as a hit.
 *
 * The counts live in PostgreSQL (RateLimitCounter), shared by every API process: behind a load
 * balancer, two processes must not grant a customer two budgets. express-rate-limit keeps
 * deciding (keys, IPv6 grouping, RateLimit headers); the store below does the counting, in
 * atomic statements that each count a batch of hits (RateLimitHits), a key's window starting
 * with its first request.
 *
 * The defaults suit people; load tests and large offices behind one NAT can raise them
 * (config.portalRateLimits: PORTAL_RATE_LIMIT_PER_TOKEN and PORTAL_RATE_LIMIT_PER_IP).
 */
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { Config } from '../../platform/config';
import { sha256Hex } from '../../platform/ids';

export type PortalRateLimits = Config['portalRateLimits'];

const WINDOW_MS = 60_000;

export interface SharedBudget {
  prisma: PrismaClient;
  /** Where this process counts the hits of all its budgets. */
  hits: RateLimitHits;
  /** The processes sharing these budgets (config.rateLimitScope) and which budget this is. */
  keyPrefix: string;
}

/** Hits counted by one statement at most: three parameters each, far below PostgreSQL's 65,535 even when a flood of tokens is walked. */
const MAX_BATCH = 1000;

/** One hit waiting for its count. */
interface Hit {
  key: string;
  counted: (count: { points: number; expire: Date }) => void;
  failed: (error: unknown) => void;
}

/**
 * The hits of every budget of this process, counted in PostgreSQL a batch at a time: while one
 * statement is out, the hits that arrive wait and go together in the next. Alone, a hit waits
 * for nothing; under load (each portal request hits two budgets, one after the other) a request
 * costs the API a fraction of a round trip instead of two (two of the five statements the
 * portal page sent once its open took one).
 *
 * One statement per batch: a key seen for the first time, or whose window ended, starts a new
 * window at its batch's hits; any other adds them in the database, so that every process's
 * hits are counted. The hits of one key in a batch share its new total out in the order they
 * came, as if each had been counted alone. Keys go in sorted, so two processes' batches lock
 * their rows in the same order. (rate-limiter-flexible's Prisma store, used before, sent a
 * delete of the ended window and then an upsert per hit: four round trips per portal request.)
 */
export class RateLimitHits {
  private readonly waiting: Hit[] = [];
  private sending = false;

  constructor(private readonly prisma: PrismaClient) {}

  count(key: string): Promise<{ points: number; expire: Date }> {
    return new Promise((counted, failed) => {
      this.waiting.push({ key, counted, failed });
      if (!this.sending) void this.send();
    });
  }

  private async send(): Promise<void> {
    this.sending = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        const totals = await this.countBatch(batch);
        const given = new Map<string, number>();
        for (const hit of batch) {
          const total = totals.get(hit.key);
          if (!total) throw new Error(`rate-limit counter ${hit.key} not written`);
          const before = given.get(hit.key) ?? 0;
          given.set(hit.key, before + 1);
          hit.counted({ points: total.points - total.hits + before + 1, expire: total.expire });
        }
      } catch (error) {
        for (const hit of batch) hit.failed(error);
      }
    }
    this.sending = false;
  }

  private async countBatch(batch: Hit[]): Promise<Map<string, { hits: number; points: number; expire: Date }>> {
    const hits = new Map<string, number>();
    for (const hit of batch) hits.set(hit.key, (hits.get(hit.key) ?? 0) + 1);
    const now = new Date();
    const windowEnd = new Date(now.getTime() + WINDOW_MS);
    const rows = [...hits].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, count]) => Prisma.sql`(${key}, ${count}, ${windowEnd})`);
    const counted = await this.prisma.$queryRaw<{ key: string; points: number; expire: Date }[]>`
      INSERT INTO "RateLimitCounter" ("key", "points", "expire") VALUES ${Prisma.join(rows)}
      ON CONFLICT ("key") DO UPDATE SET
        "points" = CASE WHEN "RateLimitCounter"."expire" <= ${now} THEN EXCLUDED."points" ELSE "RateLimitCounter"."points" + EXCLUDED."points" END,
        "expire" = CASE WHEN "RateLimitCounter"."expire" <= ${now} THEN EXCLUDED."expire" ELSE "RateLimitCounter"."expire" END
      RETURNING "key", "points", "expire"`;
    return new Map(counted.map((row) => [row.key, { hits: hits.get(row.key) ?? 0, points: row.points, expire: row.expire }]));
  }
}

/** express-rate-limit's store interface over counters in PostgreSQL, one per key of this budget. */
function sharedStore(budget: SharedBudget, name: string): Store {
  const counterKey = (key: string) => `${budget.keyPrefix}:${name}:${key}`;
  return {
    localKeys: false,
    increment: async (key) => {
      const { points, expire } = await budget.hits.count(counterKey(key));
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
