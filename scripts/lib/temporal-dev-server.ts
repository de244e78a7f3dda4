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
 * Waits until the server at `address` answers and knows our search attributes. For a server we
 * did not start (TEMPORAL_ADDRESS), registers the missing ones instead of waiting for them.
 */
export async function ensureSearchAttributes(address: string, namespace = 'default'): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = GREENLIGHT_SEARCH_ATTRIBUTES.filter((name) => !(name in customAttributes));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      // 2 = INDEXED_VALUE_TYPE_KEYWORD
      searchAttributes: Object.fromEntries(missing.map((name) => [name, 2])),
    });
  } finally {
    await connection.close();
  }
}

async function waitForSearchAttributes(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        if (GREENLIGHT_SEARCH_ATTRIBUTES.every((name) => name in customAttributes)) return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Temporal at ${address} was not ready within ${timeoutMs} ms: ${String(lastError)}`);
}
