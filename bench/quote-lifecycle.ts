/**
 * `npm run bench`: what Greenlight costs on this machine, next to what Temporal alone costs.
 * Both sides are laid out as production runs them: the workflows' worker in a process of its
 * own, this process only driving the load. In one process the load generator, the API and
 * the worker would take turns on one event loop, and the wait for it be measured as theirs.
 *
 * 1. Full quote lifecycles over HTTP against the real stack (PostgreSQL, a Temporal dev server
 *    unless TEMPORAL_ADDRESS names one) with the API (api/server.ts) in a process of its own
 *    and the worker (workers/main.ts, the real activities) in another: create, send, wait for
 *    the email at the stack's outbox (in this process, as the load generator is), open the link
 *    (view), accept on the portal — BENCH_CONCURRENCY (20) at once, BENCH_LIFECYCLES (200) of
 *    them after a warm-up. Reports lifecycles per second and p50/p95/p99 of the accept round
 *    trip (portal POST → answer) beside its goal; then BENCH_ALONE (100) more lifecycles one at a
 *    time, and their accept's p50/p99: the click's own latency, no other lifecycle beside it.
 * 2. The same load on a bare workflow (bench/bare-workflow.ts) served by a worker process of
 *    its own (bench/bare-worker.ts): as many no-op activities before the accept update and
 *    after it as the quote ran, regular and local (counted from a real quote's history; the bare
 *    workflow's are all regular activities; the portal's accept is
 *    one update carrying the view, so there is no signal), driven by the Temporal client from
 *    this process — the engine's own cost.
 * Each: the CPU time each process used per lifecycle (from /proc; PostgreSQL's backends serving
 * the bench's database on the quote side; the Temporal dev server on both, when the bench
 * started it) and the load average. Then the ratio.
 * BENCH_WORKER_CPU_PROF=<dir>: the worker process and the bare worker write a V8 CPU profile of
 * each of their threads there when they stop, and the bench prints each measured run's window on the monotonic clock the
 * profiles' timestamps use (to leave out start-up and warm-up when reading them).
 * Prints figures; asserts nothing.
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { connectTemporal } from '../platform/temporal';
import { stopChild } from '../scripts/lib/child-process';
import { greenlightClient, succeeded } from '../test/support/api';
import { postPortalDecision } from '../test/support/http';
import { startStack } from '../test/support/stack';
import { WorkerProcesses } from '../test/support/worker-process';
import { activityPhases, BARE_WORKFLOW, startBareWorker } from './bare';
import { bareAcceptUpdate, type BarePhases } from './bare-workflow';
import { cpuAndLoadLines, inBenchEnvironment, inProfiledWindow, intFromEnv, measured, OutboxLinks, percentile, runBench, runPool, startApiAndWorker, workerProfiling, type MeasuredRun } from './harness';

const LIFECYCLES = intFromEnv('BENCH_LIFECYCLES', 200);
const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 20);
const WARMUP = intFromEnv('BENCH_WARMUP', CONCURRENCY);
/** Lifecycles run one at a time after the measured ones: the accept with no other lifecycle beside it. */
const ALONE = intFromEnv('BENCH_ALONE', 100);

/** Issue 12's goals: the accept round trip's p99, and the quote lifecycle at no more than the bare workflow's cost. */
const ACCEPT_P99_GOAL_MS = 150;
const RATIO_GOAL = 1.0;

/** Prints a run's figures; `p99GoalMs` beside the accept's p99 when it has one. */
function summarize(label: string, result: MeasuredRun, p99GoalMs?: number): { perSecond: number; p50: number } {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const perSecond = result.latenciesMs.length / result.seconds;
  const [p50, p95, p99] = [0.5, 0.95, 0.99].map((p) => percentile(sorted, p)) as [number, number, number];
  console.log(
    `${label}\n  ${result.latenciesMs.length} lifecycles in ${result.seconds.toFixed(1)} s, ${CONCURRENCY} at once: ${perSecond.toFixed(2)} lifecycles/s` +
      `${result.failures ? ` (${result.failures} failed)` : ''}\n  accept round trip: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms` +
      `${p99GoalMs === undefined ? '' : `   goal p99 ≤ ${p99GoalMs} ms   ${p99 <= p99GoalMs ? 'PASS' : 'MISS'}`}` +
      cpuAndLoadLines(result, 'lifecycle'),
  );
  return { perSecond, p50 };
}

/** The accept round trip of `lifecycle` run ALONE times one at a time, as a line under its run's figures. */
async function oneAtATime(lifecycle: (index: number) => Promise<number>): Promise<void> {
  const { latenciesMs } = await runPool({ count: ALONE }, 1, lifecycle);
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  console.log(`  one at a time (${sorted.length} more): accept round trip p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms`);
}

/** The Temporal dev server the bench started, charged on both sides (the engine's share of the work); none when TEMPORAL_ADDRESS names a server. */
type EngineProcess = Record<string, ChildProcess>;

async function measureQuotes(engine: EngineProcess): Promise<{ perSecond: number; p50: number; phases: BarePhases }> {
  const stack = await startStack({ inProcessWorker: false });
  const children = new WorkerProcesses();
  try {
    const { apiUrl, api, worker, seeded } = await startApiAndWorker(stack, children, { workerEnv: workerProfiling }, async (url) => {
      const client = greenlightClient(url, (await stack.createTenant('Bench Print Shop')).apiKey);
      const user = await succeeded(client.POST('/v1/users', { body: { name: 'Bench Seller', email: 'seller@shop.bench', notify: { viewed: ['email'], decided: ['email'] } } }));
      const customer = await succeeded(client.POST('/v1/customers', { body: { name: 'Bench Customer', locale: 'en' } }));
      const contact = await succeeded(client.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Bench Buyer', email: 'buyer@buyer.bench' } }));
      return { client, user, customer, contact };
    });
    const { client, user, customer, contact } = seeded;
    const outbox = new OutboxLinks(stack, apiUrl);

    let lastQuoteId = '';
    const quoteLifecycle = async (index: number): Promise<number> => {
      const lines = [{ description: `Business cards #${index}`, quantity: 500, unitPrice: 8, taxRate: 20 }];
      const quote = await succeeded(client.POST('/v1/documents', { body: { kind: 'quote', customerId: customer.id, contactId: contact.id, assigneeId: user.id, lines } }));
      const link = await outbox.sendFor(client, quote.id);
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
    await runPool({ count: WARMUP }, CONCURRENCY, quoteLifecycle);
    console.log(`[bench] measuring ${LIFECYCLES} quote lifecycles`);
    const result = await inProfiledWindow(() => measured({ children: { 'API process': api, worker, ...engine }, database: stack }, () => runPool({ count: LIFECYCLES }, CONCURRENCY, quoteLifecycle)));
    const figures = summarize('Quote lifecycle over HTTP (create, send, email, view, accept):', result, ACCEPT_P99_GOAL_MS);
    await oneAtATime(quoteLifecycle);
    return { ...figures, phases: await activityPhases(stack, lastQuoteId) };
  } finally {
    await children.stopAll();
    await stack.close();
  }
}

async function measureBare(temporalAddress: string, engine: EngineProcess, bundle: string, phases: BarePhases): Promise<{ perSecond: number; p50: number }> {
  const taskQueue = `bench-bare-${process.pid}`;
  const temporal = await connectTemporal({ temporalAddress, temporalNamespace: 'default' });
  const worker = await startBareWorker({ TEMPORAL_ADDRESS: temporalAddress, TASK_QUEUE: taskQueue, BARE_WORKFLOW_BUNDLE: bundle, ...workerProfiling });
  try {
    const bareLifecycle = async (index: number): Promise<number> => {
      const handle = await temporal.client.workflow.start('bareWorkflow', { taskQueue, workflowId: `bare-${process.pid}-${index}-${Date.now()}`, args: [phases] });
      const started = performance.now();
      await handle.executeUpdate(bareAcceptUpdate);
      return performance.now() - started;
    };
    console.log(`[bench] bare workflow with the quote's activities: ${phases.beforeUpdate} before the accept update, ${phases.afterUpdate} after it`);
    await runPool({ count: WARMUP }, CONCURRENCY, bareLifecycle);
    const result = await inProfiledWindow(() => measured({ children: { 'bare worker': worker, ...engine } }, () => runPool({ count: LIFECYCLES }, CONCURRENCY, bareLifecycle)));
    const figures = summarize('Bare Temporal workflow (no-op activities, the same update):', result);
    await oneAtATime(bareLifecycle);
    return figures;
  } finally {
    await stopChild(worker);
    await temporal.connection.close();
  }
}

async function main(): Promise<void> {
  await inBenchEnvironment({ database: 'greenlight_bench_lifecycle', extraBundles: [BARE_WORKFLOW] }, async ({ temporalAddress, bundles, temporalServer }) => {
    const engine: EngineProcess = temporalServer ? { 'Temporal server': temporalServer } : {};
    const quote = await measureQuotes(engine);
    const bare = await measureBare(temporalAddress, engine, bundles.get(BARE_WORKFLOW) as string, quote.phases);
    const ratio = bare.perSecond / quote.perSecond;
    console.log(
      `Ratio: the bare workflow runs ${ratio.toFixed(1)}× the quote lifecycles per second (goal ≤ ${RATIO_GOAL.toFixed(1)}: ${ratio <= RATIO_GOAL ? 'PASS' : 'MISS'}); ` +
        `the quote's accept p50 is ${(quote.p50 / bare.p50).toFixed(1)}× the bare update's.`,
    );
  });
}

runBench(main);
