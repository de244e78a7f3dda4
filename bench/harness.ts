/**
 * What the benches over the real stack share: the environment they measure in (their own
 * Temporal dev server unless TEMPORAL_ADDRESS names one, a fresh database, the workflows
 * bundled, per-request logs silenced), emails captured in memory, a pool of concurrent lanes,
 * and percentiles.
 */
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
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
import type { Stack } from '../test/support/stack';

const root = path.resolve(__dirname, '..');

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
}

/**
 * Runs `measure` in an environment of its own: Temporal (a dev server of the bench's own on a
 * free port, or TEMPORAL_ADDRESS), the database `database` made fresh and migrated, Greenlight's
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
  const databaseUrl = databaseUrlFor(serverUrl, options.database);
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
      withServerAdmin(serverUrl, (admin) => recreateDatabase(admin, options.database)).then(() => migrate(databaseUrl)),
      bundleWorkflowsTo(path.join(runDir, 'quote-bundle.js'), path.join(root, 'workflows', 'index.ts')),
      ...extra.map((source, index) => bundleWorkflowsTo(path.join(runDir, `extra-bundle-${index}.js`), source)),
    ]);
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: temporalAddress,
      DATABASE_URL: databaseUrl,
      WORKFLOW_BUNDLE_PATH: quoteBundle,
      GREENLIGHT_TEST_RUN_DIR: runDir,
    });
    return await measure({ temporalAddress, databaseUrl, runDir, bundles: new Map(extra.map((source, index) => [source, extraBundles[index] as string])) });
  } finally {
    await temporal?.stop();
    await dropDatabase(serverUrl, options.database).catch(() => undefined);
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
