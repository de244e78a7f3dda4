/**
 * `make start` and `make cluster`: Greenlight on one machine, under one supervisor, in one of
 * two topologies (README, "Quick start" and "Running in production"):
 *   - embedded (`make start`): the Temporal dev server (state in .data/temporal.db, Web UI on
 *     :8233), one worker, one API on PORT;
 *   - cluster (`make cluster`): Temporal's own server on PostgreSQL (scripts/lib/temporal-cluster.ts),
 *     two workers, two APIs behind the local load balancer on PORT (devtools/load-balancer/),
 *     whose /healthz answers for the whole cluster.
 * Either way: no Temporal started when TEMPORAL_ADDRESS names one; the local stand-ins (mail
 * outbox, GetAccept, Stripe) unless configured away; a demo tenant on the first start; where to
 * click; everything stopped on Ctrl-C or SIGTERM — children first, Temporal last. Restart
 * policy: scripts/lib/supervisor.ts.
 *
 *   node --import tsx scripts/start.ts [cluster]
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../platform/config';
import { MALLOC_ENV } from '../platform/malloc';
import { WORKER_HEAP_FLAGS } from '../workers/heap';
import { prefixLines } from './lib/child-process';
import { isPortTaken } from './lib/ports';
import { SupervisedChild } from './lib/supervisor';
import { startTemporalCluster, temporalClusterPorts, temporalDatabaseNames } from './lib/temporal-cluster';
import { ensureSearchAttributes, startTemporalDevServer } from './lib/temporal-dev-server';
import { bundleWorkflowsTo } from './lib/workflow-bundle';
import { registerStandInWebhooks } from '../devtools/getaccept/register-webhooks';

const root = path.resolve(__dirname, '..');
const TEMPORAL_UI_PORT = 8233;

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface PortNeed {
  port: number;
  what: string;
  instead: string;
}

interface RunningTemporal {
  address: string;
  uiUrl?: string;
  stop(graceMs?: number): Promise<void>;
}

/** A worker or API process (or the load balancer): its entry and what its environment adds. */
interface AppProcess {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  /** node's own flags (a worker's heap sizes, workers/heap.ts). */
  nodeFlags?: readonly string[];
}

/** What differs between `make start` and `make cluster`; everything else is the same supervisor. */
interface Topology {
  /** The make target that starts it. */
  command: 'start' | 'cluster';
  /** The ports its own processes bind (the stand-ins' are common). */
  ports: PortNeed[];
  /** Starts Temporal (when TEMPORAL_ADDRESS names none); `onOutput` receives the server's process. */
  startTemporal(onOutput: (child: ChildProcess) => void): Promise<RunningTemporal>;
  /** The worker, API and load balancer processes. */
  processes(): Promise<AppProcess[]>;
  /** 200 there means up. */
  readyUrl: string;
  readyTimeoutMs: number;
  /** Banner lines saying what runs where. */
  describe(temporal: { address: string; uiUrl?: string }): string[];
}

function embeddedTopology(config: Config, temporalPort: number): Topology {
  return {
    command: 'start',
    ports: [
      { port: config.port, what: 'the API', instead: `set PORT=${config.port + 1} (or stop what holds it)` },
      ...(process.env.TEMPORAL_ADDRESS
        ? []
        : [
            { port: temporalPort, what: 'Temporal (gRPC)', instead: `if a Temporal server runs there, use it: TEMPORAL_ADDRESS=127.0.0.1:${temporalPort}; else set TEMPORAL_PORT` },
            { port: TEMPORAL_UI_PORT, what: 'the Temporal Web UI', instead: 'stop what holds it, or point TEMPORAL_ADDRESS at a Temporal server already running' },
          ]),
    ],
    startTemporal: (onOutput) => {
      log(`[supervisor] starting Temporal (state in ${path.join(config.dataDir, 'temporal.db')})…`);
      return startTemporalDevServer({
        port: temporalPort,
        uiPort: TEMPORAL_UI_PORT,
        dbFilename: path.join(config.dataDir, 'temporal.db'),
        detached: true,
        onOutput,
      });
    },
    processes: async () => [
      { name: 'worker', entry: 'workers/main.ts', env: {}, nodeFlags: WORKER_HEAP_FLAGS },
      { name: 'api', entry: 'api/server.ts', env: {} },
    ],
    readyUrl: `http://127.0.0.1:${config.port}/readyz`,
    readyTimeoutMs: 120_000,
    describe: (temporal) => [`  Temporal         ${temporal.address}${temporal.uiUrl ? `   Web UI: ${temporal.uiUrl}` : ''}`],
  };
}

const CLUSTER_SIZE = 2;

/** Load balancer on PORT, the APIs on the next ports, then the workers' health endpoints. */
function clusterTopology(config: Config, temporalPort: number): Topology {
  const apiPorts = Array.from({ length: CLUSTER_SIZE }, (_, i) => config.port + 1 + i);
  const workerHealthPorts = Array.from({ length: CLUSTER_SIZE }, (_, i) => config.port + 1 + CLUSTER_SIZE + i);
  const shiftPort = `set PORT (the cluster takes PORT to PORT+${2 * CLUSTER_SIZE})`;
  const temporalPorts = temporalClusterPorts(temporalPort);
  const temporalDatabases = temporalDatabaseNames(config.databaseUrl);
  return {
    command: 'cluster',
    ports: [
      { port: config.port, what: 'the load balancer', instead: shiftPort },
      ...apiPorts.map((port, i) => ({ port, what: `API ${i + 1}`, instead: shiftPort })),
      ...workerHealthPorts.map((port, i) => ({ port, what: `worker ${i + 1}'s health endpoint`, instead: shiftPort })),
      ...(process.env.TEMPORAL_ADDRESS
        ? []
        : Object.entries(temporalPorts).map(([name, port]) => ({
            port,
            what: `Temporal (${name})`,
            instead: `set TEMPORAL_PORT (the server takes TEMPORAL_PORT to TEMPORAL_PORT+${Object.keys(temporalPorts).length - 1})`,
          }))),
    ],
    startTemporal: (onOutput) => {
      log(`[supervisor] starting Temporal's server on PostgreSQL (databases ${temporalDatabases.persistence}, ${temporalDatabases.visibility})…`);
      return startTemporalCluster({
        port: temporalPort,
        databaseUrl: config.databaseUrl,
        dir: path.join(config.dataDir, 'temporal'),
        namespace: config.temporalNamespace,
        onOutput,
        log: (line) => log(`[supervisor] ${line}`),
      });
    },
    processes: async () => {
      // Bundled once here rather than by each worker at its start (webpack, on shared cores).
      log('[supervisor] bundling the workflows for the workers…');
      const bundlePath = await bundleWorkflowsTo(path.join(config.dataDir, 'workflow-bundle.js'), path.join(root, 'workflows', 'index.ts'));
      const apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
      return [
        ...workerHealthPorts.map((port, i) => ({
          name: `worker-${i + 1}`,
          entry: 'workers/main.ts',
          env: { WORKER_HEALTH_PORT: String(port), WORKFLOW_BUNDLE_PATH: bundlePath },
          nodeFlags: WORKER_HEAP_FLAGS,
        })),
        // Behind one more proxy: the audit trail and the portal's per-IP limit see the client's address.
        ...apiPorts.map((port, i) => ({ name: `api-${i + 1}`, entry: 'api/server.ts', env: { PORT: String(port), TRUST_PROXY_HOPS: String(config.trustProxyHops + 1) } })),
        {
          name: 'load-balancer',
          entry: 'devtools/load-balancer/server.ts',
          env: { CLUSTER_API_URLS: apiUrls.join(','), CLUSTER_WORKER_HEALTH_URLS: workerHealthPorts.map((port) => `http://127.0.0.1:${port}/healthz`).join(',') },
        },
      ];
    },
    readyUrl: `http://127.0.0.1:${config.port}/healthz`,
    // The first run creates and migrates Temporal's databases.
    readyTimeoutMs: 300_000,
    describe: (temporal) => [
      `  Processes        load balancer :${config.port} (GET /healthz: the whole cluster) → APIs :${apiPorts.join(', :')}; ${CLUSTER_SIZE} workers (health :${workerHealthPorts.join(', :')})`,
      process.env.TEMPORAL_ADDRESS
        ? `  Temporal         ${temporal.address}`
        : `  Temporal         ${temporal.address}   (temporal-server, PostgreSQL ${temporalDatabases.persistence} + ${temporalDatabases.visibility}; .tools/bin/temporal workflow list --address ${temporal.address})`,
    ],
  };
}

async function refuseTakenPorts(needs: PortNeed[]): Promise<void> {
  const taken = [];
  for (const need of needs) if (await isPortTaken(need.port)) taken.push(need);
  if (taken.length === 0) return;
  for (const need of taken) console.error(`Port ${need.port} (${need.what}) is already in use: ${need.instead}.`);
  process.exit(1);
}

/** The stand-ins' ports: they run in both topologies. */
function standInPorts(config: Config, startsOutbox: boolean): PortNeed[] {
  const needs: PortNeed[] = [];
  if (startsOutbox) needs.push({ port: config.outboxPort, what: 'the mail outbox', instead: `set OUTBOX_PORT=${config.outboxPort + 1}` });
  if (config.stripe.local) needs.push({ port: config.stripe.standInPort, what: 'the Stripe stand-in', instead: `set STRIPE_STANDIN_PORT=${config.stripe.standInPort + 1}` });
  if (config.getaccept.local) {
    needs.push({ port: config.getaccept.standInPort, what: 'the GetAccept stand-in', instead: `set GETACCEPT_STANDIN_PORT=${config.getaccept.standInPort + 1}` });
  }
  return needs;
}

/** ADMIN_TOKEN from the environment, else the one generated on the first start and kept. */
function adminToken(dataDir: string): string {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const file = path.join(dataDir, 'admin-token');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

async function waitUntilReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String((error as Error).cause ?? error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s (last answer: ${last})`);
}

/**
 * The demo tenant's API key, created through the API on the first start. Recreated when the
 * key no longer opens anything (the database was reset since).
 */
async function demoApiKey(baseUrl: string, dataDir: string, token: string): Promise<{ apiKey: string; created: boolean }> {
  const file = path.join(dataDir, 'demo-api-key');
  if (existsSync(file)) {
    const apiKey = readFileSync(file, 'utf8').trim();
    const probe = await fetch(`${baseUrl}/v1/settings`, { headers: { authorization: `Bearer ${apiKey}` } });
    if (probe.status !== 401) return { apiKey, created: false };
  }
  const response = await fetch(`${baseUrl}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Demo Print Shop', locale: 'fr', currency: 'EUR' }),
  });
  if (response.status !== 201) throw new Error(`creating the demo tenant failed: ${response.status} ${await response.text()}`);
  const { apiKey } = (await response.json()) as { apiKey: string };
  writeFileSync(file, `${apiKey}\n`, { mode: 0o600 });
  return { apiKey, created: true };
}

function banner(config: Config, topology: Topology, temporal: { address: string; uiUrl?: string }, apiKey: string, token: string, outbox: boolean): string {
  const api = `http://localhost:${config.port}`;
  return [
    '',
    'Greenlight is running.',
    `  API              ${api}/v1            (OpenAPI: ${api}/v1/openapi.json)`,
    `  API reference    ${api}/docs`,
    `  Customer portal  ${config.publicUrl}/d/<token>   (the links in the emails)`,
    outbox ? `  Mail outbox      ${api}/dev/outbox` : '  Mail             sent through Resend (RESEND_API_KEY)',
    ...topology.describe(temporal),
    config.getaccept.local
      ? `  GetAccept        http://127.0.0.1:${config.getaccept.standInPort}   (local stand-in: documents out for signature, their signing pages)`
      : `  GetAccept        ${config.getaccept.apiUrl}`,
    config.stripe.local
      ? `  Stripe           ${config.stripe.apiUrl}   (local stand-in: test cards 4242… pays, 4000 0000 0000 0002 is declined)`
      : `  Stripe           ${config.stripe.apiUrl}`,
    `  Demo API key     ${apiKey}`,
    `  Admin token      ${token}   (POST /v1/tenants)`,
    '',
    `  Try: curl -H "Authorization: Bearer ${apiKey}" ${api}/v1/documents`,
    `  Ctrl-C stops everything; the next \`make ${topology.command}\` finds every document where it was.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const temporalPort = Number(process.env.TEMPORAL_PORT || 7233);
  if (!Number.isInteger(temporalPort) || temporalPort < 1) throw new Error(`TEMPORAL_PORT must be a port number, got "${process.env.TEMPORAL_PORT}"`);
  const topology = process.argv[2] === 'cluster' ? clusterTopology(config, temporalPort) : embeddedTopology(config, temporalPort);
  const startsOutbox = !process.env.RESEND_API_KEY;
  await refuseTakenPorts([...topology.ports, ...standInPorts(config, startsOutbox)]);
  const token = adminToken(config.dataDir);

  let temporal: RunningTemporal | undefined;
  const children: SupervisedChild[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (exitCode: number, reason?: string): Promise<void> =>
    (stopping ??= (async () => {
      if (reason) console.error(`\n[supervisor] ${reason}`);
      log(`[supervisor] stopping ${children.map((child) => child.name).join(', ') || 'children'}…`);
      await Promise.all(children.map((child) => child.stop()));
      if (temporal) {
        log('[supervisor] stopping Temporal…');
        await temporal.stop(15_000);
      }
      log('[supervisor] stopped.');
      process.exit(exitCode);
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));

  try {
    let temporalAddress = config.temporalAddress;
    if (process.env.TEMPORAL_ADDRESS) {
      await ensureSearchAttributes(temporalAddress, config.temporalNamespace);
    } else {
      temporal = await topology.startTemporal((child) => {
        // Once we stop it, its goodbye warnings (workers losing their connection) are noise.
        const temporalLog = (line: string) => stopping === undefined && log(line);
        prefixLines(child.stdout, '[temporal]', temporalLog);
        prefixLines(child.stderr, '[temporal]', temporalLog);
      });
      temporalAddress = temporal.address;
    }

    // Every process links to the same public address (the load balancer's, in a cluster).
    const env = { ...MALLOC_ENV, ...process.env, ADMIN_TOKEN: token, TEMPORAL_ADDRESS: temporalAddress, DATA_DIR: config.dataDir, PUBLIC_URL: config.publicUrl, FORCE_COLOR: '0' };
    // `node --import tsx` rather than the tsx CLI: one process per child, so signals reach it directly.
    const tsChild = ({ name, entry, env: own, nodeFlags = [] }: AppProcess) =>
      new SupervisedChild({ name, command: process.execPath, args: [...nodeFlags, '--import', 'tsx', entry], env: { ...env, ...own }, cwd: root }, log, (reason) => void stopAll(1, reason));
    if (startsOutbox) children.push(tsChild({ name: 'outbox', entry: 'devtools/outbox/server.ts', env: {} }));
    // Without GETACCEPT_API_KEY, digital signing goes to the local GetAccept stand-in.
    if (config.getaccept.local) children.push(tsChild({ name: 'getaccept', entry: 'devtools/getaccept/server.ts', env: {} }));
    // Without STRIPE_API_URL, invoices are paid on the local Stripe stand-in (test cards; its webhooks signed to /webhooks/stripe).
    if (config.stripe.local) children.push(tsChild({ name: 'stripe', entry: 'devtools/stripe/server.ts', env: {} }));
    children.push(...(await topology.processes()).map(tsChild));
    for (const child of children) child.start();

    const apiUrl = `http://127.0.0.1:${config.port}`;
    await waitUntilReady(topology.readyUrl, topology.readyTimeoutMs);
    const demo = await demoApiKey(apiUrl, config.dataDir, token);
    if (demo.created) log('[supervisor] created the demo tenant "Demo Print Shop"');
    if (demo.created && config.getaccept.local) {
      await registerStandInWebhooks({ greenlightUrl: apiUrl, apiKey: demo.apiKey, standInApiUrl: config.getaccept.apiUrl, standInKey: config.getaccept.accessToken });
      log(`[supervisor] GetAccept stand-in at http://127.0.0.1:${config.getaccept.standInPort} posts its events to the demo tenant`);
    }
    log(banner(config, topology, { address: temporalAddress, uiUrl: temporal?.uiUrl }, demo.apiKey, token, startsOutbox));
  } catch (error) {
    await stopAll(1, `could not start: ${(error as Error).message}`);
  }
}

void main();
