import { readFileSync } from 'node:fs';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type TLSConfig, type WorkflowClientInterceptor } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { AppError, DECISION_REJECTED } from '../domain/errors';
import type { Config, TemporalTls } from './config';

type TemporalTarget = Pick<Config, 'temporalAddress'> & Partial<Pick<Config, 'temporalAuth'>>;

/**
 * Where Temporal is and the credentials it asks for (config.temporalAuth), as both the client's
 * Connection and the worker's NativeConnection take them. Certificates are read here, at connect.
 */
export function temporalConnectionOptions(config: TemporalTarget): { address: string; apiKey?: string; tls?: TLSConfig | false } {
  const { apiKey, tls } = config.temporalAuth ?? {};
  return {
    address: config.temporalAddress,
    ...(apiKey ? { apiKey } : {}),
    ...(tls === undefined ? {} : { tls: tls && tlsConfig(tls) }),
  };
}

function tlsConfig(tls: TemporalTls): TLSConfig {
  return {
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    ...(tls.serverCaCertPath ? { serverRootCACertificate: readFileSync(tls.serverCaCertPath) } : {}),
    ...(tls.clientCertPair ? { clientCertPair: { crt: readFileSync(tls.clientCertPair.certPath), key: readFileSync(tls.clientCertPair.keyPath) } } : {}),
  };
}

export async function connectTemporal(
  config: TemporalTarget & Pick<Config, 'temporalNamespace'>,
  interceptors: WorkflowClientInterceptor[] = [],
): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return { connection, client: new Client({ connection, namespace: config.temporalNamespace, interceptors: { workflow: interceptors } }) };
}

/** The Temporal failures that have a code in the error table (DESIGN.md §7). */
type TemporalErrorCode = 'decision_rejected' | 'not_found' | 'already_started' | 'unavailable';

/** How an activity ends when its retries ran out, rather than by a refusal for good. */
const GAVE_UP = new Set<string | undefined>(['MAXIMUM_ATTEMPTS_REACHED', 'TIMEOUT']);

/**
 * A Temporal client error as the AppError of its code in domain/errors.ts: an Update its
 * validator refused is decision_rejected with the validator's reason, a workflow that does not
 * run is not_found, a start that finds its workflow id taken is already_started, an Update
 * whose activity gave up retrying (a provider that did not answer while the customer waited:
 * the payment page) is unavailable. `details`
 * words a case for the caller ("The quote has already been sent"). Undefined for anything
 * else: an outage stays a fault.
 */
export function temporalAppError(error: unknown, details: Partial<Record<TemporalErrorCode, string>> = {}): AppError | undefined {
  const known = (code: TemporalErrorCode, detail: string) => new AppError(code, details[code] ?? detail);
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === DECISION_REJECTED) {
    return known('decision_rejected', error.cause.message);
  }
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ActivityFailure && GAVE_UP.has(error.cause.retryState)) {
    return known('unavailable', 'A service this decision needs did not answer; try again in a moment');
  }
  if (error instanceof WorkflowNotFoundError) return known('not_found', error.message);
  if (error instanceof WorkflowExecutionAlreadyStartedError) return known('already_started', error.message);
  return undefined;
}

/**
 * Puts a decision to a workflow (an Update, or a signal asking it to act). A workflow that does
 * not run (never started, or over) takes no decision: that is decision_rejected too, with
 * `whyNoWorkflow()`, the caller's words for why (read only then).
 */
export async function askWorkflow<T>(send: () => Promise<T>, whyNoWorkflow: () => string | Promise<string>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const known = temporalAppError(error);
    if (known?.code === 'not_found') throw new AppError('decision_rejected', await whyNoWorkflow());
    throw known ?? error;
  }
}
