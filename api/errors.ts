/**
 * Errors as the HTTP API answers them: application/problem+json (RFC 9457), with a stable
 * `type` per error code of domain/errors.ts and an `instance` naming the request
 * (api/request-id.ts). Every problem the app answers leaves through sendProblem.
 */
import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import type { Response } from 'express';
import { z } from 'zod';
import { AppError, ERROR_CODES, type FieldError } from '../domain/errors';
import { isDatabaseBusy } from '../platform/db';
import { bodyReadingError } from './body';
import { requestIdOf, requestInstance } from './request-id';
import { validationError } from './schemas';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

export const PROBLEM_TYPE_BASE = 'https://greenlight.dev/problems/';

export function toProblem(error: AppError, requestId?: string): Problem {
  const { status, title } = ERROR_CODES[error.code];
  return {
    type: `${PROBLEM_TYPE_BASE}${error.code.replace(/_/g, '-')}`,
    title,
    status,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(requestId ? { instance: requestInstance(requestId) } : {}),
    ...(error.errors?.length ? { errors: error.errors } : {}),
  };
}

/** gRPC's UNAVAILABLE: the server could not be reached (restarting, a connection cut). */
const GRPC_UNAVAILABLE = 14;

/**
 * Temporal out of reach — its server restarting, as in a rolling deploy — is a 503 the client
 * retries (with the same Idempotency-Key: a 5xx releases it), not an internal fault.
 */
function temporalUnavailable(error: unknown): AppError | undefined {
  const grpc = error instanceof ServiceError ? error.cause : error;
  if (!isGrpcServiceError(grpc) || grpc.code !== GRPC_UNAVAILABLE) return undefined;
  return new AppError('unavailable', 'The workflow service (Temporal) is not reachable; retry in a moment.');
}

/** A burst the database could not serve in time is a 503 the client retries, not an internal fault: nothing was committed. */
function databaseBusy(error: unknown): AppError | undefined {
  return isDatabaseBusy(error) ? new AppError('unavailable', 'The database is busy; retry in a moment.') : undefined;
}

/** A failure the API knows how to answer (ours, zod's, the body readers', Temporal or the database out of reach); undefined for a fault. */
export function knownAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return validationError(error);
  return bodyReadingError(error) ?? temporalUnavailable(error) ?? databaseBusy(error);
}

export function sendProblem(res: Response, error: AppError): void {
  res.status(error.status).type('application/problem+json').send(JSON.stringify(toProblem(error, requestIdOf(res))));
}
