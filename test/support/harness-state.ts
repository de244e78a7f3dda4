/**
 * What global setup hands on. To test files: the environment Jest's workers inherit. To
 * global teardown (same parent process): a global, the documented way across.
 */
import path from 'node:path';
import type { Client } from 'pg';
import type { DevServer } from '../../scripts/lib/temporal-dev-server';

const TEST_DATA_ROOT = path.resolve(__dirname, '..', '..', '.data', 'test');

/** This run's scratch folder (bundle, outbox files, Temporal's SQLite): one per Jest run, so runs in one tree never collide. */
export function testRunDir(): string {
  return process.env.GREENLIGHT_TEST_RUN_DIR ?? path.join(TEST_DATA_ROOT, `run-${process.pid}`);
}

interface HarnessState {
  runDir: string;
  temporal?: DevServer;
  /** The session holding the advisory lock on `greenlight_test` while this run uses it. */
  databaseLock?: Client;
  /** Dropped at the end: a database made for this run only because another run held `greenlight_test`. */
  privateDatabaseUrl?: string;
}

const KEY = '__greenlightTestHarness';
type WithHarness = typeof globalThis & { [KEY]?: HarnessState };

export function setHarness(state: HarnessState): void {
  (globalThis as WithHarness)[KEY] = state;
}

export function takeHarness(): HarnessState | undefined {
  const state = (globalThis as WithHarness)[KEY];
  delete (globalThis as WithHarness)[KEY];
  return state;
}
