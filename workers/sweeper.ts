/**
 * A sweeper beside the worker: a safety net that looks, every few seconds, for work a crash or
 * an outage left unstarted (revision renders) and starts it. One sweep runs
 * at a time; a failed sweep is logged and the next one comes anyway; stop() waits for the
 * sweep in progress. Several workers sweeping at once is harmless: what they start has a
 * workflow id of its own and starts once.
 */

import { logger } from '../platform/logger';

export interface Sweeper {
  stop(): Promise<void>;
}

export function startSweeper(name: string, everyMs: number, sweep: () => Promise<unknown>): Sweeper {
  let stopped = false;
  let sweeping: Promise<unknown> = Promise.resolve();
  const run = () => {
    sweeping = sweep()
      .catch((error: unknown) => logger.warn({ err: error, sweeper: name }, 'sweep failed; next one in a moment'))
      .finally(() => {
        if (!stopped) timer = setTimeout(run, everyMs);
      });
  };
  let timer = setTimeout(run, everyMs);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await sweeping;
    },
  };
}
