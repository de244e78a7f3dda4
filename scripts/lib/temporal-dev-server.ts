/**
 * The Temporal dev server (the official CLI's `server start-dev`), started as a child process
 * by `make start`, by the test harness and by the benchmark: one way to start it, one list of
 * search attributes. Ready means: the frontend answers and our search attributes exist.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { stopChild } from './child-process';

export const TEMPORAL_CLI = path.resolve(__dirname, '..', '..', '.tools', 'bin', 'temporal');

/** Custom search attributes the workflows upsert (DESIGN.md §3), all Keyword. */
export const GREENLIGHT_SEARCH_ATTRIBUTES = ['GreenlightTenant', 'GreenlightKind', 'GreenlightStatus', 'GreenlightCustomer'] as const;

export interface DevServerOptions {
  port: number;
  /** Web UI port; headless when absent. */
  uiPort?: number;
  /** SQLite file keeping the state across restarts; in memory when absent. */
  dbFilename?: string;
  namespace?: string;
  /** Where the server's own output goes (inherits stdio when absent). */
  onOutput?: (child: ChildProcess) => void;
  readyTimeoutMs?: number;
  /** Own process group: a terminal's Ctrl-C then reaches only our process, which stops the server last. */
  detached?: boolean;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  child: ChildProcess;
  stop(graceMs?: number): Promise<void>;
}

export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  if (!existsSync(TEMPORAL_CLI)) {
    throw new Error(`The Temporal CLI is missing at ${TEMPORAL_CLI}: run scripts/install-temporal.sh (make start and make test do).`);
  }
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  if (options.namespace && options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const name of GREENLIGHT_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=Keyword`);

  const child = spawn(TEMPORAL_CLI, args, {
    stdio: options.onOutput ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    detached: options.detached ?? false,
  });
  options.onOutput?.(child);
  const address = `127.0.0.1:${options.port}`;
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`temporal server start-dev exited (${signal ?? `code ${code}`}) before it was ready`)));
    // Could not start (or later, not be signalled): without a listener that would end this process.
    child.on('error', (error) => reject(new Error(`temporal server start-dev: ${error.message}`)));
  });
  exited.catch(() => undefined);
  try {
    await Promise.race([waitForSearchAttributes(address, options.namespace ?? 'default', options.readyTimeoutMs ?? 60_000), exited]);
  } catch (error) {
    await stopChild(child, 2000);
    throw error;
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
    child,
    stop: (graceMs = 10_000) => stopChild(child, graceMs),
  };
}

/**
 * Makes sure our search attributes exist on a server we did not start with them (TEMPORAL_ADDRESS,
 * `make cluster`'s server): registers the missing ones. With a timeout, keeps trying while the
 * server is not there yet or does not know the namespace yet (a new namespace takes seconds to
 * reach every service); without, one attempt.
 */
export async function ensureSearchAttributes(address: string, namespace = 'default', timeoutMs = 0): Promise<void> {
  await waitForTemporal(address, timeoutMs, (connection) => hasSearchAttributes(connection, namespace, { registerMissing: true }));
}

/** Whether our search attributes exist on `namespace`; with `registerMissing`, adds those that do not first. */
async function hasSearchAttributes(connection: Connection, namespace: string, options: { registerMissing: boolean }): Promise<boolean> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = GREENLIGHT_SEARCH_ATTRIBUTES.filter((name) => !(name in customAttributes));
  if (missing.length === 0) return true;
  if (!options.registerMissing) return false;
  await connection.operatorService.addSearchAttributes({
    namespace,
    // 2 = INDEXED_VALUE_TYPE_KEYWORD
    searchAttributes: Object.fromEntries(missing.map((name) => [name, 2])),
  });
  return true;
}

/**
 * Polls the server at `address` until `ready` answers true; an error counts as "not yet". Tries
 * at least once; past the deadline, fails with the last error.
 */
export async function waitForTemporal(address: string, timeoutMs: number, ready: (connection: Connection) => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        if (await ready(connection)) return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) throw new Error(`Temporal at ${address} was not ready within ${timeoutMs} ms: ${String(lastError ?? 'still waiting')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until the server at `address` answers and knows our search attributes. */
function waitForSearchAttributes(address: string, namespace: string, timeoutMs: number): Promise<void> {
  return waitForTemporal(address, timeoutMs, (connection) => hasSearchAttributes(connection, namespace, { registerMissing: false }));
}
