/**
 * The Temporal runtime of a worker process, installed once, before any connection (Temporal
 * allows one per process). The SDK's logs — its own, Core's, and those of workflows (through
 * the logger sink) and activities — become lines of the process's JSON logger; with
 * WORKER_METRICS_PORT set, the SDK serves its metrics, and the activity outcome counts
 * (activity-interceptors.ts), for Prometheus at http://WORKER_METRICS_HOST:WORKER_METRICS_PORT/metrics.
 */
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { Config } from '../platform/config';
import { logger, type Logger } from '../platform/logger';

const PINO_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const satisfies Record<LogLevel, string>;

/** Temporal's logger interface over pino: its `error` attribute becomes pino's `err`, so it is serialized with its stack. */
function temporalLogger(target: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    const { error, ...attributes } = meta;
    target[PINO_LEVELS[level]]({ ...attributes, ...(error === undefined ? {} : { err: error }) }, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

export function installWorkerRuntime(config: Pick<Config, 'workerMetrics'>): void {
  const metrics = config.workerMetrics;
  Runtime.install({
    logger: temporalLogger(logger.child({ component: 'temporal' })),
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
      ...(metrics ? { metrics: { prometheus: { bindAddress: `${metrics.host}:${metrics.port}` } } } : {}),
    },
    // workers/main.ts handles the signals, so the log says what happens and a second one can force the exit.
    shutdownSignals: [],
  });
}
