/**
 * `npm run bench` (API load): the API alone under the load of issue 12's table, against the
 * real stack (API, worker with the real activities, PostgreSQL, a Temporal dev server unless
 * TEMPORAL_ADDRESS names one).
 *
 * 1. `POST /v1/documents`, BENCH_CREATE_CONCURRENCY (10) in flight for BENCH_API_SECONDS (15)
 *    after a warm-up: a quote of three lines for one customer, contact and assignee.
 * 2. The portal page (`GET /d/:token`), BENCH_PAGE_CONCURRENCY (20) in flight over the links of
 *    BENCH_PAGE_LINKS (5) sent quotes, for as long. Each open is recorded (view-tracking.ts).
 * Each: throughput and p50/p99 of the round trip, each beside its goal, PASS or MISS.
 * Prints figures; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { succeeded } from '../test/support/api';
import { startStack } from '../test/support/stack';
import { benchSeller, CapturingMailer, inBenchEnvironment, intFromEnv, percentile, runBench, runPool, sendForPortalLink, type RunResult } from './harness';

const BENCH_DATABASE = 'greenlight_bench_api';
const SECONDS = intFromEnv('BENCH_API_SECONDS', 15);
const WARMUP_SECONDS = intFromEnv('BENCH_API_WARMUP_SECONDS', 3);
const CREATE_CONCURRENCY = intFromEnv('BENCH_CREATE_CONCURRENCY', 10);
const PAGE_CONCURRENCY = intFromEnv('BENCH_PAGE_CONCURRENCY', 20);
const PAGE_LINKS = intFromEnv('BENCH_PAGE_LINKS', 5);

/** Issue 12's goals. */
const GOALS = {
  create: { perSecond: 100, p99Ms: 100 },
  page: { perSecond: 300, p99Ms: 100 },
};

function report(label: string, result: RunResult, goal: { perSecond: number; p99Ms: number }): void {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const perSecond = result.latenciesMs.length / result.seconds;
  const [p50, p99] = [percentile(sorted, 0.5), percentile(sorted, 0.99)];
  const verdict = (met: boolean) => (met ? 'PASS' : 'MISS');
  console.log(
    `${label}\n  ${result.latenciesMs.length} in ${result.seconds.toFixed(1)} s${result.failures ? ` (${result.failures} failed)` : ''}` +
      `\n  throughput ${perSecond.toFixed(1)} /s   goal ≥ ${goal.perSecond} /s   ${verdict(perSecond >= goal.perSecond)}` +
      `\n  p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms   goal p99 ≤ ${goal.p99Ms} ms   ${verdict(p99 <= goal.p99Ms)}`,
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
  await inBenchEnvironment({ database: BENCH_DATABASE }, async () => {
    const mailer = new CapturingMailer('buyer.bench');
    const stack = await startStack({ mailer });
    try {
      const { api, quote } = await benchSeller(stack);

      const create = (index: number) => timed(201, async () => (await api.POST('/v1/documents', { body: quote(index) })).response);
      console.log(`[bench] POST /v1/documents, ${CREATE_CONCURRENCY} in flight: ${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured`);
      await runPool({ seconds: WARMUP_SECONDS }, CREATE_CONCURRENCY, create);
      report(`POST /v1/documents, ${CREATE_CONCURRENCY} at once:`, await runPool({ seconds: SECONDS }, CREATE_CONCURRENCY, create), GOALS.create);

      const links = await Promise.all(
        Array.from({ length: PAGE_LINKS }, async (_, index) => {
          const sent = await succeeded(api.POST('/v1/documents', { body: quote(index) }));
          return sendForPortalLink(api, mailer, stack.config.publicUrl, sent.id);
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
      report(`Portal page GET, ${PAGE_CONCURRENCY} at once over ${links.length} links:`, await runPool({ seconds: SECONDS }, PAGE_CONCURRENCY, open), GOALS.page);
    } finally {
      await stack.close();
    }
  });
}

runBench(main);
