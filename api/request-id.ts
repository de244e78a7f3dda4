/**
 * Every request gets an id, answered in `X-Request-Id` and named by every problem's `instance`
 * (API.md: "instance names the request, for support"). A caller's own `X-Request-Id` is kept
 * when it is a short plain token, so a back office can follow one id through both systems'
 * logs; anything else (too long, spaces, control characters) is replaced, since the id is
 * echoed in a header and written to our logs. The rest of the request runs inside it
 * (platform/request-context.ts): every log line it writes, and the workflows and activities
 * it reaches through Temporal, carry the id.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { withRequestId } from '../platform/request-context';

const REQUEST_ID_HEADER = 'X-Request-Id';
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const offered = req.get(REQUEST_ID_HEADER);
  const requestId = offered && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
  res.locals.requestId = requestId;
  res.set(REQUEST_ID_HEADER, requestId);
  withRequestId(requestId, next);
}

/** The id assign-request-id gave this request's answer. */
export function requestIdOf(res: Response): string | undefined {
  const { requestId } = res.locals as { requestId?: unknown };
  return typeof requestId === 'string' ? requestId : undefined;
}

/** A problem's `instance`: a URI naming the request, not a resource to fetch. */
export function requestInstance(requestId: string): string {
  return `urn:request:${requestId}`;
}
