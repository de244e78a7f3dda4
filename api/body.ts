/**
 * Reading what a request carries, one way for every route: JSON bodies (back office, portal,
 * provider webhooks) and urlencoded forms (portal), each bounded in size, then inspected
 * before any handler sees them, as are the URL's path and query:
 *
 * - Nesting: at most MAX_BODY_DEPTH objects and arrays within each other (400). A deeper
 *   body is no document anyone sends, and whatever walks it (canonicalJson, zod, Prisma)
 *   would otherwise risk the stack.
 * - Text: no NUL character and no unpaired UTF-16 surrogate, in values or field names (422
 *   naming each field). PostgreSQL's text and JSONB cannot hold the first, and the second is
 *   not Unicode at all: refused here, they never reach the database as a 500.
 *
 * Failures of the readers themselves (too large, malformed, cut short) become AppErrors in
 * bodyReadingError, so every route answers them as problem+json.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { AppError, type FieldError } from '../domain/errors';

export const MAX_BODY_DEPTH = 32;
/** Enough to name what is wrong; a body full of NULs does not get an answer as large as itself. */
const MAX_REPORTED_FIELDS = 20;

/** A JSON body of at most `limit` ("1mb", "16kb"), inspected. */
export function jsonBody(limit: string): RequestHandler[] {
  return [express.json({ limit }), inspectBody];
}

/** A portal post: an HTML form or JSON, of at most `limit`, inspected. */
export function formOrJsonBody(limit: string): RequestHandler[] {
  return [express.urlencoded({ extended: false, limit, parameterLimit: 200 }), express.json({ limit }), inspectBody];
}

function inspectBody(req: Request, _res: Response, next: NextFunction): void {
  const refusal = refusalOf(findUnfitText(req.body, ''));
  if (refusal) throw refusal;
  next();
}

/** Path and query: a NUL there would reach a query as surely as one in a body. */
export function inspectUrl(req: Request, _res: Response, next: NextFunction): void {
  const nulInPath = /%00/.test(req.path) ? [{ path: 'path', message: `${NUL_MESSAGE} (%00)` }] : [];
  const refusal = refusalOf([...nulInPath, ...findUnfitText(req.query, 'query')]);
  if (refusal) throw refusal;
  next();
}

/** The refusal of a value (an uploaded file's name, say) holding text that cannot be stored; undefined when it is fit. */
export function unfitTextRefusal(value: unknown, path: string): AppError | undefined {
  return refusalOf(findUnfitText(value, path));
}

function refusalOf(errors: FieldError[]): AppError | undefined {
  if (errors.length === 0) return undefined;
  return new AppError('invalid_characters', 'Some text cannot be stored; see errors.', errors.slice(0, MAX_REPORTED_FIELDS));
}

const NUL_MESSAGE = 'contains a NUL character (U+0000), which text cannot hold';
const SURROGATE_MESSAGE = 'contains an unpaired UTF-16 surrogate, which is not Unicode text';

function whatIsWrongWith(text: string): string | undefined {
  if (text.includes('\u0000')) return NUL_MESSAGE;
  // With the u flag a well-formed pair is one code point: only a lone surrogate matches.
  if (/\p{Cs}/u.test(text)) return SURROGATE_MESSAGE;
  return undefined;
}

/**
 * Walks a parsed body without recursion (its depth is what is being checked): throws
 * too_deeply_nested past MAX_BODY_DEPTH, and lists the fields whose text or name is unfit.
 */
function findUnfitText(body: unknown, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number; wrongKey?: string }[] = [{ value: body, path: prefix, depth: 0 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, path, depth, wrongKey } = item;
    if (wrongKey) errors.push({ path, message: `its name ${wrongKey}` });
    if (typeof value === 'string') {
      const wrong = whatIsWrongWith(value);
      if (wrong) errors.push({ path, message: wrong });
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) {
      throw new AppError('too_deeply_nested', `The body nests objects and arrays more than ${MAX_BODY_DEPTH} levels deep.`);
    }
    // Pushed last to first, so fields are reported in the order the body gives them.
    for (const [key, child] of Object.entries(value).reverse()) {
      const wrongKey = whatIsWrongWith(key);
      // An unfit name is shown escaped, so the answer itself stays plain text.
      const name = wrongKey ? JSON.stringify(key).slice(1, -1) : key;
      const childPath = path ? `${path}.${name}` : name;
      pending.push({ value: child, path: childPath, depth: depth + 1, ...(wrongKey ? { wrongKey } : {}) });
    }
  }
  return errors;
}

/** The body readers' failures (body-parser's carry a `type`) and the router's undecodable URL, as AppErrors. */
export function bodyReadingError(error: unknown): AppError | undefined {
  // The router's: a path parameter that does not decode.
  if (error instanceof URIError && (error as { status?: unknown }).status === 400) return new AppError('validation_failed', 'The URL is not valid percent-encoded UTF-8.');
  if (!error || typeof error !== 'object') return undefined;
  const { type, limit, status } = error as { type?: unknown; limit?: unknown; status?: unknown };
  switch (type) {
    case 'entity.parse.failed':
      return new AppError('malformed_json', 'The body could not be parsed as JSON.');
    case 'entity.too.large':
      return new AppError('payload_too_large', typeof limit === 'number' ? `The body is larger than the ${limit} bytes this route accepts.` : undefined);
    case 'parameters.too.many':
      return new AppError('payload_too_large', 'The form has more fields than this route accepts.');
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'Send the body in UTF-8.');
    case 'encoding.unsupported':
      return new AppError('unsupported_media_type', 'Send the body uncompressed, or compressed with gzip, deflate or br.');
    case 'request.aborted':
    case 'request.size.invalid':
      return new AppError('validation_failed', 'The body ended before the length it announced.');
    case undefined:
      // A decompression stream's failure, passed on by body-parser as a bare 400.
      return status === 400 ? new AppError('validation_failed', 'The body could not be read as sent; check its Content-Encoding.') : undefined;
    default:
      return undefined;
  }
}
