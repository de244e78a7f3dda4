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
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { findFreePort } from '../scripts/lib/ports';
import { succeeded, type GreenlightClient } from '../test/support/api';
import { emailTo, portalLinkIn } from '../test/support/quote-scenario';
import { startStack, type Stack } from '../test/support/stack';
import { processLogPath, WorkerProcesses } from '../test/support/worker-process';
import { benchSeller, inBenchEnvironment, intFromEnv, percentile, runBench, runPool, type RunResult } from './harness';

/** Its own per run: other checkouts on this machine run this bench too, and each recreates and drops its database. */
const BENCH_DATABASE = `greenlight_bench_api_${process.pid}`;
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

/** The processes whose CPU a run is charged with. */
interface Processes {
  api: ChildProcess;
  worker: ChildProcess;
}

interface MeasuredRun extends RunResult {
  /** CPU ms per answered request, of each process. */
  cpuMsPerRequest: { api: number; worker: number; database: number | undefined; loadGenerator: number };
}

/** The CPU ms of each PostgreSQL backend serving the bench's database; none when PostgreSQL runs elsewhere (its pids are not this machine's). */
async function databaseCpuMs(stack: Stack): Promise<Map<number, number>> {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(stack.config.databaseUrl).hostname)) return new Map();
  const backends = await stack.prisma.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
  return new Map(backends.map(({ pid }) => [pid, cpuMsOf(pid)]));
}

async function measured(stack: Stack, processes: Processes, run: () => Promise<RunResult>): Promise<MeasuredRun> {
  const cpu = async () => ({ api: cpuMsOf(processes.api.pid!), worker: cpuMsOf(processes.worker.pid!), database: await databaseCpuMs(stack), self: process.cpuUsage() });
  const before = await cpu();
  const result = await run();
  const after = await cpu();
  const self = process.cpuUsage(before.self);
  // Backends started during the run count from their start.
  const database = [...after.database].reduce((sum, [pid, ms]) => sum + ms - (before.database.get(pid) ?? 0), 0);
  const perRequest = (ms: number) => ms / Math.max(1, result.latenciesMs.length);
  return {
    ...result,
    cpuMsPerRequest: {
      api: perRequest(after.api - before.api),
      worker: perRequest(after.worker - before.worker),
      database: after.database.size > 0 ? perRequest(database) : undefined,
      loadGenerator: perRequest((self.user + self.system) / 1000),
    },
  };
}

function report(label: string, result: MeasuredRun, goal: { perSecond: number; p99Ms: number }): void {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const perSecond = result.latenciesMs.length / result.seconds;
  const [p50, p99] = [percentile(sorted, 0.5), percentile(sorted, 0.99)];
  const verdict = (met: boolean) => (met ? 'PASS' : 'MISS');
  const cpu = result.cpuMsPerRequest;
  console.log(
    `${label}\n  ${result.latenciesMs.length} in ${result.seconds.toFixed(1)} s${result.failures ? ` (${result.failures} failed)` : ''}` +
      `\n  throughput ${perSecond.toFixed(1)} /s   goal ≥ ${goal.perSecond} /s   ${verdict(perSecond >= goal.perSecond)}` +
      `\n  p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms   goal p99 ≤ ${goal.p99Ms} ms   ${verdict(p99 <= goal.p99Ms)}` +
      `\n  CPU per request: API process ${cpu.api.toFixed(2)} ms, worker ${cpu.worker.toFixed(2)} ms, PostgreSQL ${cpu.database === undefined ? 'n/a' : `${cpu.database.toFixed(2)} ms`}, load generator ${cpu.loadGenerator.toFixed(2)} ms` +
      `\n  load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(', ')}`,
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

/** Polls `url` until it answers 2xx; a child that exits meanwhile fails the bench with where its log is. */
async function untilServing(stack: Stack, name: string, child: ChildProcess, url: string): Promise<void> {
  const until = Date.now() + 120_000;
  while (!(await fetch(url).then((answer) => answer.ok, () => false))) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): see ${processLogPath(stack, name)}`);
    if (Date.now() > until) throw new Error(`${name} not serving ${url} after 2 minutes: see ${processLogPath(stack, name)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Sends a quote to a recipient of its own and answers the portal link of the email the worker sent to the outbox. */
async function sendForPortalLink(stack: Stack, api: GreenlightClient, apiUrl: string, documentId: string): Promise<string> {
  const recipient = `buyer-${documentId}@buyer.bench`;
  await succeeded(api.POST('/v1/documents/{id}/send', { params: { path: { id: documentId } }, body: { to: { email: recipient } } }), 202);
  return portalLinkIn(await emailTo(stack.readOutbox, recipient), apiUrl);
}

async function main(): Promise<void> {
  await inBenchEnvironment({ database: BENCH_DATABASE }, async () => {
    const stack = await startStack({ inProcessWorker: false });
    const children = new WorkerProcesses();
    try {
      const [apiPort, healthPort] = await Promise.all([findFreePort(), findFreePort()]);
      const apiUrl = `http://127.0.0.1:${apiPort}`;
      // Emails carry links to the API measured; per-request logs stay silenced (harness.ts) unless LOG_LEVEL asks for them.
      const shared = { PUBLIC_URL: apiUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
      const profiling = API_CPU_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(API_CPU_PROFILE_DIR)}` } : {};
      const api = children.startApi(stack, 'bench-api', { ...shared, ...profiling, PORT: String(apiPort) });
      await untilServing(stack, 'bench-api', api, `${apiUrl}/readyz`);
      const { api: client, quote } = await benchSeller(stack, apiUrl);
      // Started once the bench's tenant exists: its sweepers look after it (stack.env).
      const worker = children.start(stack, 'bench-worker', { ...shared, WORKER_HEALTH_PORT: String(healthPort) });
      await untilServing(stack, 'bench-worker', worker, `http://127.0.0.1:${healthPort}/healthz`);
      const processes = { api, worker };

      const create = (index: number) => timed(201, async () => (await client.POST('/v1/documents', { body: quote(index) })).response);
      console.log(`[bench] POST /v1/documents, ${CREATE_CONCURRENCY} in flight: ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured`);
      await runPool({ seconds: WARMUP_SECONDS }, CREATE_CONCURRENCY, create);
      report(
        `POST /v1/documents, ${CREATE_CONCURRENCY} at once:`,
        await measured(stack, processes, () => runPool({ seconds: SECONDS }, CREATE_CONCURRENCY, create)),
        GOALS.create,
      );

      const links = await Promise.all(
        Array.from({ length: PAGE_LINKS }, async (_, index) => {
          const sent = await succeeded(client.POST('/v1/documents', { body: quote(index) }));
          return sendForPortalLink(stack, client, apiUrl, sent.id);
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
        await measured(stack, processes, () => runPool({ seconds: SECONDS }, PAGE_CONCURRENCY, open)),
        GOALS.page,
      );
    } finally {
      await children.stopAll();
      await stack.close();
    }
  });
}

runBench(main);
