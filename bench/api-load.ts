/**
 * `npm run bench` (API load): the API under the load of issue 12's table, against the real
 * stack (PostgreSQL, a Temporal dev server unless TEMPORAL_ADDRESS names one), laid out as
 * production runs it: the API (api/server.ts) in a process of its own, the worker
 * (workers/main.ts, the real activities, mail to the stack's local outbox) in another, and the
 * load generator in this one. In one process the client's fetch and the worker's activities
 * would take turns on the API's event loop and be measured as the API's own time.
 *
 * 1. `POST /v1/documents`, BENCH_CREATE_CONCURRENCY (10) in flight for BENCH_API_SECONDS (15)
 *    after a warm-up: a quote of three lines for one customer, contact and assignee.
 * 2. The portal page (`GET /d/:token`), BENCH_PAGE_CONCURRENCY (20) in flight over the links of
 *    BENCH_PAGE_LINKS (5) sent quotes, for as long. Each open is recorded (view-tracking.ts).
 * Each: throughput and p50/p99 of the round trip, each beside its goal, PASS or MISS; the CPU
 * time each process used per request (user + system, all its threads, from /proc: the API, the
 * worker, PostgreSQL's backends serving the bench's database, this process), which other work
 * on this shared machine moves far less than it moves latencies; the load average.
 * BENCH_API_CPU_PROF=<dir>: the API process writes a V8 CPU profile there when it stops.
 * Prints figures; asserts nothing.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { succeeded } from '../test/support/api';
import { startStack } from '../test/support/stack';
import { WorkerProcesses } from '../test/support/worker-process';
import { benchSeller, cpuAndLoadLines, inBenchEnvironment, intFromEnv, measured, OutboxLinks, percentile, runBench, runPool, type MeasuredRun, startApiAndWorker } from './harness';

const SECONDS = intFromEnv('BENCH_API_SECONDS', 15);
const WARMUP_SECONDS = intFromEnv('BENCH_API_WARMUP_SECONDS', 3);
const CREATE_CONCURRENCY = intFromEnv('BENCH_CREATE_CONCURRENCY', 10);
const PAGE_CONCURRENCY = intFromEnv('BENCH_PAGE_CONCURRENCY', 20);
const PAGE_LINKS = intFromEnv('BENCH_PAGE_LINKS', 5);
const API_CPU_PROFILE_DIR = process.env.BENCH_API_CPU_PROF;

/** Issue 12's goals. */
const GOALS = {
  create: { perSecond: 100, p99Ms: 100 },
  page: { perSecond: 300, p99Ms: 100 },
};

function report(label: string, result: MeasuredRun, goal: { perSecond: number; p99Ms: number }): void {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const perSecond = result.latenciesMs.length / result.seconds;
  const [p50, p99] = [percentile(sorted, 0.5), percentile(sorted, 0.99)];
  const verdict = (met: boolean) => (met ? 'PASS' : 'MISS');
  console.log(
    `${label}\n  ${result.latenciesMs.length} in ${result.seconds.toFixed(1)} s${result.failures ? ` (${result.failures} failed)` : ''}` +
      `\n  throughput ${perSecond.toFixed(1)} /s   goal ≥ ${goal.perSecond} /s   ${verdict(perSecond >= goal.perSecond)}` +
      `\n  p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms   goal p99 ≤ ${goal.p99Ms} ms   ${verdict(p99 <= goal.p99Ms)}` +
      cpuAndLoadLines(result, 'request'),
  );
}

/** Times one request; anything but the expected status is a failure. */
async function timed(expected: number, request: () => Promise<{ status: number }>): Promise<number> {
  const started = performance.now();
  const { status } = await request();
  const latency = performance.now() - started;
  if (status !== expected) throw new Error(`answered ${status}, not ${expected}`);
  return latency;
}

async function main(): Promise<void> {
  await inBenchEnvironment({ database: 'greenlight_bench_api' }, async () => {
    const stack = await startStack({ inProcessWorker: false });
    const children = new WorkerProcesses();
    try {
      const profiling = API_CPU_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(API_CPU_PROFILE_DIR)}` } : {};
      const { apiUrl, api, worker, seeded } = await startApiAndWorker(stack, children, { apiEnv: profiling }, (url) => benchSeller(stack, url));
      const { api: client, quote } = seeded;
      const processes = { children: { 'API process': api, worker }, database: stack };
      const outbox = new OutboxLinks(stack, apiUrl);

      const create = (index: number) => timed(201, async () => (await client.POST('/v1/documents', { body: quote(index) })).response);
      console.log(`[bench] POST /v1/documents, ${CREATE_CONCURRENCY} in flight: ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured`);
      await runPool({ seconds: WARMUP_SECONDS }, CREATE_CONCURRENCY, create);
      report(
        `POST /v1/documents, ${CREATE_CONCURRENCY} at once:`,
        await measured(processes, () => runPool({ seconds: SECONDS }, CREATE_CONCURRENCY, create)),
        GOALS.create,
      );

      const links = await Promise.all(
        Array.from({ length: PAGE_LINKS }, async (_, index) => {
          const sent = await succeeded(client.POST('/v1/documents', { body: quote(index) }));
          return outbox.sendFor(client, sent.id);
        }),
      );
      const open = (index: number) =>
        timed(200, async () => {
          const page = await fetch(links[index % links.length] as string, { headers: { accept: 'text/html', 'user-agent': 'Mozilla/5.0 (bench) Firefox/140.0' } });
          await page.arrayBuffer();
          return page;
        });
      console.log(`[bench] portal page GET, ${PAGE_CONCURRENCY} in flight over ${links.length} links: ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured`);
      await runPool({ seconds: WARMUP_SECONDS }, PAGE_CONCURRENCY, open);
      report(
        `Portal page GET, ${PAGE_CONCURRENCY} at once over ${links.length} links:`,
        await measured(processes, () => runPool({ seconds: SECONDS }, PAGE_CONCURRENCY, open)),
        GOALS.page,
      );
    } finally {
      await children.stopAll();
      await stack.close();
    }
  });
}

runBench(main);
