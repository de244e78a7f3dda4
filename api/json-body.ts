/**
 * JSON bodies as every route reads them. JSON can write a lone surrogate ("\ud800"), which is
 * no Unicode text: PostgreSQL would store it as U+FFFD, silently another text than the one
 * sent. Such a body is refused (400, naming where), whatever field it is in — also fields a
 * schema takes as they come (a request's `options`) and object keys.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { AppError } from '../domain/errors';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface Visit {
  value: unknown;
  parent?: Visit;
  key?: string;
}

function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) keys.unshift(at.key);
  return keys.join('.') || '(body)';
}

/** Where the first lone surrogate is, if any. Walks without recursion: a body may nest deeper than the stack. */
export function loneSurrogatePath(body: unknown): string | undefined {
  const pending: Visit[] = [{ value: body }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { value } = visit;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return pathOf(visit);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const child = { value: item, parent: visit, key };
        if (LONE_SURROGATE.test(key)) return `${pathOf(child)} (the key)`;
        pending.push(child);
      }
    }
  }
  return undefined;
}

function requireUnicodeText(req: Request, _res: Response, next: NextFunction): void {
  const path = loneSurrogatePath(req.body);
  if (path === undefined) return next();
  next(new AppError('validation_failed', 'Some fields are missing or invalid; see errors.', [{ path, message: 'contains a lone surrogate (\\ud800-\\udfff unpaired): not Unicode text' }]));
}

/** express.json with `limit`, then the Unicode check. */
export function jsonBody(limit: string): RequestHandler[] {
  return [express.json({ limit }), requireUnicodeText];
}
