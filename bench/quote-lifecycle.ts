/**
 * `npm run bench`: what Greenlight costs on this machine, next to what Temporal alone costs.
 *
 * 1. Full quote lifecycles over HTTP against the real stack (API, worker with the real
 *    activities, PostgreSQL, a Temporal dev server): create, send, wait for the email, open
 *    the link (view), accept on the portal — BENCH_CONCURRENCY (20) at once, BENCH_LIFECYCLES
 *    (200) of them after a warm-up. Reports lifecycles per second and p50/p95/p99 of the
 *    accept round trip (portal POST → answer).
 * 2. The same load on a bare workflow (bench/bare-workflow.ts): as many no-op activities per
 *    phase as the quote ran (counted from a real quote's history), the same signal and
 *    update, driven by the Temporal client — the engine's own cost.
 * Then the ratio. TEMPORAL_ADDRESS set: against that Temporal (the cluster's, README "Running
 * in production") instead of a dev server of its own. Emails are captured in memory by a Mailer rather than read back from the
 * local outbox, whose listing grows with every message and would dominate the figures.
 * Prints figures; asserts nothing.
 */
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Mailer, OutgoingEmail } from '../services/notify/mailer';
import { databaseUrlFor, dropDatabase, withServerAdmin, recreateDatabase } from '../scripts/lib/database';
import { findFreePort } from '../scripts/lib/ports';
import { ensureSearchAttributes, startTemporalDevServer, type DevServer } from '../scripts/lib/temporal-dev-server';
import { bundleWorkflowsTo } from '../scripts/lib/workflow-bundle';
import { connectTemporal } from '../platform/temporal';
import { migrate } from '../scripts/migrate';
import { greenlightClient, succeeded } from '../test/support/api';
import { postPortalDecision } from '../test/support/http';
import { startStack } from '../test/support/stack';
import { bareAcceptUpdate, bareViewedSignal, type BarePhases } from './bare-workflow';

const root = path.resolve(__dirname, '..');
const BENCH_DATABASE = 'greenlight_bench';

function intFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

const LIFECYCLES = intFromEnv('BENCH_LIFECYCLES', 200);
const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 20);
const WARMUP = intFromEnv('BENCH_WARMUP', CONCURRENCY);

/** Emails kept in memory, each handed to whoever waits for its recipient. */
class CapturingMailer implements Mailer {
  private readonly waiting = new Map<string, (email: OutgoingEmail) => void>();
  private readonly arrived = new Map<string, OutgoingEmail>();
  private sent = 0;

  async send(email: OutgoingEmail): Promise<{ id: string }> {
    for (const recipient of email.to) {
      const waiter = this.waiting.get(recipient);
      if (waiter) {
        this.waiting.delete(recipient);
        waiter(email);
      } else if (recipient.endsWith('@buyer.bench')) {
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

interface RunResult {
  seconds: number;
  latenciesMs: number[];
  failures: number;
}

/** Runs `count` lifecycles, `concurrency` at a time; each returns its measured latency (ms) or throws. */
async function runPool(count: number, concurrency: number, lifecycle: (index: number) => Promise<number>): Promise<RunResult> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < count) {
      const index = next++;
      try {
        latenciesMs.push(await lifecycle(index));
      } catch (error) {
        failures += 1;
        if (failures <= 3) console.error(`  lifecycle ${index} failed: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { seconds: (performance.now() - started) / 1000, latenciesMs, failures };
}

function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil(p * sortedMs.length) - 1)] ?? Number.NaN;
}

function summarize(label: string, result: RunResult): { perSecond: number; p50: number } {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const perSecond = result.latenciesMs.length / result.seconds;
  const [p50, p95, p99] = [0.5, 0.95, 0.99].map((p) => percentile(sorted, p)) as [number, number, number];
  console.log(
    `${label}\n  ${result.latenciesMs.length} lifecycles in ${result.seconds.toFixed(1)} s, ${CONCURRENCY} at once: ${perSecond.toFixed(2)} lifecycles/s` +
      `${result.failures ? ` (${result.failures} failed)` : ''}\n  accept round trip: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
  );
  return { perSecond, p50 };
}

/** How many activities a finished quote ran before its first view, after it, and from the accept on. */
async function activityPhases(client: Client, workflowId: string): Promise<BarePhases> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const phases: BarePhases = { atStart: 0, afterSignal: 0, inUpdate: 0 };
  let phase: keyof BarePhases = 'atStart';
  for (const event of history.events ?? []) {
    if (event.workflowExecutionSignaledEventAttributes && phase === 'atStart') phase = 'afterSignal';
    if (event.workflowExecutionUpdateAcceptedEventAttributes) phase = 'inUpdate';
    if (event.activityTaskScheduledEventAttributes) phases[phase] += 1;
  }
  return phases;
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

async function main(): Promise<void> {
  const runDir = path.join(root, '.data', 'bench', `run-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  // 20 customers at once from one IP would trip the portal's per-IP limit, which is not what is measured.
  process.env.PORTAL_RATE_LIMIT_PER_IP = '1000000';
  process.env.PORTAL_RATE_LIMIT_PER_TOKEN = '1000000';

  let temporal: DevServer | undefined;
  const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/greenlight';
  const databaseUrl = databaseUrlFor(serverUrl, BENCH_DATABASE);
  try {
    const given = process.env.TEMPORAL_ADDRESS;
    console.log(`[bench] ${given ? `using Temporal at ${given}` : 'starting a Temporal dev server'}, a fresh database and bundling the workflows…`);
    const [temporalAddress, , quoteBundle, bareBundle] = await Promise.all([
      given
        ? ensureSearchAttributes(given).then(() => given)
        : startBenchTemporal(runDir).then((server) => {
            temporal = server;
            return server.address;
          }),
      withServerAdmin(serverUrl, (admin) => recreateDatabase(admin, BENCH_DATABASE)).then(() => migrate(databaseUrl)),
      bundleWorkflowsTo(path.join(runDir, 'quote-bundle.js'), path.join(root, 'workflows', 'index.ts')),
      bundleWorkflowsTo(path.join(runDir, 'bare-bundle.js'), path.join(__dirname, 'bare-workflow.ts')),
    ]);
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: temporalAddress,
      DATABASE_URL: databaseUrl,
      WORKFLOW_BUNDLE_PATH: quoteBundle,
      GREENLIGHT_TEST_RUN_DIR: runDir,
    });

    const mailer = new CapturingMailer();
    const stack = await startStack({ mailer });
    const api = greenlightClient(stack.baseUrl, (await stack.createTenant('Bench Print Shop')).apiKey);
    const user = await succeeded(api.POST('/v1/users', { body: { name: 'Bench Seller', email: 'seller@shop.bench', notify: { viewed: ['email'], decided: ['email'] } } }));
    const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Bench Customer', locale: 'en' } }));
    const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Bench Buyer', email: 'buyer@buyer.bench' } }));

    let lastQuoteId = '';
    const quoteLifecycle = async (index: number): Promise<number> => {
      const lines = [{ description: `Business cards #${index}`, quantity: 500, unitPrice: 8, taxRate: 20 }];
      const quote = await succeeded(api.POST('/v1/documents', { body: { kind: 'quote', customerId: customer.id, contactId: contact.id, assigneeId: user.id, lines } }));
      const recipient = `buyer-${quote.id}@buyer.bench`;
      const email = mailer.nextFor(recipient);
      await succeeded(api.POST('/v1/documents/{id}/send', { params: { path: { id: quote.id } }, body: { to: { email: recipient } } }), 202);
      const link = (await email).html.match(new RegExp(`${stack.config.publicUrl}/d/[A-Za-z0-9_-]+`))?.[0];
      if (!link) throw new Error('no portal link in the email');
      const page = await fetch(link);
      await page.arrayBuffer();
      if (page.status !== 200) throw new Error(`the portal page answered ${page.status}`);
      const started = performance.now();
      const accepted = await postPortalDecision(link, 'accept');
      const latency = performance.now() - started;
      if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
      lastQuoteId = quote.id;
      return latency;
    };

    console.log(`[bench] warm-up: ${WARMUP} quote lifecycles`);
    await runPool(WARMUP, CONCURRENCY, quoteLifecycle);
    console.log(`[bench] measuring ${LIFECYCLES} quote lifecycles`);
    const quoteResult = summarize('Quote lifecycle over HTTP (create, send, email, view, accept):', await runPool(LIFECYCLES, CONCURRENCY, quoteLifecycle));
    const phases = await activityPhases(stack.client, `quote-${lastQuoteId}`);
    await stack.close();
    const temporalClient = await connectTemporal({ temporalAddress, temporalNamespace: 'default' });

    const bareQueue = `bench-bare-${process.pid}`;
    const connection = await NativeConnection.connect({ address: temporalAddress });
    const bareWorker = await Worker.create({
      connection,
      taskQueue: bareQueue,
      workflowBundle: { codePath: bareBundle },
      activities: { noop: async () => undefined },
    });
    const bareRun = bareWorker.run();
    const bareLifecycle = async (index: number): Promise<number> => {
      const handle = await temporalClient.client.workflow.start('bareWorkflow', {
        taskQueue: bareQueue,
        workflowId: `bare-${process.pid}-${index}-${Date.now()}`,
        args: [phases],
      });
      await handle.signal(bareViewedSignal);
      const started = performance.now();
      await handle.executeUpdate(bareAcceptUpdate);
      return performance.now() - started;
    };
    console.log(
      `[bench] bare workflow with the quote's activities: ${phases.atStart} at send, ${phases.afterSignal} after the view, ${phases.inUpdate} from the accept on`,
    );
    await runPool(WARMUP, CONCURRENCY, bareLifecycle);
    const bareResult = summarize('Bare Temporal workflow (no-op activities, same signal and update):', await runPool(LIFECYCLES, CONCURRENCY, bareLifecycle));
    bareWorker.shutdown();
    await bareRun;
    await connection.close();
    await temporalClient.connection.close();

    console.log(
      `Ratio: the bare workflow runs ${(bareResult.perSecond / quoteResult.perSecond).toFixed(1)}× the quote lifecycles per second; ` +
        `the quote's accept p50 is ${(quoteResult.p50 / bareResult.p50).toFixed(1)}× the bare update's.`,
    );
  } finally {
    await temporal?.stop();
    await dropDatabase(serverUrl, BENCH_DATABASE).catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('[bench] failed:', error);
    process.exit(1);
  },
);
