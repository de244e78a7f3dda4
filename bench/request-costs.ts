/**
 * `npm run bench:costs`: what one request costs in round trips, which no load on the machine
 * moves — SQL statements sent to PostgreSQL and Temporal calls made by the API while handling
 * it — for the requests issue 12 measures under load: `POST /v1/documents`, the portal page
 * (`GET /d/:token`) and the portal's accept (`POST /d/:token/accept`, JSON). Then the history
 * of one accepted quote's workflow, by event type.
 *
 * Each request is sent alone, several times, and attributed by async context: every statement
 * node-postgres sends and every call on the API's Temporal client is counted against the
 * request being handled (the worker's activities, running beside it in this process, are in no
 * request's context and are counted apart). BENCH_COSTS_VERBOSE=1 prints the statements.
 * Then the CPU time of BENCH_COSTS_CPU_RUNS (200) creations and as many page opens, one after
 * the other: process CPU (client, API and worker alike, all in this process) per request, which
 * other work on the machine moves far less than it moves latencies.
 * Last, the process CPU of replaying that whole history, BENCH_COSTS_REPLAYS (200) times: the
 * work a worker does to rebuild a quote that left its sticky cache before it can take a decision
 * on it (bench/waiting-quotes.ts times those decisions under load).
 * Prints figures; asserts nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import pg from 'pg';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { succeeded } from '../test/support/api';
import { postPortalDecision } from '../test/support/http';
import { quoteRunOver } from '../test/support/quote-run';
import { startStack } from '../test/support/stack';
import { testWorkflowCode } from '../test/support/worker';
import { benchSeller, CapturingMailer, inBenchEnvironment, intFromEnv, runBench, sendForPortalLink } from './harness';

const REPEATS = intFromEnv('BENCH_COSTS_REPEATS', 3);
const VERBOSE = process.env.BENCH_COSTS_VERBOSE === '1';
const CPU_RUNS = intFromEnv('BENCH_COSTS_CPU_RUNS', 200);
const REPLAYS = intFromEnv('BENCH_COSTS_REPLAYS', 200);

interface Costs {
  sql: string[];
  temporal: string[];
}

const requestCosts = new AsyncLocalStorage<Costs>();
/** What ran outside any request meanwhile: the worker's activities, sweepers. */
let background: Costs = { sql: [], temporal: [] };

function costsHere(): Costs {
  return requestCosts.getStore() ?? background;
}

/** Every statement node-postgres sends (Prisma's adapter among them), in the context that sent it. */
function countStatements(): void {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '?');
    costsHere().sql.push(text.replace(/\s+/g, ' ').trim());
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

/** Each HTTP request of the API handled in a context of its own. */
function attributeRequests(): void {
  const createServer = http.createServer.bind(http);
  (http as { createServer: unknown }).createServer = (listener: http.RequestListener) =>
    createServer((req, res) => {
      // Read now: routers rewrite req.url while they handle it.
      const key = `${req.method} ${req.url}`;
      const costs: Costs = { sql: [], temporal: [] };
      res.on('finish', () => lastRequest.set(key, costs));
      requestCosts.run(costs, () => listener(req, res));
    });
}
const lastRequest = new Map<string, Costs>();

/** Every call of the API's Temporal client (gRPC to the frontend), in the context that made it. */
function countTemporalCalls(client: Client): void {
  // The service's methods are its own properties (protobufjs), each a call to the frontend.
  const service = client.workflowService as unknown as Record<string, unknown>;
  for (const name of Object.keys(service)) {
    const method = service[name];
    if (name === 'rpcImpl' || typeof method !== 'function') continue;
    service[name] = (...args: unknown[]) => {
      costsHere().temporal.push(name);
      return (method as (...a: unknown[]) => unknown).apply(service, args);
    };
  }
}

function tally(items: string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, count]) => `${count}× ${item}`).join(', ');
}

function summarizeStatement(text: string): string {
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
}

function report(label: string, runs: Costs[]): void {
  const sql = runs.map((run) => run.sql.length);
  const temporal = runs.map((run) => run.temporal.length);
  console.log(`${label}\n  SQL statements per request: ${sql.join(', ')}\n  Temporal calls per request: ${temporal.join(', ')}${temporal.some(Boolean) ? ` (${tally(runs.at(-1)?.temporal ?? [])})` : ''}`);
  if (VERBOSE) for (const statement of runs.at(-1)?.sql ?? []) console.log(`    ${summarizeStatement(statement)}`);
}

/** Process CPU (user + system) per run of `send`, `runs` times one after the other. */
async function cpuPerRun(runs: number, send: (index: number) => Promise<unknown>): Promise<string> {
  const before = process.cpuUsage();
  for (let index = 0; index < runs; index += 1) await send(index);
  return cpuSince(before, runs);
}

/** Process CPU since `before`, per run. */
function cpuSince(before: NodeJS.CpuUsage, runs: number): string {
  const used = process.cpuUsage(before);
  return `${((used.user + used.system) / 1000 / runs).toFixed(2)} ms`;
}

/**
 * Process CPU per replay of `history`, `runs` times by one replaying worker, as the SDK runs
 * them: in this thread, each in the workflow sandbox, through the worker's own workflow bundle.
 * Counted from the end of a warm-up (the replaying worker made, its code compiled).
 */
async function cpuPerReplay(runs: number, history: temporal.api.history.v1.IHistory): Promise<string> {
  const warmUp = Math.min(runs, 20);
  const histories = Array.from({ length: warmUp + runs }, (_, index) => ({ workflowId: `replay-${index}`, history }));
  let replayed = 0;
  let before = process.cpuUsage();
  for await (const result of Worker.runReplayHistories(testWorkflowCode(), histories)) {
    if (result.error) throw result.error;
    replayed += 1;
    if (replayed === warmUp) before = process.cpuUsage();
  }
  return cpuSince(before, runs);
}

/** The costs of the one request to `path` that `send` makes. */
async function costOf(send: () => Promise<unknown>, key: string): Promise<Costs> {
  lastRequest.delete(key);
  await send();
  // 'finish' comes after the answer is written: wait for it.
  while (!lastRequest.has(key)) await new Promise((resolve) => setTimeout(resolve, 5));
  return lastRequest.get(key) as Costs;
}

async function main(): Promise<void> {
  countStatements();
  attributeRequests();
  await inBenchEnvironment({ database: 'greenlight_bench_costs' }, async () => {
    const mailer = new CapturingMailer('buyer.bench');
    const stack = await startStack({ mailer });
    countTemporalCalls(stack.client);
    try {
      const { api, quote } = await benchSeller(stack);

      // From here on, what runs outside requests is the worker's part of these quotes (and the sweepers' ticks).
      background = { sql: [], temporal: [] };
      const creations: Costs[] = [];
      const created: string[] = [];
      for (let index = 0; index < REPEATS; index += 1) {
        creations.push(await costOf(async () => created.push((await succeeded(api.POST('/v1/documents', { body: quote(index) }))).id), 'POST /v1/documents'));
      }
      report('POST /v1/documents (a quote of three lines):', creations);

      const links = await Promise.all(created.map((id) => sendForPortalLink(api, mailer, stack.config.publicUrl, id)));
      const openPage = async (index: number) => {
        const page = await fetch(links[index % links.length] as string, { headers: { accept: 'text/html', 'user-agent': 'Mozilla/5.0 (bench) Firefox/140.0' } });
        await page.arrayBuffer();
      };
      console.log(`Process CPU per request, ${CPU_RUNS} one after the other:`);
      console.log(`  POST /v1/documents: ${await cpuPerRun(CPU_RUNS, (index) => succeeded(api.POST('/v1/documents', { body: quote(index) })))}`);
      console.log(`  portal page GET: ${await cpuPerRun(CPU_RUNS, openPage)}`);

      const pages: Costs[] = [];
      const accepts: Costs[] = [];
      for (const [index, link] of links.entries()) {
        const path = new URL(link).pathname;
        pages.push(await costOf(() => openPage(index), `GET ${path}`));
        accepts.push(await costOf(() => postPortalDecision(link, 'accept'), `POST ${path}/accept`));
      }
      report('Portal page GET (a sent quote):', pages);
      report('Portal accept POST (JSON):', accepts);

      const lastId = created.at(-1) as string;
      await quoteRunOver(stack, lastId);
      const history = await stack.client.workflow.getHandle(`quote-${lastId}`).fetchHistory();
      const types = (history.events ?? []).map((event) => Object.keys(event).find((key) => key.endsWith('EventAttributes'))?.replace(/EventAttributes$/, '') ?? '?');
      console.log(`Quote workflow history, created → sent → viewed → accepted → over: ${types.length} events\n  ${tally(types)}`);
      const activities = (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
      console.log(`  activities: ${tally(activities)}`);
      console.log(`Outside requests, from the first creation to the last quote's end (worker, sweepers): ${background.sql.length} SQL statements`);
      if (VERBOSE) console.log(`  ${tally(background.sql.map((statement) => summarizeStatement(statement).slice(0, 60)))}`);
      console.log(`Replaying that whole history (as a worker rebuilds a quote that left its cache), ${REPLAYS} times: ${await cpuPerReplay(REPLAYS, history)} of CPU each`);
    } finally {
      await stack.close();
    }
  });
}

runBench(main);
