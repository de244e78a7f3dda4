/**
 * What the benches over the real stack share: the environment they measure in (their own
 * Temporal dev server unless TEMPORAL_ADDRESS names one, a fresh database, the workflows
 * bundled, per-request logs silenced), emails captured in memory or read from the stack's
 * outbox, the API and the worker as processes of their own with the CPU time each uses, a
 * pool of concurrent lanes, and percentiles.
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Mailer, OutgoingEmail } from '../services/notify/mailer';
import { databaseUrlFor, dropDatabase, withServerAdmin, recreateDatabase } from '../scripts/lib/database';
import { findFreePort } from '../scripts/lib/ports';
import { logger } from '../platform/logger';
import { ensureSearchAttributes, startTemporalDevServer, type DevServer } from '../scripts/lib/temporal-dev-server';
import { bundleWorkflowsTo } from '../scripts/lib/workflow-bundle';
import { migrate } from '../scripts/migrate';
import { greenlightClient, succeeded, type GreenlightClient } from '../test/support/api';
import { recipientsOf } from '../test/support/outbox';
import { portalLinkIn } from '../test/support/quote-scenario';
import type { Stack } from '../test/support/stack';
import { processLogPath, WorkerProcesses } from '../test/support/worker-process';

const root = path.resolve(__dirname, '..');

/**
 * BENCH_WORKER_CPU_PROF=<dir>: the worker processes a bench starts with `workerProfiling` in their
 * environment write a V8 CPU profile of each of their threads there when they stop.
 */
const WORKER_CPU_PROFILE_DIR = process.env.BENCH_WORKER_CPU_PROF;
export const workerProfiling: NodeJS.ProcessEnv = WORKER_CPU_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(WORKER_CPU_PROFILE_DIR)}` } : {};

/** Runs `run`, printing its window on the profiles' clock (monotonic, µs) when the workers are profiled: start-up and warm-up are left out when reading them. */
export async function inProfiledWindow<T>(run: () => Promise<T>): Promise<T> {
  const startUs = process.hrtime.bigint() / 1000n;
  const result = await run();
  if (WORKER_CPU_PROFILE_DIR) console.log(`[bench] measured window on the profiles' clock: ${startUs}..${process.hrtime.bigint() / 1000n} µs`);
  return result;
}

export function intFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Emails kept in memory, each handed to whoever waits for its recipient (the local outbox's listing would dominate the figures). */
export class CapturingMailer implements Mailer {
  private readonly waiting = new Map<string, (email: OutgoingEmail) => void>();
  private readonly arrived = new Map<string, OutgoingEmail>();
  private sent = 0;

  constructor(readonly keptDomain: string) {}

  async send(email: OutgoingEmail): Promise<{ id: string }> {
    for (const recipient of email.to) {
      const waiter = this.waiting.get(recipient);
      if (waiter) {
        this.waiting.delete(recipient);
        waiter(email);
      } else if (recipient.endsWith(`@${this.keptDomain}`)) {
        this.arrived.set(recipient, email);
      }
    }
    this.sent += 1;
    return { id: `bench-${this.sent}` };
  }

  nextFor(recipient: string): Promise<OutgoingEmail> {
    const already = this.arrived.get(recipient);
    if (already) {
      this.arrived.delete(recipient);
      return Promise.resolve(already);
    }
    return new Promise((resolve) => this.waiting.set(recipient, resolve));
  }
}

/** Sends a document to a recipient of its own at the mailer's domain, and answers the portal link the email carries. */
export async function sendForPortalLink(api: GreenlightClient, mailer: CapturingMailer, publicUrl: string, documentId: string): Promise<string> {
  const recipient = `buyer-${documentId}@${mailer.keptDomain}`;
  const email = mailer.nextFor(recipient);
  await succeeded(api.POST('/v1/documents/{id}/send', { params: { path: { id: documentId } }, body: { to: { email: recipient } } }), 202);
  const link = (await email).html.match(new RegExp(`${publicUrl}/d/[A-Za-z0-9_-]+`))?.[0];
  if (!link) throw new Error('no portal link in the email');
  return link;
}

/**
 * The portal links of the emails the worker sends to the stack's outbox, by recipient. One
 * read serves every lane waiting, and it asks only for the emails since the last: the whole
 * listing grows with every email, and reading it each time would make it the load generator's
 * main work.
 */
export class OutboxLinks {
  private readonly waiting = new Map<string, { resolve: (link: string) => void; reject: (error: Error) => void; until: number }>();
  /** The newest email read: each look asks for those after it, not the whole growing listing. */
  private newest: string | undefined;
  private polling = false;

  constructor(
    private readonly stack: Stack,
    private readonly publicUrl: string,
  ) {}

  /** Sends a document to a recipient of its own and answers the portal link of the email it gets. */
  async sendFor(api: GreenlightClient, documentId: string): Promise<string> {
    const recipient = `buyer-${documentId}@buyer.bench`;
    const link = new Promise<string>((resolve, reject) => this.waiting.set(recipient, { resolve, reject, until: Date.now() + 60_000 }));
    link.catch(() => undefined); // awaited below, after the send (which may fail first)
    await succeeded(api.POST('/v1/documents/{id}/send', { params: { path: { id: documentId } }, body: { to: { email: recipient } } }), 202);
    this.poll();
    return link;
  }

  private poll(): void {
    if (this.polling) return;
    this.polling = true;
    void (async () => {
      while (this.waiting.size > 0) {
        try {
          const fresh = await this.stack.readOutbox(this.newest);
          this.newest = fresh[0]?.id ?? this.newest;
          for (const email of fresh) {
            for (const recipient of recipientsOf(email)) {
              const waiter = this.waiting.get(recipient);
              if (!waiter) continue;
              this.waiting.delete(recipient);
              try {
                waiter.resolve(portalLinkIn(email, this.publicUrl));
              } catch (error) {
                waiter.reject(error as Error);
              }
            }
          }
        } catch (error) {
          for (const waiter of this.waiting.values()) waiter.reject(error as Error);
          this.waiting.clear();
        }
        for (const [recipient, waiter] of this.waiting) {
          if (Date.now() < waiter.until) continue;
          this.waiting.delete(recipient);
          waiter.reject(new Error(`no email to ${recipient} at the outbox within 60 s`));
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      this.polling = false;
    })();
  }
}

/**
 * A tenant of the stack with a salesperson, a customer and its contact, and the quote of three
 * lines (one optional) the API benches send for them, numbered by `index`; `api` speaks to the
 * API at `apiUrl` (the stack's own unless the bench runs another).
 */
export async function benchSeller(stack: Stack, apiUrl = stack.baseUrl) {
  const api = greenlightClient(apiUrl, (await stack.createTenant('Bench Print Shop')).apiKey);
  const user = await succeeded(api.POST('/v1/users', { body: { name: 'Bench Seller', email: 'seller@shop.bench' } }));
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Bench Customer', locale: 'en' } }));
  const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Bench Buyer', email: 'buyer@buyer.bench' } }));
  const quote = (index: number) => ({
    kind: 'quote' as const,
    customerId: customer.id,
    contactId: contact.id,
    assigneeId: user.id,
    lines: [
      { description: `Business cards #${index}`, quantity: 500, unitPrice: 8, taxRate: 20 },
      { description: 'Flyers A5, 135 g', quantity: 1000, unitPrice: 9, taxRate: 20 },
      { description: 'Rush delivery', quantity: 1, unitPrice: 2500, taxRate: 20, optional: true },
    ],
  });
  return { api, quote };
}

/** Polls `url` until it answers 2xx; a child that exits meanwhile fails the bench with where its log is. */
async function untilServing(stack: Stack, name: string, child: ChildProcess, url: string): Promise<void> {
  const until = Date.now() + 120_000;
  while (!(await fetch(url).then((answer) => answer.ok, () => false))) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): see ${processLogPath(stack, name)}`);
    if (Date.now() > until) throw new Error(`${name} not serving ${url} after 2 minutes: see ${processLogPath(stack, name)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The stack laid out as production runs it (the stack started with `inProcessWorker: false`):
 * the API (api/server.ts) in a process of its own, serving once `seed` has what the bench
 * needs, then the worker (workers/main.ts, the real activities, mail to the stack's outbox) in
 * another — started after `seed`, so its sweepers look after the tenants it made (stack.env).
 * Emails carry links to that API; per-request logs stay silenced unless LOG_LEVEL asks for
 * them. `apiEnv` and `workerEnv` add to the API's and the worker's environments. `children.stopAll()` ends both.
 */
export async function startApiAndWorker<T>(
  stack: Stack,
  children: WorkerProcesses,
  options: { apiEnv?: NodeJS.ProcessEnv; workerEnv?: NodeJS.ProcessEnv },
  seed: (apiUrl: string) => Promise<T>,
): Promise<{ apiUrl: string; api: ChildProcess; worker: ChildProcess; seeded: T }> {
  const [apiPort, healthPort] = await Promise.all([findFreePort(), findFreePort()]);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const shared = { PUBLIC_URL: apiUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  const api = children.startApi(stack, 'bench-api', { ...shared, ...options.apiEnv, PORT: String(apiPort) });
  await untilServing(stack, 'bench-api', api, `${apiUrl}/readyz`);
  const seeded = await seed(apiUrl);
  const worker = children.start(stack, 'bench-worker', { ...shared, ...options.workerEnv, WORKER_HEALTH_PORT: String(healthPort) });
  await untilServing(stack, 'bench-worker', worker, `http://127.0.0.1:${healthPort}/healthz`);
  return { apiUrl, api, worker, seeded };
}

/** CPU time (user + system, every thread) the process has used so far, in ms: /proc/<pid>/stat counts it in ticks of 10 ms (USER_HZ). */
function cpuMsOf(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0; // a PostgreSQL backend that ended meanwhile (its time is lost to the figure)
  }
  // After the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The CPU ms of each PostgreSQL backend serving the bench's database; none when PostgreSQL runs elsewhere (its pids are not this machine's). */
async function databaseCpuMs(stack: Stack): Promise<Map<number, number>> {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(stack.config.databaseUrl).hostname)) return new Map();
  const backends = await stack.prisma.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
  return new Map(backends.map(({ pid }) => [pid, cpuMsOf(pid)]));
}

/** What a run is charged with: child processes by name, PostgreSQL's backends serving the stack's database if given, and this process (the load generator). */
export interface ChargedProcesses {
  children: Record<string, ChildProcess>;
  database?: Stack;
}

export interface MeasuredRun extends RunResult {
  /** CPU ms per completed task, of each process by name ('PostgreSQL' and 'load generator' among them); undefined when it could not be read. */
  cpuMsPerTask: Record<string, number | undefined>;
}

/** Runs `run` and charges each process's CPU time (from /proc) over it to its completed tasks. */
export async function measured(processes: ChargedProcesses, run: () => Promise<RunResult>): Promise<MeasuredRun> {
  const names = Object.keys(processes.children);
  const cpu = async () => ({
    children: names.map((name) => cpuMsOf(processes.children[name]?.pid as number)),
    database: processes.database ? await databaseCpuMs(processes.database) : new Map<number, number>(),
    self: process.cpuUsage(),
  });
  const before = await cpu();
  const result = await run();
  const after = await cpu();
  const self = process.cpuUsage(before.self);
  // Backends started during the run count from their start.
  const database = [...after.database].reduce((sum, [pid, ms]) => sum + ms - (before.database.get(pid) ?? 0), 0);
  const perTask = (ms: number) => ms / Math.max(1, result.latenciesMs.length);
  const cpuMsPerTask: Record<string, number | undefined> = Object.fromEntries(names.map((name, index) => [name, perTask((after.children[index] ?? 0) - (before.children[index] ?? 0))]));
  if (processes.database) cpuMsPerTask.PostgreSQL = after.database.size > 0 ? perTask(database) : undefined;
  cpuMsPerTask['load generator'] = perTask((self.user + self.system) / 1000);
  return { ...result, cpuMsPerTask };
}

/** `CPU per <task>: API process 1.20 ms, …` and the load average, as lines to print under a run's figures. */
export function cpuAndLoadLines(result: MeasuredRun, task: string): string {
  const parts = Object.entries(result.cpuMsPerTask).map(([name, ms]) => `${name} ${ms === undefined ? 'n/a' : `${ms.toFixed(2)} ms`}`);
  return (
    `\n  CPU per ${task}: ${parts.join(', ')}` +
    `\n  load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(', ')}`
  );
}

export interface RunResult {
  seconds: number;
  latenciesMs: number[];
  failures: number;
}

/** How much a pool runs: so many tasks, or as many as fit in so many seconds. */
export type RunBudget = { count: number } | { seconds: number };

/** Runs tasks `concurrency` at a time within the budget; each returns its measured latency (ms) or throws. */
export async function runPool(budget: RunBudget, concurrency: number, task: (index: number) => Promise<number>): Promise<RunResult> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const more = 'count' in budget ? () => next < budget.count : () => performance.now() - started < budget.seconds * 1000;
  const lane = async () => {
    while (more()) {
      const index = next++;
      try {
        latenciesMs.push(await task(index));
      } catch (error) {
        failures += 1;
        if (failures <= 3) console.error(`  run ${index} failed: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { seconds: (performance.now() - started) / 1000, latenciesMs, failures };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil(p * sortedMs.length) - 1)] ?? Number.NaN;
}

export interface BenchEnvironment {
  temporalAddress: string;
  databaseUrl: string;
  /** The run's own folder (.data/bench/run-<pid>): logs and bundles. */
  runDir: string;
  /** Each extra workflow file bundled beside Greenlight's, by the path given. */
  bundles: Map<string, string>;
  /** The dev server the bench started, whose CPU a run may charge; absent when TEMPORAL_ADDRESS names a server. */
  temporalServer?: ChildProcess;
}

/**
 * Runs `measure` in an environment of its own: Temporal (a dev server of the bench's own on a
 * free port, or TEMPORAL_ADDRESS), a database of the run's own (`database` and this process's pid:
 * two benches at once never drop each other's) made fresh and migrated, Greenlight's
 * workflows bundled (WORKFLOW_BUNDLE_PATH) with any `extraBundles`, and process.env pointing
 * there for startStack. Portal rate limits are lifted (the load comes from one IP and a few
 * links, which is not what is measured) and per-request logs silenced (a log line per request
 * is measured work of its own, and buries the figures) unless LOG_LEVEL asks for them.
 * Everything is removed afterwards.
 */
export async function inBenchEnvironment<T>(
  options: { database: string; extraBundles?: string[] },
  measure: (environment: BenchEnvironment) => Promise<T>,
): Promise<T> {
  const runDir = path.join(root, '.data', 'bench', `run-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  process.env.PORTAL_RATE_LIMIT_PER_IP = '1000000';
  process.env.PORTAL_RATE_LIMIT_PER_TOKEN = '1000000';
  if (!process.env.LOG_LEVEL) logger.level = 'warn';

  let temporal: DevServer | undefined;
  const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/greenlight';
  const database = `${options.database}_${process.pid}`;
  const databaseUrl = databaseUrlFor(serverUrl, database);
  try {
    const given = process.env.TEMPORAL_ADDRESS;
    console.log(`[bench] ${given ? `using Temporal at ${given}` : 'starting a Temporal dev server'}, a fresh database and bundling the workflows…`);
    const extra = options.extraBundles ?? [];
    const [temporalAddress, , quoteBundle, ...extraBundles] = await Promise.all([
      given
        ? // Bundling and migrating run beside it: on a busy machine a first connection can take seconds.
          ensureSearchAttributes(given, 'default', 30_000).then(() => given)
        : startBenchTemporal(runDir).then((server) => {
            temporal = server;
            return server.address;
          }),
      withServerAdmin(serverUrl, (admin) => recreateDatabase(admin, database)).then(() => migrate(databaseUrl)),
      bundleWorkflowsTo(path.join(runDir, 'quote-bundle.js'), path.join(root, 'workflows', 'index.ts')),
      ...extra.map((source, index) => bundleWorkflowsTo(path.join(runDir, `extra-bundle-${index}.js`), source)),
    ]);
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: temporalAddress,
      DATABASE_URL: databaseUrl,
      WORKFLOW_BUNDLE_PATH: quoteBundle,
      GREENLIGHT_TEST_RUN_DIR: runDir,
    });
    return await measure({
      temporalAddress,
      databaseUrl,
      runDir,
      bundles: new Map(extra.map((source, index) => [source, extraBundles[index] as string])),
      ...(temporal ? { temporalServer: temporal.child } : {}),
    });
  } finally {
    await temporal?.stop();
    await dropDatabase(serverUrl, database).catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** A dev server of the bench's own on a free port, its log in the run's folder. */
async function startBenchTemporal(runDir: string): Promise<DevServer> {
  const temporalLog = createWriteStream(path.join(runDir, 'temporal.log'));
  return startTemporalDevServer({
    port: await findFreePort(),
    onOutput: (child) => {
      child.stdout?.pipe(temporalLog);
      child.stderr?.pipe(temporalLog);
    },
  });
}

/** Runs a bench's main and exits with its outcome (open handles of the stack would keep the process alive). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('[bench] failed:', error);
      process.exit(1);
    },
  );
}
