/**
 * Where an accept's time goes under the lifecycle bench's load (bench/quote-lifecycle.ts, the
 * same quote lifecycles, BENCH_CONCURRENCY at once): each accept round trip split by the API's
 * calls to Temporal (timed where the API's client makes them) and the workflow history's own
 * timestamps (the workflow task that took the update: scheduled, picked by the worker,
 * completed). Prints the p50/p99 of each part.
 * Prints figures; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Client } from '@temporalio/client';
import { succeeded } from '../test/support/api';
import { postPortalDecision } from '../test/support/http';
import { startStack } from '../test/support/stack';
import { quoteWorkflowId } from '../workflows/messages/quote';
import { benchSeller, CapturingMailer, inBenchEnvironment, intFromEnv, percentile, runBench, runPool, sendForPortalLink } from './harness';
import { updateTaskOf } from './update-task';

const LIFECYCLES = intFromEnv('BENCH_LIFECYCLES', 200);
const CONCURRENCY = intFromEnv('BENCH_CONCURRENCY', 20);

/** Wall-clock times (epoch ms) the API's client called Temporal and got its answer, by workflow id and call. */
const calls = new Map<string, { start: number; end: number }>();

function timeTemporalCalls(client: Client): void {
  const service = client.workflowService as unknown as Record<string, unknown>;
  for (const name of ['signalWorkflowExecution', 'updateWorkflowExecution']) {
    const method = service[name] as (request: { workflowExecution?: { workflowId?: string } }) => Promise<unknown>;
    service[name] = async (request: { workflowExecution?: { workflowId?: string } }) => {
      const start = Date.now();
      try {
        return await method.call(service, request);
      } finally {
        calls.set(`${request.workflowExecution?.workflowId}:${name}`, { start, end: Date.now() });
      }
    };
  }
}

interface Split {
  total: number;
  /** Request sent → the API's first call to Temporal (its reads and writes before the decision). */
  apiBeforeTemporal: number;
  /** The view's signal, before the update (none when the update carries the view). */
  signalCall: number;
  betweenCalls: number;
  /** Update call made → the workflow task that takes it scheduled (waits for the task in flight). */
  untilTaskScheduled: number;
  /** Scheduled → picked by the worker (task queue wait). */
  taskQueued: number;
  /** Picked → completed (the worker's processing, including its event loop). */
  taskRunning: number;
  /** Completed → the API's client has the answer. */
  answerBack: number;
  apiAfterUpdate: number;
  /** Workflow tasks between the signal and the one that took the update. */
  tasksBefore: number;
}

async function splitOf(client: Client, documentId: string, started: number, ended: number): Promise<Split> {
  const workflowId = quoteWorkflowId(documentId);
  const signal = calls.get(`${workflowId}:signalWorkflowExecution`);
  const update = calls.get(`${workflowId}:updateWorkflowExecution`);
  if (!update) throw new Error(`no timed calls for ${workflowId}`);
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const task = updateTaskOf(events);
  const signalled = events.findIndex((event) => event.workflowExecutionSignaledEventAttributes);
  const tasksBefore = signalled < 0 ? 0 : events.slice(signalled, task.scheduled).filter((event) => event.workflowTaskCompletedEventAttributes).length;
  return {
    total: ended - started,
    apiBeforeTemporal: (signal ?? update).start - started,
    signalCall: signal ? signal.end - signal.start : 0,
    betweenCalls: signal ? update.start - signal.end : 0,
    untilTaskScheduled: task.scheduledMs - update.start,
    taskQueued: task.startedMs - task.scheduledMs,
    taskRunning: task.completedMs - task.startedMs,
    answerBack: update.end - task.completedMs,
    apiAfterUpdate: ended - update.end,
    tasksBefore,
  };
}

/** How long queries waited for a pooled connection (the API and the worker share the process's pools here). */
const poolWaits: number[] = [];
function timePoolWaits(): void {
  const connect = pg.Pool.prototype.connect as (...args: unknown[]) => Promise<unknown>;
  pg.Pool.prototype.connect = function timedConnect(this: pg.Pool, ...args: unknown[]) {
    const start = performance.now();
    const result = connect.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') void (result as Promise<unknown>).then(() => poolWaits.push(performance.now() - start), () => undefined);
    return result;
  } as typeof pg.Pool.prototype.connect;
}

async function main(): Promise<void> {
  timePoolWaits();
  await inBenchEnvironment({ database: 'greenlight_bench_split' }, async () => {
    const mailer = new CapturingMailer('buyer.bench');
    const stack = await startStack({ mailer });
    timeTemporalCalls(stack.client);
    const { api, quote } = await benchSeller(stack);
    const accepts: { documentId: string; started: number; ended: number }[] = [];
    const lifecycle = async (index: number): Promise<number> => {
      const created = await succeeded(api.POST('/v1/documents', { body: quote(index) }));
      const link = await sendForPortalLink(api, mailer, stack.config.publicUrl, created.id);
      const page = await fetch(link);
      await page.arrayBuffer();
      const started = Date.now();
      const before = performance.now();
      const answer = await postPortalDecision(link, 'accept');
      const latency = performance.now() - before;
      if (answer.status !== 200) throw new Error(`accept answered ${answer.status}`);
      accepts.push({ documentId: created.id, started, ended: Date.now() });
      return latency;
    };
    await runPool({ count: CONCURRENCY }, CONCURRENCY, lifecycle);
    accepts.length = 0;
    poolWaits.length = 0;
    const cpuBefore = process.cpuUsage();
    const run = await runPool({ count: LIFECYCLES }, CONCURRENCY, lifecycle);
    const cpu = process.cpuUsage(cpuBefore);
    const splits = await Promise.all(accepts.map((accept) => splitOf(stack.client, accept.documentId, accept.started, accept.ended)));
    await stack.close();
    console.log(
      `${accepts.length} lifecycles in ${run.seconds.toFixed(1)} s, ${CONCURRENCY} at once: ${(accepts.length / run.seconds).toFixed(2)}/s; ` +
        `process CPU ${((cpu.user + cpu.system) / 1000 / accepts.length).toFixed(1)} ms per lifecycle`,
    );
    const waits = [...poolWaits].sort((a, b) => a - b);
    console.log(`  pool connect waits: ${waits.length}, p50 ${percentile(waits, 0.5).toFixed(1)} ms, p99 ${percentile(waits, 0.99).toFixed(1)} ms`);
    for (const part of Object.keys(splits[0] as Split) as (keyof Split)[]) {
      const sorted = splits.map((split) => split[part]).sort((a, b) => a - b);
      const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
      console.log(`  ${part.padEnd(20)} p50 ${percentile(sorted, 0.5).toFixed(0).padStart(5)}  p99 ${percentile(sorted, 0.99).toFixed(0).padStart(5)}  mean ${mean.toFixed(1).padStart(6)}`);
    }
  });
}

runBench(main);
