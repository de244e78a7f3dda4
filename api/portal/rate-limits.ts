/**
 * Rate limits of the portal: per link token (one customer hammering, or someone trying a
 * leaked link) and per client IP (someone walking many tokens). Limits count every portal
 * request, before the token is looked up, so a guess costs as much as a hit.
 *
 * The defaults suit people; load tests and large offices behind one NAT can raise them with
 * PORTAL_RATE_LIMIT_PER_TOKEN and PORTAL_RATE_LIMIT_PER_IP (requests per minute).
 */
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { sha256Hex } from '../../platform/ids';

export interface PortalRateLimits {
  perTokenPerMinute: number;
  perIpPerMinute: number;
}

export const DEFAULT_PORTAL_RATE_LIMITS: PortalRateLimits = { perTokenPerMinute: 60, perIpPerMinute: 600 };

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function portalRateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): PortalRateLimits {
  return {
    perTokenPerMinute: positiveInt(env.PORTAL_RATE_LIMIT_PER_TOKEN, DEFAULT_PORTAL_RATE_LIMITS.perTokenPerMinute, 'PORTAL_RATE_LIMIT_PER_TOKEN'),
    perIpPerMinute: positiveInt(env.PORTAL_RATE_LIMIT_PER_IP, DEFAULT_PORTAL_RATE_LIMITS.perIpPerMinute, 'PORTAL_RATE_LIMIT_PER_IP'),
  };
}

export function createPortalRateLimiters(
  limits: PortalRateLimits,
  answerLimited: (req: Request, res: Response) => void,
): RequestHandler[] {
  const shared = {
    windowMs: 60_000,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req: Request, res: Response) => answerLimited(req, res),
  } as const;
  return [
    // Default key: the client IP (IPv6 grouped by /56 so one host cannot rotate addresses).
    rateLimit({ ...shared, identifier: 'portal-ip', limit: limits.perIpPerMinute }),
    // The token's hash, so the limiter's memory never holds a usable link.
    rateLimit({
      ...shared,
      identifier: 'portal-token',
      limit: limits.perTokenPerMinute,
      keyGenerator: (req) => sha256Hex(String(req.params.token)),
    }),
  ];
}
