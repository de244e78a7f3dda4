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
