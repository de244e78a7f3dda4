/**
 * `npm run bench:waiting`: many quotes sent and waiting on one worker, as a shop's quotes wait
 * for weeks.
 *
 * 1. BENCH_WAITING (10,000) quotes created and sent through the API, BENCH_CONCURRENCY (20) at
 *    once; each workflow then waits on its timers (reminder, validity).
 * 2. The worker is a process of its own (workers/main.ts, as production runs it) with a bounded
 *    sticky cache (BENCH_CACHE, 500 workflows: WORKER_MAX_CACHED_WORKFLOWS): its RSS once every
 *    quote is waiting.
 * 3. BENCH_DECISIONS (200) accepts on quotes drawn at random, 10 at once, through a seller link
 *    each: most are out of the worker's cache, so the worker replays their history first.
 *    p50/p99 of the accept round trip, and the worker's RSS after.
 * Prints each figure beside the issue's goal; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { findFreePort } from '../scripts/lib/ports';
import { greenlightClient, succeeded } from '../test/support/api';
import { postPortalDecision } from '../test/support/http';
import { startStack } from '../test/support/stack';
import { WorkerProcesses } from '../test/support/worker-process';
import { inBenchEnvironment, intFromEnv, percentile, runBench, runPool } from './harness';
import { treeRssBytes } from './process-memory';

const WAITING = intFromEnv('BENCH_WAITING', 10_000);
const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 20);
const CACHE = intFromEnv('BENCH_CACHE', 500);
const DECISIONS = intFromEnv('BENCH_DECISIONS', 200);

const GOAL = { rssMb: 500, decisionP99Ms: 300 };
const mb = (bytes: number) => bytes / 1024 / 1024;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function main(): Promise<void> {
  await inBenchEnvironment({ database: 'greenlight_bench_waiting' }, async () => {
    const stack = await startStack({ inProcessWorker: false });
    const { tenantId, apiKey } = await stack.createTenant('Bench Waiting Print Shop');
    const processes = new WorkerProcesses();
    const healthPort = await findFreePort();
    const worker = processes.start(stack, 'waiting-worker', { LOG_LEVEL: 'warn', WORKER_MAX_CACHED_WORKFLOWS: String(CACHE), WORKER_HEALTH_PORT: String(healthPort) });
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

      const chosen = Array.from({ length: DECISIONS }, () => quoteIds.splice(Math.floor(Math.random() * quoteIds.length), 1)[0] as string);
      const links = await Promise.all(
        chosen.map(async (id) => (await succeeded(api.POST('/v1/documents/{id}/links', { params: { path: { id } }, body: { recipient: { contactId: contact.id } } }), 201)).url),
      );
      const decisions = await runPool({ count: links.length }, 10, async (index) => {
        const started = performance.now();
        const answer = await postPortalDecision(links[index] as string, 'accept');
        if (answer.status !== 200) throw new Error(`accept answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        return performance.now() - started;
      });
      const sorted = [...decisions.latenciesMs].sort((a, b) => a - b);
      const rssAfter = treeRssBytes(worker.pid!);
      console.log(
        `${sorted.length} accepts on random waiting quotes (≈${Math.round(100 * (1 - CACHE / (quoteIds.length + DECISIONS)))} % out of the cache), 10 at once` +
          `${decisions.failures ? ` (${decisions.failures} failed)` : ''}\n` +
          `  accept round trip: p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p99 ${percentile(sorted, 0.99).toFixed(0)} ms   (goal p99 ≤ ${GOAL.decisionP99Ms} ms)\n` +
          `  worker RSS after: ${mb(rssAfter).toFixed(0)} MB   (goal ≤ ${GOAL.rssMb} MB)`,
      );
    } finally {
      await processes.stopAll();
      await stack.close();
    }
  });
}

runBench(main);
