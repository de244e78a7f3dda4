/**
 * `npm run bench:waiting`: many quotes sent and waiting on one worker, as a shop's quotes wait
 * for weeks.
 *
 * 1. BENCH_WAITING (10,000) quotes created and sent through the API, BENCH_CONCURRENCY (20) at
 *    once; each workflow then waits on its timers (reminder, validity).
 * 2. The worker is a process of its own (workers/main.ts, as production runs it) with a bounded
 *    sticky cache (BENCH_CACHE, 500 workflows: WORKER_MAX_CACHED_WORKFLOWS): its RSS once every
 *    quote is waiting.
 * 3. BENCH_DECISIONS (200) accepts on quotes drawn at random, BENCH_DECISIONS_AT_ONCE (10) at
 *    once, through a seller link each: most are out of the worker's cache, so the worker replays
 *    their history first. p50/p99 of the accept round trip, and the worker's RSS after. At 1 at
 *    once, a decision's own latency, without the queue the others make on the worker.
 * 4. The same on the bare workflow (bench/bare.ts), Temporal's own cost beside ours: as many
 *    workflows waiting after the no-op activities a quote ran before its accept, a bare worker
 *    process with the same cache, as many updates on random ones as many at once: p50/p99.
 * Beside them, where the decisions' time went: what the worker's Temporal Core counted (its
 * Prometheus metrics, WORKER_METRICS_PORT: sticky cache hits, misses and evictions, each workflow
 * task's wait and work), the CPU each process spent per accept, and each accept's parts read from
 * its quote's history (the API and Temporal until the update's workflow task, the worker's
 * replay, the answer back).
 * BENCH_WORKER_CPU_PROF=<dir>: the worker writes a V8 CPU profile of each of its threads there
 * when it stops, and the bench prints the decisions' window on the profiles' clock.
 * Prints each figure beside the issue's goal; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { connectTemporal } from '../platform/temporal';
import { stopChild } from '../scripts/lib/child-process';
import { findFreePort } from '../scripts/lib/ports';
import { greenlightClient, succeeded } from '../test/support/api';
import { postPortalDecision } from '../test/support/http';
import { startStack, type Stack } from '../test/support/stack';
import { quoteWorkflowId } from '../workflows/messages/quote';
import { WorkerProcesses } from '../test/support/worker-process';
import { activityPhases, BARE_WORKFLOW, startBareWorker } from './bare';
import { bareAcceptUpdate, type BarePhases } from './bare-workflow';
import { cpuAndLoadLines, inBenchEnvironment, inProfiledWindow, intFromEnv, measured, percentile, runBench, runPool, workerProfiling } from './harness';
import { treeRssBytes } from './process-memory';
import { updateTaskOf } from './update-task';

const WAITING = intFromEnv('BENCH_WAITING', 10_000);
const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 20);
const CACHE = intFromEnv('BENCH_CACHE', 500);
const DECISIONS = intFromEnv('BENCH_DECISIONS', 200);
const DECISIONS_AT_ONCE = intFromEnv('BENCH_DECISIONS_AT_ONCE', 10);

const GOAL = { rssMb: 500, decisionP99Ms: 300 };
const mb = (bytes: number) => bytes / 1024 / 1024;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** A Prometheus text page's samples, by name and labels. */
async function scrapeMetrics(url: string): Promise<Map<string, number>> {
  const page = await (await fetch(url)).text();
  const samples = new Map<string, number>();
  for (const line of page.split('\n')) {
    const sample = /^(\S+)\s+(\S+)$/.exec(line);
    if (sample && !line.startsWith('#')) samples.set(sample[1] as string, Number(sample[2]));
  }
  return samples;
}

/** What the worker's Core counted between two scrapes: cache hits and misses, and each workflow task's mean wait and work. */
function workflowTaskLines(before: Map<string, number>, after: Map<string, number>): string {
  const delta = (pattern: RegExp) => {
    let total = 0;
    for (const [sample, value] of after) if (pattern.test(sample)) total += value - (before.get(sample) ?? 0);
    return total;
  };
  const mean = (histogram: string) => {
    const count = delta(new RegExp(`^temporal_${histogram}_count\\b`));
    return count ? `${(delta(new RegExp(`^temporal_${histogram}_sum\\b`)) / count).toFixed(0)} ms over ${count}` : 'none';
  };
  return (
    `  worker's Core over the decisions: sticky cache ${delta(/^temporal_sticky_cache_hit\b/)} hits, ${delta(/^temporal_sticky_cache_miss\b/)} misses, ` +
    `${delta(/^temporal_sticky_cache_total_forced_eviction\b/)} evictions; workflow task mean schedule-to-start ${mean('workflow_task_schedule_to_start_latency')}, execution ${mean('workflow_task_execution_latency')}`
  );
}

/**
 * Where each accept's round trip went, from its quote's history: until the update's workflow task
 * was scheduled (the API, and Temporal taking the update), its wait for the worker, the worker's
 * work on it (a cache miss: the history fetched and replayed), and the rest (the answer back).
 * Medians and p99s, with the history's length and workflow tasks replayed.
 */
async function decisionBreakdown(stack: Stack, windows: { quoteId: string; from: number; to: number }[]): Promise<string> {
  const parts = { untilScheduled: [] as number[], queued: [] as number[], onWorker: [] as number[], answerBack: [] as number[], events: [] as number[], tasksReplayed: [] as number[] };
  for (const { quoteId, from, to } of windows) {
    const events = (await stack.client.workflow.getHandle(quoteWorkflowId(quoteId)).fetchHistory()).events ?? [];
    const task = updateTaskOf(events);
    parts.untilScheduled.push(task.scheduledMs - from);
    parts.queued.push(task.startedMs - task.scheduledMs);
    parts.onWorker.push(task.completedMs - task.startedMs);
    parts.answerBack.push(to - task.completedMs);
    parts.events.push(task.accepted);
    parts.tasksReplayed.push(events.slice(0, task.accepted).filter((event) => event.workflowTaskCompletedEventAttributes).length - 1);
  }
  const figure = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `${percentile(sorted, 0.5).toFixed(0)}/${percentile(sorted, 0.99).toFixed(0)}`;
  };
  return (
    `  each accept from its history (p50/p99, ms): until its workflow task was scheduled ${figure(parts.untilScheduled)}, waiting for the worker ${figure(parts.queued)}, ` +
    `on the worker ${figure(parts.onWorker)}, answer back ${figure(parts.answerBack)}; history before the accept ${figure(parts.events)} events, ${figure(parts.tasksReplayed)} workflow tasks replayed`
  );
}

/** The quotes' side: sent and waiting on Greenlight's worker, then accepted at random. Answers how many activities a quote ran before its accept and after. */
async function measureQuotes(): Promise<BarePhases> {
  const stack = await startStack({ inProcessWorker: false });
  const { tenantId, apiKey } = await stack.createTenant('Bench Waiting Print Shop');
  const processes = new WorkerProcesses();
  const [healthPort, metricsPort] = [await findFreePort(), await findFreePort()];
  const worker = processes.start(stack, 'waiting-worker', {
    LOG_LEVEL: 'warn',
    WORKER_MAX_CACHED_WORKFLOWS: String(CACHE),
    WORKER_HEALTH_PORT: String(healthPort),
    WORKER_METRICS_PORT: String(metricsPort),
    ...workerProfiling,
  });
  const workerMetrics = () => scrapeMetrics(`http://127.0.0.1:${metricsPort}/metrics`);
  try {
    await waitFor('the worker polling', () => fetch(`http://127.0.0.1:${healthPort}/healthz`).then((answer) => answer.ok, () => false), 120_000);
    console.log(`  worker RSS idle: ${mb(treeRssBytes(worker.pid!)).toFixed(0)} MB`);
    const api = greenlightClient(stack.baseUrl, apiKey);
    // Long enough that nothing fires during the bench: every quote stays waiting on its timers.
    await succeeded(api.PATCH('/v1/settings', { body: { reminderAfter: 'P7D', quoteValidity: 'P30D' } }), 200);
    const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Bench Customer', locale: 'en' } }));
    const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Bench Buyer', email: 'buyer@buyer.bench' } }));

    const quoteIds: string[] = [];
    console.log(`[bench] sending ${WAITING} quotes, ${CONCURRENCY} at once (worker cache: ${CACHE} workflows)`);
    const sending = await runPool({ count: WAITING }, CONCURRENCY, async (index) => {
      const started = performance.now();
      const lines = [{ description: `Flyers #${index}`, quantity: 1000, unitPrice: 9, taxRate: 20 }];
      const quote = await succeeded(api.POST('/v1/documents', { body: { kind: 'quote', customerId: customer.id, contactId: contact.id, lines } }));
      await succeeded(api.POST('/v1/documents/{id}/send', { params: { path: { id: quote.id } }, body: {} }), 202);
      quoteIds.push(quote.id);
      if ((index + 1) % 1000 === 0) console.log(`[bench]   ${index + 1} sent`);
      return performance.now() - started;
    });
    const sent = () => stack.prisma.document.count({ where: { tenantId, status: 'sent' } });
    await waitFor(`${quoteIds.length} quotes marked sent`, async () => (await sent()) >= quoteIds.length, 30 * 60_000);
    // Emails and the send's other activities settle; the workflows are then only timers.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const rssWaiting = treeRssBytes(worker.pid!);
    console.log(
      `${quoteIds.length} quotes sent in ${sending.seconds.toFixed(0)} s (${(quoteIds.length / sending.seconds).toFixed(1)}/s${sending.failures ? `, ${sending.failures} failed` : ''}), all waiting\n` +
        `  worker RSS with ${quoteIds.length} waiting, cache ${CACHE}: ${mb(rssWaiting).toFixed(0)} MB   (goal ≤ ${GOAL.rssMb} MB)`,
    );

    const chosen = drawnAtRandom(quoteIds, DECISIONS);
    const links = await Promise.all(
      chosen.map(async (id) => (await succeeded(api.POST('/v1/documents/{id}/links', { params: { path: { id } }, body: { recipient: { contactId: contact.id } } }), 201)).url),
    );
    const metricsBefore = await workerMetrics();
    const windows: { quoteId: string; from: number; to: number }[] = [];
    const decisions = await inProfiledWindow(() =>
      measured({ children: { worker }, database: stack }, () => runPool({ count: links.length }, DECISIONS_AT_ONCE, async (index) => {
        const started = performance.now();
        const from = Date.now();
        const answer = await postPortalDecision(links[index] as string, 'accept');
        if (answer.status !== 200) throw new Error(`accept answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        windows.push({ quoteId: chosen[index] as string, from, to: Date.now() });
        return performance.now() - started;
      })),
    );
    const metricsAfter = await workerMetrics();
    const sorted = [...decisions.latenciesMs].sort((a, b) => a - b);
    const rssAfter = treeRssBytes(worker.pid!);
    console.log(
      `${sorted.length} accepts on random waiting quotes (≈${Math.round(100 * (1 - CACHE / (quoteIds.length + DECISIONS)))} % out of the cache), ${DECISIONS_AT_ONCE} at once` +
        `${decisions.failures ? ` (${decisions.failures} failed)` : ''}\n` +
        `  accept round trip: p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p99 ${percentile(sorted, 0.99).toFixed(0)} ms   (goal p99 ≤ ${GOAL.decisionP99Ms} ms)\n` +
        `  worker RSS after: ${mb(rssAfter).toFixed(0)} MB   (goal ≤ ${GOAL.rssMb} MB)\n` +
        workflowTaskLines(metricsBefore, metricsAfter) +
        cpuAndLoadLines(decisions, 'accept'),
    );
    console.log(await decisionBreakdown(stack, windows));
    return await activityPhases(stack, chosen[0] as string);
  } finally {
    await processes.stopAll();
    await stack.close();
  }
}

/**
 * The same on the bare workflow (bench/bare.ts): as many workflows waiting after as many
 * activities as a quote ran before its accept, on a bare worker process with the same cache,
 * then as many updates on random ones, as many at once — what Temporal alone costs a decision on
 * a workflow out of the cache, beside the quote's.
 */
async function measureBare(temporalAddress: string, bundle: string, phases: BarePhases): Promise<void> {
  const taskQueue = `bench-bare-waiting-${process.pid}`;
  const temporal = await connectTemporal({ temporalAddress, temporalNamespace: 'default' });
  const worker = await startBareWorker({ TEMPORAL_ADDRESS: temporalAddress, TASK_QUEUE: taskQueue, BARE_WORKFLOW_BUNDLE: bundle, MAX_CACHED_WORKFLOWS: String(CACHE) });
  try {
    const workflowIds: string[] = [];
    console.log(`[bench] starting ${WAITING} bare workflows, ${CONCURRENCY} at once, each waiting after ${phases.beforeUpdate} no-op activities`);
    await runPool({ count: WAITING }, CONCURRENCY, async (index) => {
      const started = performance.now();
      const workflowId = `bare-waiting-${process.pid}-${index}`;
      // Closed by Temporal an hour on: on a server the bench did not start (TEMPORAL_ADDRESS) it leaves none waiting for ever.
      await temporal.client.workflow.start('bareWorkflow', { taskQueue, workflowId, args: [phases], workflowExecutionTimeout: '1 hour' });
      workflowIds.push(workflowId);
      return performance.now() - started;
    });
    // Waiting once its activities ran: a start's workflow task, then an activity and a workflow task each (3 events apiece).
    const waitingLength = 4 + 6 * phases.beforeUpdate;
    const lastStarted = workflowIds.slice(-CONCURRENCY);
    await waitFor(
      'the bare workflows waiting',
      async () => (await Promise.all(lastStarted.map(async (id) => (await temporal.client.workflow.getHandle(id).describe()).historyLength))).every((length) => length >= waitingLength),
      30 * 60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const rssWaiting = treeRssBytes(worker.pid!);
    const waiting = workflowIds.length;
    const chosen = drawnAtRandom(workflowIds, DECISIONS);
    const decisions = await measured({ children: { 'bare worker': worker } }, () =>
      runPool({ count: chosen.length }, DECISIONS_AT_ONCE, async (index) => {
        const started = performance.now();
        await temporal.client.workflow.getHandle(chosen[index] as string).executeUpdate(bareAcceptUpdate);
        return performance.now() - started;
      }),
    );
    const sorted = [...decisions.latenciesMs].sort((a, b) => a - b);
    console.log(
      `Bare Temporal workflow, the same: ${waiting} waiting, cache ${CACHE}: worker RSS ${mb(rssWaiting).toFixed(0)} MB\n` +
        `  ${sorted.length} updates on random ones, ${DECISIONS_AT_ONCE} at once${decisions.failures ? ` (${decisions.failures} failed)` : ''}: p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p99 ${percentile(sorted, 0.99).toFixed(0)} ms` +
        `   (the quote's goal p99 ≤ ${GOAL.decisionP99Ms} ms)` +
        cpuAndLoadLines(decisions, 'update'),
    );
  } finally {
    await stopChild(worker);
    await temporal.connection.close();
  }
}

/** `count` of `ids` drawn at random, each once (taken out of `ids`). */
function drawnAtRandom(ids: string[], count: number): string[] {
  return Array.from({ length: Math.min(count, ids.length) }, () => ids.splice(Math.floor(Math.random() * ids.length), 1)[0] as string);
}

async function main(): Promise<void> {
  await inBenchEnvironment({ database: 'greenlight_bench_waiting', extraBundles: [BARE_WORKFLOW] }, async ({ temporalAddress, bundles }) => {
    const phases = await measureQuotes();
    await measureBare(temporalAddress, bundles.get(BARE_WORKFLOW) as string, phases);
  });
}

runBench(main);
