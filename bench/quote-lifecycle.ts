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
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NativeConnection, Worker } from '@temporalio/worker';
import { connectTemporal } from '../platform/temporal';
import { greenlightClient, succeeded } from '../test/support/api';
import { postPortalDecision } from '../test/support/http';
import { quoteRunOver } from '../test/support/quote-run';
import { startStack, type Stack } from '../test/support/stack';
import { quoteWorkflowId } from '../workflows/messages/quote';
import { bareAcceptUpdate, bareViewedSignal, type BarePhases } from './bare-workflow';
import { CapturingMailer, inBenchEnvironment, intFromEnv, percentile, runBench, runPool, sendForPortalLink, type RunResult } from './harness';

const BENCH_DATABASE = 'greenlight_bench';

const LIFECYCLES = intFromEnv('BENCH_LIFECYCLES', 200);
const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 20);
const WARMUP = intFromEnv('BENCH_WARMUP', CONCURRENCY);

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
async function activityPhases(stack: Stack, documentId: string): Promise<BarePhases> {
  // Its closed history: the accept answers before its activities run (workflows/story.ts), and an
  // accepted quote's run stays open until the seller moves it on (which runs no activity).
  await quoteRunOver(stack, documentId);
  const history = await stack.client.workflow.getHandle(quoteWorkflowId(documentId)).fetchHistory();
  const phases: BarePhases = { atStart: 0, afterSignal: 0, inUpdate: 0 };
  let phase: keyof BarePhases = 'atStart';
  for (const event of history.events ?? []) {
    if (event.workflowExecutionSignaledEventAttributes && phase === 'atStart') phase = 'afterSignal';
    if (event.workflowExecutionUpdateAcceptedEventAttributes) phase = 'inUpdate';
    if (event.activityTaskScheduledEventAttributes) phases[phase] += 1;
  }
  return phases;
}

const BARE_WORKFLOW = path.join(__dirname, 'bare-workflow.ts');

async function main(): Promise<void> {
  await inBenchEnvironment({ database: BENCH_DATABASE, extraBundles: [BARE_WORKFLOW] }, async ({ temporalAddress, bundles }) => {
    const bareBundle = bundles.get(BARE_WORKFLOW) as string;
    const mailer = new CapturingMailer('buyer.bench');
    const stack = await startStack({ mailer });
    const api = greenlightClient(stack.baseUrl, (await stack.createTenant('Bench Print Shop')).apiKey);
    const user = await succeeded(api.POST('/v1/users', { body: { name: 'Bench Seller', email: 'seller@shop.bench', notify: { viewed: ['email'], decided: ['email'] } } }));
    const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Bench Customer', locale: 'en' } }));
    const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Bench Buyer', email: 'buyer@buyer.bench' } }));

    let lastQuoteId = '';
    const quoteLifecycle = async (index: number): Promise<number> => {
      const lines = [{ description: `Business cards #${index}`, quantity: 500, unitPrice: 8, taxRate: 20 }];
      const quote = await succeeded(api.POST('/v1/documents', { body: { kind: 'quote', customerId: customer.id, contactId: contact.id, assigneeId: user.id, lines } }));
      const link = await sendForPortalLink(api, mailer, stack.config.publicUrl, quote.id);
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
    const quoteResult = summarize('Quote lifecycle over HTTP (create, send, email, view, accept):', await runPool({ count: LIFECYCLES }, CONCURRENCY, quoteLifecycle));
    const phases = await activityPhases(stack, lastQuoteId);
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
    await runPool({ count: WARMUP }, CONCURRENCY, bareLifecycle);
    const bareResult = summarize('Bare Temporal workflow (no-op activities, same signal and update):', await runPool({ count: LIFECYCLES }, CONCURRENCY, bareLifecycle));
    bareWorker.shutdown();
    await bareRun;
    await connection.close();
    await temporalClient.connection.close();

    console.log(
      `Ratio: the bare workflow runs ${(bareResult.perSecond / quoteResult.perSecond).toFixed(1)}× the quote lifecycles per second; ` +
        `the quote's accept p50 is ${(quoteResult.p50 / bareResult.p50).toFixed(1)}× the bare update's.`,
    );
  });
}

runBench(main);
