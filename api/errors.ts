/**
 * Errors as the HTTP API answers them: application/problem+json (RFC 9457), with a stable
 * `type` per error code of domain/errors.ts.
 */
import { AppError, ERROR_CODES, type FieldError } from '../domain/errors';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

export const PROBLEM_TYPE_BASE = 'https://greenlight.dev/problems/';

export function toProblem(error: AppError): Problem {
  const { status, title } = ERROR_CODES[error.code];
  return {
    type: `${PROBLEM_TYPE_BASE}${error.code.replace(/_/g, '-')}`,
    title,
    status,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(error.errors?.length ? { errors: error.errors } : {}),
  };
}

/**
 * What Express's own layers refuse, as AppErrors. body-parser's errors carry a `type`, or are
 * http-errors around a zlib failure (a body its Content-Encoding does not decode) or a length
 * other than announced; the router throws a URIError for a path whose percent-encoding is not
 * UTF-8 ("%zz", "%C0%AF"). Each is the request's fault: a 4xx, never a 500.
 */
export function parsingRefusal(error: unknown): AppError | undefined {
  if (error instanceof URIError) return new AppError('validation_failed', 'The URL is not valid percent-encoded UTF-8.');
  if (!error || typeof error !== 'object') return undefined;
  const { type, limit, status, expose } = error as { type?: unknown; limit?: unknown; status?: unknown; expose?: unknown };
  switch (type) {
    case 'entity.parse.failed':
      return new AppError('malformed_json', 'The body could not be parsed as JSON.');
    case 'entity.too.large':
      return new AppError('payload_too_large', typeof limit === 'number' ? `The body is larger than the ${limit / 1024} KB this route takes.` : undefined);
    case 'parameters.too.many':
      return new AppError('payload_too_large', 'The form has too many fields.');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new AppError('unsupported_media_type', 'Send the body as UTF-8, uncompressed or gzip, deflate or br.');
    default:
      break;
  }
  if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('validation_failed', 'The body could not be read: it does not decode with its Content-Encoding, or its length is not the one announced.');
  }
  return undefined;
}
