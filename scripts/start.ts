/**
 * `make start`: Greenlight on one machine. Starts the Temporal dev server (state in
 * .data/temporal.db, Web UI on :8233) unless TEMPORAL_ADDRESS names one, then the local mail
 * outbox, the worker and the API as supervised children; creates a demo tenant on first
 * start; prints where to click; stops everything on Ctrl-C or SIGTERM — children first,
 * Temporal last. Restart policy: scripts/lib/supervisor.ts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../platform/config';
import { prefixLines } from './lib/child-process';
import { isPortTaken } from './lib/ports';
import { SupervisedChild } from './lib/supervisor';
import { ensureSearchAttributes, startTemporalDevServer, type DevServer } from './lib/temporal-dev-server';
import { registerStandInWebhooks } from '../devtools/getaccept/register-webhooks';

const root = path.resolve(__dirname, '..');
const TEMPORAL_PORT = 7233;
const TEMPORAL_UI_PORT = 8233;
const HEALTH_TIMEOUT_MS = 120_000;

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface PortNeed {
  port: number;
  what: string;
  instead: string;
}

/** Every port we are about to bind, each with the setting that avoids it. */
function portsNeeded(config: Config, startsTemporal: boolean, startsOutbox: boolean): PortNeed[] {
  const needs: PortNeed[] = [{ port: config.port, what: 'the API', instead: `set PORT=${config.port + 1} (or stop what holds it)` }];
  if (startsOutbox) needs.push({ port: config.outboxPort, what: 'the mail outbox', instead: `set OUTBOX_PORT=${config.outboxPort + 1}` });
  if (config.stripe.local) needs.push({ port: config.stripe.standInPort, what: 'the Stripe stand-in', instead: `set STRIPE_STANDIN_PORT=${config.stripe.standInPort + 1}` });
  if (config.getaccept.local) {
    needs.push({ port: config.getaccept.standInPort, what: 'the GetAccept stand-in', instead: `set GETACCEPT_STANDIN_PORT=${config.getaccept.standInPort + 1}` });
  }
  if (startsTemporal) {
    needs.push(
      { port: TEMPORAL_PORT, what: 'Temporal (gRPC)', instead: `if a Temporal server runs there, use it: TEMPORAL_ADDRESS=127.0.0.1:${TEMPORAL_PORT}` },
      { port: TEMPORAL_UI_PORT, what: 'the Temporal Web UI', instead: 'stop what holds it, or point TEMPORAL_ADDRESS at a Temporal server already running' },
    );
  }
  return needs;
}

async function refuseTakenPorts(needs: PortNeed[]): Promise<void> {
  const taken = [];
  for (const need of needs) if (await isPortTaken(need.port)) taken.push(need);
  if (taken.length === 0) return;
  for (const need of taken) console.error(`Port ${need.port} (${need.what}) is already in use: ${need.instead}.`);
  process.exit(1);
}

/** ADMIN_TOKEN from the environment, else the one generated on the first start and kept. */
function adminToken(dataDir: string): string {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const file = path.join(dataDir, 'admin-token');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

async function waitForHealth(baseUrl: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String((error as Error).cause ?? error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the API did not become healthy within ${HEALTH_TIMEOUT_MS / 1000} s (last answer: ${last})`);
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

function banner(config: Config, temporal: { address: string; uiUrl?: string }, apiKey: string, token: string, outbox: boolean): string {
  const api = `http://localhost:${config.port}`;
  return [
    '',
    'Greenlight is running.',
    `  API              ${api}/v1            (OpenAPI: ${api}/v1/openapi.json)`,
    `  Customer portal  ${config.publicUrl}/d/<token>   (the links in the emails)`,
    outbox ? `  Mail outbox      ${api}/dev/outbox` : '  Mail             sent through Resend (RESEND_API_KEY)',
    `  Temporal         ${temporal.address}${temporal.uiUrl ? `   Web UI: ${temporal.uiUrl}` : ''}`,
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
    '  Ctrl-C stops everything; the next `make start` finds every document where it was.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const startsTemporal = !process.env.TEMPORAL_ADDRESS;
  const startsOutbox = !process.env.RESEND_API_KEY;
  await refuseTakenPorts(portsNeeded(config, startsTemporal, startsOutbox));
  const token = adminToken(config.dataDir);

  let temporal: DevServer | undefined;
  const children: SupervisedChild[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (exitCode: number, reason?: string): Promise<void> =>
    (stopping ??= (async () => {
      if (reason) console.error(`\n[supervisor] ${reason}`);
      log('[supervisor] stopping api, worker and outbox…');
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
    if (startsTemporal) {
      log(`[supervisor] starting Temporal (state in ${path.join(config.dataDir, 'temporal.db')})…`);
      temporal = await startTemporalDevServer({
        port: TEMPORAL_PORT,
        uiPort: TEMPORAL_UI_PORT,
        dbFilename: path.join(config.dataDir, 'temporal.db'),
        detached: true,
        onOutput: (child) => {
          // Once we stop it, its goodbye warnings (workers losing their connection) are noise.
          const temporalLog = (line: string) => stopping === undefined && log(line);
          prefixLines(child.stdout, '[temporal]', temporalLog);
          prefixLines(child.stderr, '[temporal]', temporalLog);
        },
      });
      temporalAddress = temporal.address;
    } else {
      await ensureSearchAttributes(temporalAddress, config.temporalNamespace);
    }

    const env = { ...process.env, ADMIN_TOKEN: token, TEMPORAL_ADDRESS: temporalAddress, DATA_DIR: config.dataDir, FORCE_COLOR: '0' };
    // `node --import tsx` rather than the tsx CLI: one process per child, so signals reach it directly.
    const tsChild = (name: string, entry: string) =>
      new SupervisedChild({ name, command: process.execPath, args: ['--import', 'tsx', entry], env, cwd: root }, log, (reason) => void stopAll(1, reason));
    if (startsOutbox) children.push(tsChild('outbox', 'devtools/outbox/server.ts'));
    // Without GETACCEPT_API_KEY, digital signing goes to the local GetAccept stand-in.
    if (config.getaccept.local) children.push(tsChild('getaccept', 'devtools/getaccept/server.ts'));
    // Without STRIPE_API_URL, invoices are paid on the local Stripe stand-in (test cards; its webhooks signed to /webhooks/stripe).
    if (config.stripe.local) children.push(tsChild('stripe', 'devtools/stripe/server.ts'));
    children.push(tsChild('worker', 'workers/main.ts'), tsChild('api', 'api/server.ts'));
    for (const child of children) child.start();

    const apiUrl = `http://127.0.0.1:${config.port}`;
    await waitForHealth(apiUrl);
    const demo = await demoApiKey(apiUrl, config.dataDir, token);
    if (demo.created) log('[supervisor] created the demo tenant "Demo Print Shop"');
    if (demo.created && config.getaccept.local) {
      await registerStandInWebhooks({ greenlightUrl: apiUrl, apiKey: demo.apiKey, standInApiUrl: config.getaccept.apiUrl, standInKey: config.getaccept.accessToken });
      log(`[supervisor] GetAccept stand-in at http://127.0.0.1:${config.getaccept.standInPort} posts its events to the demo tenant`);
    }
    log(banner(config, { address: temporalAddress, uiUrl: temporal?.uiUrl }, demo.apiKey, token, startsOutbox));
  } catch (error) {
    await stopAll(1, `could not start: ${(error as Error).message}`);
  }
}

void main();
