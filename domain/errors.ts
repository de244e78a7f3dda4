/**
 * Errors are values with types. Every failure an operation or activity can report is an
 * AppError with a stable code; one table maps codes to HTTP statuses (api/errors.ts renders
 * them as problem+json), so code throws meaning, never status numbers. Activities read the
 * same table: a 4xx code is a fault no retry can cure.
 */
export const ERROR_CODES = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  too_deeply_nested: { status: 400, title: 'The request body is nested too deeply' },
  unauthorized: { status: 401, title: 'Missing or invalid credentials' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  already_started: { status: 409, title: 'Already started' },
  decision_rejected: { status: 409, title: 'The decision cannot be taken' },
  // A customer link that no longer opens anything (api/portal/router.ts): each says why, so the page can.
  link_expired: { status: 410, title: 'This link has expired' },
  link_revoked: { status: 410, title: 'This link has been turned off' },
  document_cancelled: { status: 410, title: 'This document has been cancelled' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key reused with another request' },
  unprocessable: { status: 422, title: 'The request cannot be processed' },
  invalid_characters: { status: 422, title: 'The request carries characters that text cannot hold' },
  rate_limited: { status: 429, title: 'Too many requests' },
  unavailable: { status: 503, title: 'A service this request needs is unavailable' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The ApplicationFailure type a workflow's Update validator refuses a decision with, its
 * message the reason; callers read it as decision_rejected (platform/temporal.ts).
 */
export const DECISION_REJECTED = 'DecisionRejected';

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? ERROR_CODES[code].title);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}
