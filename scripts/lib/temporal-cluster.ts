/**
 * Temporal's own server (not the dev server) for `make cluster`: PostgreSQL persistence and
 * visibility, set up the way Temporal documents it for SQL (DESIGN.md §8):
 *   1. its two databases — `<greenlight database>_temporal` and `…_temporal_visibility`, beside
 *      Greenlight's on the same PostgreSQL — created by the schema tool, versioning set up
 *      (`setup-schema -v 0.0`) and migrated from the module's schema files (`update-schema`);
 *      a later run finds them set up and only runs `update-schema`, a no-op when up to date;
 *   2. a config generated from the module's config/development-postgres12.yaml: our database
 *      names and credentials, our ports, quieter logs, without `archival` and
 *      `namespaceDefaults` (archival to local files is not part of this topology);
 *   3. the server started with that config; ready once the frontend answers, namespace
 *      `default` exists (created with the Temporal CLI) and our search attributes are registered.
 * Binaries and files come from scripts/install-temporal-server.sh.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { parseDocument } from 'yaml';
import { stopChild } from './child-process';
import { databaseUrlFor, withServerAdmin } from './database';
import { ensureSearchAttributes, TEMPORAL_CLI, waitForTemporal } from './temporal-dev-server';

const run = promisify(execFile);
const TOOLS = path.resolve(__dirname, '..', '..', '.tools');
const SERVER_BIN = path.join(TOOLS, 'bin', 'temporal-server');
const SQL_TOOL_BIN = path.join(TOOLS, 'bin', 'temporal-sql-tool');
/** The module's files, copied out of the Go module cache by the install script. */
const MODULE_FILES = path.join(TOOLS, 'temporal-server');
const CONFIG_ENV = 'development-postgres12';
const SCHEMA_PLUGIN = 'postgres12';

/** The largest membership port Temporal's PostgreSQL schema can record. */
export const MAX_MEMBERSHIP_PORT = 32_767;

/**
 * Every port the server binds, from the frontend's gRPC port up: clients only need that one;
 * the rest are the services' own gRPC and membership ports, the frontend's HTTP API and the
 * server's Prometheus metrics.
 */
export function temporalClusterPorts(frontendPort: number) {
  // Temporal records each service's membership port in a PostgreSQL smallint (cluster_membership):
  // above 32767 the server dies at start ("value … is out of range for type smallint").
  if (frontendPort + 8 > MAX_MEMBERSHIP_PORT) throw new Error(`Temporal's server needs TEMPORAL_PORT+8 ≤ ${MAX_MEMBERSHIP_PORT} (its membership ports are stored as smallint); got ${frontendPort}`);
  return {
    frontend: frontendPort,
    frontendHttp: frontendPort + 1,
    history: frontendPort + 2,
    matching: frontendPort + 3,
    worker: frontendPort + 4,
    frontendMembership: frontendPort + 5,
    historyMembership: frontendPort + 6,
    matchingMembership: frontendPort + 7,
    workerMembership: frontendPort + 8,
    metrics: frontendPort + 9,
  };
}

export interface TemporalClusterOptions {
  /** The frontend's gRPC port; the server's other ports follow it (temporalClusterPorts). */
  port: number;
  /** Greenlight's database: Temporal's two live beside it, on the same server, with the same credentials. */
  databaseUrl: string;
  /** Where the generated config goes. */
  dir: string;
  namespace: string;
  /** Where the server's output goes. */
  onOutput: (child: ChildProcess) => void;
  /** Setup steps, for the supervisor's log. */
  log: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface TemporalCluster {
  address: string;
  stop(graceMs?: number): Promise<void>;
}

interface SqlServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

function sqlServerOf(databaseUrl: string): SqlServer {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password),
  };
}

export function temporalDatabaseNames(databaseUrl: string): { persistence: string; visibility: string } {
  const greenlight = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  return { persistence: `${greenlight}_temporal`, visibility: `${greenlight}_temporal_visibility` };
}

export async function startTemporalCluster(options: TemporalClusterOptions): Promise<TemporalCluster> {
  for (const binary of [SERVER_BIN, SQL_TOOL_BIN]) {
    if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/install-temporal-server.sh (make cluster does).`);
  }
  const sql = sqlServerOf(options.databaseUrl);
  const names = temporalDatabaseNames(options.databaseUrl);
  await prepareDatabase(options.databaseUrl, sql, names.persistence, 'temporal', options.log);
  await prepareDatabase(options.databaseUrl, sql, names.visibility, 'visibility', options.log);
  writeServerConfig(options.dir, sql, names, options.port);

  const child = spawn(SERVER_BIN, ['--root', options.dir, '--config', 'config', '--env', CONFIG_ENV, '--allow-no-auth', 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal's Ctrl-C reaches only the supervisor, which stops it last.
    detached: true,
  });
  options.onOutput(child);
  const address = `127.0.0.1:${options.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`temporal-server exited (${signal ?? `code ${code}`}) before it was ready; see its log above`))),
  );
  exited.catch(() => undefined);
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  try {
    await Promise.race([
      (async () => {
        await waitForTemporal(address, timeoutMs, async (connection) => Boolean(await connection.workflowService.getSystemInfo({})));
        await ensureNamespace(address, options.namespace, options.log);
        await ensureSearchAttributes(address, options.namespace, timeoutMs);
      })(),
      exited,
    ]);
  } catch (error) {
    await stopChild(child, 5000);
    throw error;
  }
  return { address, stop: (graceMs = 15_000) => stopChild(child, graceMs) };
}

/** The schema tool, pointed at one database; credentials go through its environment, not its arguments. */
function sqlTool(sql: SqlServer, database: string, args: string[]) {
  return run(SQL_TOOL_BIN, args, {
    env: {
      ...process.env,
      SQL_PLUGIN: SCHEMA_PLUGIN,
      SQL_HOST: sql.host,
      SQL_PORT: String(sql.port),
      SQL_USER: sql.user,
      SQL_PASSWORD: sql.password,
      SQL_DATABASE: database,
    },
  });
}

/** Creates the database and its versioning tables when missing, then brings its schema up to the module's latest. */
async function prepareDatabase(greenlightUrl: string, sql: SqlServer, database: string, schema: 'temporal' | 'visibility', log: (line: string) => void): Promise<void> {
  const exists = await withServerAdmin(greenlightUrl, async (admin) => Boolean((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount));
  if (!exists) {
    log(`creating database ${database} (Temporal's ${schema === 'temporal' ? 'persistence' : 'visibility'})`);
    await sqlTool(sql, database, ['create-database']);
  }
  const url = databaseUrlFor(greenlightUrl, database);
  const before = await schemaVersion(url);
  if (before === undefined) await sqlTool(sql, database, ['setup-schema', '-v', '0.0']);
  await sqlTool(sql, database, ['update-schema', '-d', path.join(MODULE_FILES, 'schema', 'postgresql', 'v12', schema, 'versioned')]);
  const after = await schemaVersion(url);
  log(`${database}: schema ${before === undefined ? 'set up' : before} → ${after}${before === after ? ' (up to date)' : ''}`);
}

/** The schema version the tool recorded, or undefined before its versioning tables exist. */
async function schemaVersion(databaseUrl: string): Promise<string | undefined> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows: tables } = await db.query<{ table: string | null }>("SELECT to_regclass('public.schema_version')::text AS table");
    if (tables[0]?.table == null) return undefined;
    const { rows } = await db.query<{ version: string }>('SELECT curr_version AS version FROM schema_version');
    return rows[0]?.version ?? '0.0';
  } finally {
    await db.end();
  }
}

/** <dir>/config/development-postgres12.yaml from the module's sample, with our names, credentials and ports. */
function writeServerConfig(dir: string, sql: SqlServer, names: { persistence: string; visibility: string }, frontendPort: number): void {
  const ports = temporalClusterPorts(frontendPort);
  const config = parseDocument(readFileSync(path.join(MODULE_FILES, 'config', `${CONFIG_ENV}.yaml`), 'utf8'));
  for (const [store, database] of [
    ['postgres-default', names.persistence],
    ['postgres-visibility', names.visibility],
  ] as const) {
    const at = ['persistence', 'datastores', store, 'sql'];
    config.setIn([...at, 'databaseName'], database);
    config.setIn([...at, 'connectAddr'], `${sql.host}:${sql.port}`);
    config.setIn([...at, 'user'], sql.user);
    config.setIn([...at, 'password'], sql.password);
  }
  const services = [
    ['frontend', ports.frontend, ports.frontendMembership],
    ['history', ports.history, ports.historyMembership],
    ['matching', ports.matching, ports.matchingMembership],
    ['worker', ports.worker, ports.workerMembership],
  ] as const;
  for (const [service, grpcPort, membershipPort] of services) {
    config.setIn(['services', service, 'rpc', 'grpcPort'], grpcPort);
    config.setIn(['services', service, 'rpc', 'membershipPort'], membershipPort);
  }
  config.setIn(['services', 'frontend', 'rpc', 'httpPort'], ports.frontendHttp);
  config.setIn(['clusterMetadata', 'clusterInformation', 'active', 'rpcAddress'], `127.0.0.1:${ports.frontend}`);
  config.setIn(['global', 'metrics', 'prometheus', 'listenAddress'], `127.0.0.1:${ports.metrics}`);
  // Profiling is a debugging aid with a fixed port of its own: off.
  config.deleteIn(['global', 'pprof']);
  // Info logs every shard and membership change; warnings are what an operator needs here.
  config.setIn(['log', 'level'], 'warn');
  config.delete('archival');
  config.delete('namespaceDefaults');

  // No dynamic config overrides (the sample's are development switches): the server's defaults, as
  // the temporalio/server image starts with an empty file (docker-compose.yml). Named absolutely:
  // the server reads it relative to its working directory, not to --root.
  const dynamicConfig = path.resolve(dir, 'config', 'dynamicconfig', 'defaults.yaml');
  mkdirSync(path.dirname(dynamicConfig), { recursive: true });
  writeFileSync(dynamicConfig, '');
  config.setIn(['dynamicConfigClient', 'filepath'], dynamicConfig);
  writeFileSync(
    path.join(dir, 'config', `${CONFIG_ENV}.yaml`),
    `# Generated by scripts/lib/temporal-cluster.ts from go.temporal.io/server's config/${CONFIG_ENV}.yaml; rewritten at every start.\n${config.toString()}`,
  );
}

/** Creates the namespace with the Temporal CLI unless it exists. */
async function ensureNamespace(address: string, namespace: string, log: (line: string) => void): Promise<void> {
  const cli = (args: string[]) => run(TEMPORAL_CLI, ['operator', 'namespace', ...args, '--namespace', namespace, '--address', address]);
  try {
    await cli(['describe']);
    return;
  } catch {
    // Not there yet (or the CLI could not tell): create it, which says why if it cannot.
  }
  log(`creating namespace ${namespace}`);
  await cli(['create']);
}
