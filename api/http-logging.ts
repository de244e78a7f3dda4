/**
 * One JSON line per answered request (pino-http), carrying the request id, the route pattern,
 * the status and the time taken; a failed request's line carries its error. Nothing secret is
 * written: a customer's link token is cut from the path (`/d/[token]`), secret-looking query
 * parameters (GetAccept's `?token=`) and credential headers (Authorization, Cookie,
 * Stripe-Signature, webhook-signature) are replaced, and a Referer is cut like a URL.
 * Health probes and metric scrapes are not logged: they come every few seconds.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { logger } from '../platform/logger';
import { routePatternOf } from './metrics';
import { requestIdOf } from './request-id';

const REDACTED = '[redacted]';
/** Headers that carry credentials or signatures: their value never reaches a log. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'stripe-signature', 'webhook-signature', 'x-api-key']);
/** Headers that carry a URL, cut like the request's own. */
const URL_HEADERS = new Set(['referer', 'referrer']);
/** Query parameters whose names say they hold a secret. */
const SECRET_PARAMETER = /token|secret|signature|password|api[-_]?key/i;
/** A portal link: /d/<token>, whatever follows (Express matches paths case-insensitively). */
const PORTAL_TOKEN = /^(\/d\/)[^/?#]+/i;
/** A segment long and random enough to be a credential (a link token is 43 characters), wherever it is. */
const OPAQUE_SEGMENT = /(?<=\/)[A-Za-z0-9_-]{40,}(?=\/|$)/g;
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** The URL as it may be logged: the path without tokens, the query without secret values. Absolute URLs keep their origin. */
export function redactUrl(url: string): string {
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)?.[0] ?? '';
  const rest = url.slice(origin.length);
  const queryAt = rest.indexOf('?');
  const path = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const safePath = path.replace(PORTAL_TOKEN, '$1[token]').replace(OPAQUE_SEGMENT, '[token]');
  if (queryAt === -1) return `${origin}${safePath}`;
  const query = rest
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0] ?? '';
      return SECRET_PARAMETER.test(decodedName(name)) ? `${name}=${REDACTED}` : pair;
    });
  return `${origin}${safePath}?${query.join('&')}`;
}

/** `to%6Ben` is a `token` too; a name that does not decode is judged as it is. */
function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string | string[] | undefined> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (SECRET_HEADERS.has(name)) return [name, REDACTED];
      if (URL_HEADERS.has(name) && typeof value === 'string') return [name, redactUrl(value)];
      return [name, value];
    }),
  );
}

function describeRequest(req: Request) {
  return { method: req.method, url: redactUrl(req.originalUrl), headers: redactHeaders(req.headers), remoteAddress: req.ip };
}

function outcome(req: Request, res: Response, fields: object) {
  return { ...fields, requestId: requestIdOf(res), route: routePatternOf(req, res) };
}

export const logHttpRequests = pinoHttp<Request, Response>({
  logger,
  // Our serializers see the request itself, not pino's copy (which would hold the URL, query and params as they came).
  wrapSerializers: false,
  serializers: {
    req: describeRequest,
    res: (res: Response) => ({ statusCode: res.statusCode }),
  },
  genReqId: (_req, res) => requestIdOf(res) ?? '',
  customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
  customSuccessObject: (req, res, fields: object) => outcome(req, res, fields),
  customErrorObject: (req, res, _error, fields: object) => outcome(req, res, fields),
  autoLogging: { ignore: (req) => PROBE_PATHS.has(req.path) },
});

/** Has the request's log line carry `error`: one line per failed request, its URL made safe. */
export function logWithRequest(res: Response, error: unknown): void {
  res.err = error instanceof Error ? error : new Error(String(error));
}
