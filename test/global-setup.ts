/**
 * Runs once before every Jest project: starts ONE Temporal dev server (or reuses
 * TEMPORAL_ADDRESS), recreates and migrates the test database, and bundles the workflows
 * once. Test files read the result from the environment Jest's workers inherit:
 * TEMPORAL_ADDRESS, DATABASE_URL, WORKFLOW_BUNDLE_PATH (and GREENLIGHT_TEST_RUN_DIR).
 */
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { databaseUrlFor, recreateDatabase } from '../scripts/lib/database';
import { findFreePort } from '../scripts/lib/ports';
import { ensureSearchAttributes, startTemporalDevServer } from '../scripts/lib/temporal-dev-server';
import { bundleWorkflowsTo } from '../scripts/lib/workflow-bundle';
import { migrate } from '../scripts/migrate';
import { setHarness, testRunDir } from './support/harness-state';

const TEST_DATABASE = 'greenlight_test';
/** Held by the run that owns `greenlight_test`, for as long as it runs (any value unique to us). */
const TEST_DATABASE_LOCK = 0x67726e6c;

/** The part of Jest's global config read here. */
interface JestRun {
  selectProjects?: string[] | null;
}

export default async function globalSetup(globalConfig: JestRun): Promise<void> {
  // The APIs and workers tests run in their own process write JSON logs to Jest's output:
  // warnings and errors only, unless the run asks for more.
  process.env.LOG_LEVEL ??= 'warn';
  // `jest --selectProjects unit` needs no services: spare the machine the start-up.
  if (globalConfig.selectProjects && !globalConfig.selectProjects.includes('services')) return;

  const runDir = testRunDir();
  mkdirSync(runDir, { recursive: true });
  process.env.GREENLIGHT_TEST_RUN_DIR = runDir;

  const [temporal, database, bundlePath] = await Promise.all([startTemporal(runDir), recreateTestDatabase(), bundleWorkflows(runDir)]);
  process.env.TEMPORAL_ADDRESS = temporal.address;
  process.env.DATABASE_URL = database.url;
  if (bundlePath) process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
  setHarness({ runDir, temporal: temporal.server, databaseLock: database.lock, privateDatabaseUrl: database.private ? database.url : undefined });
}

async function startTemporal(runDir: string) {
  const existing = process.env.TEMPORAL_ADDRESS;
  if (existing) {
    await ensureSearchAttributes(existing);
    return { address: existing, server: undefined };
  }
  const log = createWriteStream(path.join(runDir, 'temporal.log'));
  const server = await startTemporalDevServer({
    port: await findFreePort(),
    dbFilename: path.join(runDir, 'temporal.db'),
    onOutput: (child) => {
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
    },
  });
  return { address: server.address, server };
}

/**
 * A fresh, migrated `greenlight_test` on the server DATABASE_URL names (the local one by
 * default). The run that owns it holds an advisory lock until teardown; a run that finds the
 * lock taken (another Jest run in this tree) gets a database of its own instead of dropping
 * the floor from under the other.
 */
async function recreateTestDatabase(): Promise<{ url: string; private: boolean; lock?: Client }> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/greenlight';
  const admin = new Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') });
  await admin.connect();
  let owner = false;
  let name = `${TEST_DATABASE}_${process.pid}`;
  try {
    const { rows } = await admin.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [TEST_DATABASE_LOCK]);
    owner = rows[0]?.locked === true;
    if (owner) name = TEST_DATABASE;
    await recreateDatabase(admin, name);
  } finally {
    if (!owner) await admin.end();
  }
  const url = databaseUrlFor(serverUrl, name);
  await migrate(url);
  return { url, private: !owner, lock: owner ? admin : undefined };
}

/** Bundled once here rather than by every worker a test starts. */
async function bundleWorkflows(runDir: string): Promise<string | undefined> {
  const workflowsIndex = path.resolve(__dirname, '..', 'workflows', 'index.ts');
  if (!existsSync(workflowsIndex)) {
    console.warn('[test] workflows/index.ts does not exist yet: workers will start without a prebuilt bundle');
    return undefined;
  }
  return bundleWorkflowsTo(path.join(runDir, 'workflow-bundle.js'), workflowsIndex);
}
