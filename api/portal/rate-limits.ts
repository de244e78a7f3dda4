/**
 * Rate limits of the portal: per link token (one customer hammering, or someone trying a
 * leaked link) and per client IP (someone walking many tokens). Limits count every portal
 * request, before the token is looked up, so a guess costs as much as a hit.
 *
 * The defaults suit people; load tests and large offices behind one NAT can raise them
 * (config.portalRateLimits: PORTAL_RATE_LIMIT_PER_TOKEN and PORTAL_RATE_LIMIT_PER_IP).
 */
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../../platform/config';
import { sha256Hex } from '../../platform/ids';

export type PortalRateLimits = Config['portalRateLimits'];

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
