/**
 * The one logger of every Greenlight process: JSON lines on stdout (pino), one object per
 * line, ready for any log shipper. LOG_LEVEL (trace, debug, info, warn, error, fatal, silent;
 * default info) sets what is written. Each line written while a request is being served or
 * an activity runs for one carries its `requestId` (platform/request-context.ts).
 *
 * Never log a URL, a header or a body as it came: portal URLs hold customers' tokens and
 * headers hold credentials (api/log-redaction.ts makes them safe to log).
 */
import pino from 'pino';
import { ConfigurationError } from './config';
import { currentRequestId } from './request-context';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
type Level = (typeof LEVELS)[number];

export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): Level {
  const raw = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!(LEVELS as readonly string[]).includes(raw)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  return raw as Level;
}

export const logger = pino({
  level: logLevelFromEnv(),
  timestamp: pino.stdTimeFunctions.isoTime,
  // "level":"warn" rather than pino's 40: read by people as often as by machines.
  formatters: { level: (label) => ({ level: label }) },
  mixin: () => {
    const requestId = currentRequestId();
    return requestId ? { requestId } : {};
  },
});

export type Logger = typeof logger;

/**
 * Ends a process that failed to start. A refused configuration is told as its own message, in
 * plain text on stderr (the operator reads it at the console, every missing setting named at
 * once); anything else is a fatal log line with its error.
 */
export function exitOnStartFailure(what: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      logger.fatal({ err: error }, `${what} failed`);
    }
    process.exit(1);
  };
}
