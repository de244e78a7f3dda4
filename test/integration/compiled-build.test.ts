/**
 * What production runs: `npm run build` (scripts/build.ts), then the compiled worker and API
 * started with plain node — no tsx, no TypeScript — in production mode against the test
 * Temporal and PostgreSQL. The worker loads the workflow bundle the build made instead of
 * bundling at start, the API answers /readyz, and a quote sent through the compiled API is
 * emailed by the compiled worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { stopChild } from '../../scripts/lib/child-process';
import { findFreePort } from '../../scripts/lib/ports';
import { eventually } from '../support/eventually';
import { testRunDir } from '../support/harness-state';
import { greenlightClient, succeeded } from '../support/api';
import { createQuoteScenario, emailTo } from '../support/quote-scenario';
import { PRODUCTION_ENV, startStack, type Stack } from '../support/stack';

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(root, 'dist');
/** tsc and webpack on shared cores. */
const BUILD_TIMEOUT_MS = 600_000;

let stack: Stack;
const children: ChildProcess[] = [];

/** Runs to completion, its output in the test run's folder; rejects naming the log when it fails. */
function run(name: string, args: string[]): Promise<void> {
  const log = path.join(testRunDir(), `${name}.log`);
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(createWriteStream(log));
  child.stderr.pipe(createWriteStream(log, { flags: 'a' }));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited with ${code}; see ${log}`))));
  });
}

/**
 * A compiled entry point under plain node (NODE_OPTIONS cleared: nothing preloaded), its output
 * kept for the test to read and in <test run dir>/<task queue>-compiled-<folder>.log.
 */
function startCompiled(entry: string, env: NodeJS.ProcessEnv): { output: () => string } {
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(dist, entry)], {
    cwd: root,
    // No WORKFLOW_BUNDLE_PATH (the test harness's bundle): the worker finds the build's by itself.
    env: { ...stack.env, ...PRODUCTION_ENV, NODE_OPTIONS: '', WORKFLOW_BUNDLE_PATH: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const log = createWriteStream(path.join(testRunDir(), `${stack.taskQueue}-compiled-${path.basename(path.dirname(entry))}.log`));
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
    });
  }
  return { output: () => output };
}

async function answers(url: string): Promise<true | undefined> {
  const response = await fetch(url);
  return response.ok ? true : undefined;
}

beforeAll(async () => {
  await run('build', ['--import', 'tsx', 'scripts/build.ts']);
  // The compiled worker takes this stack's task queue alone.
  stack = await startStack({ env: PRODUCTION_ENV, inProcessWorker: false });
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all(children.map((child) => stopChild(child)));
  await stack?.close();
});

it('builds dist/ with the compiled entry points, the workflow bundle and the migrations', () => {
  for (const file of ['api/server.js', 'workers/main.js', 'scripts/migrate.js', 'generated/prisma/client.js', 'workflow-bundle.js']) {
    expect(existsSync(path.join(dist, file))).toBe(true);
  }
  expect(existsSync(path.join(dist, 'prisma', 'migrations', 'migration_lock.toml'))).toBe(true);
});

it('runs the compiled worker and API with plain node: the prebuilt workflows, a quote sent and emailed', async () => {
  const [apiPort, healthPort] = await Promise.all([findFreePort(), findFreePort()]);
  const worker = startCompiled('workers/main.js', { WORKER_HEALTH_PORT: String(healthPort) });
  startCompiled('api/server.js', { PORT: String(apiPort) });
  const baseUrl = `http://127.0.0.1:${apiPort}`;

  await eventually(() => answers(`http://127.0.0.1:${healthPort}/healthz`), { what: 'the compiled worker polling' });
  const logLines = worker.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg?: string; bundle?: string });
  expect(logLines).toContainEqual(expect.objectContaining({ msg: 'workflows prebuilt', bundle: path.join(dist, 'workflow-bundle.js') }));
  await eventually(() => answers(`${baseUrl}/readyz`), { what: 'the compiled API ready' });

  const tenant = await greenlightClient(baseUrl, stack.adminToken).POST('/v1/tenants', { body: { name: 'Imprimerie compilée' } });
  expect(tenant.response.status).toBe(201);
  const office = greenlightClient(baseUrl, tenant.data?.apiKey ?? '');
  const quote = await createQuoteScenario(office);
  const theQuote = { params: { path: { id: quote.documentId } } };
  expect((await office.POST('/v1/documents/{id}/send', { ...theQuote, body: {} })).response.status).toBe(202);

  const email = await emailTo(stack.readOutbox, quote.contactEmail);
  expect(email.subject).toContain(quote.number);
  await eventually(async () => ((await succeeded(office.GET('/v1/documents/{id}', theQuote))).status === 'sent' ? true : undefined), {
    what: 'the quote sent',
  });
});
