/**
 * Hostile input never crashes Greenlight (issue 9). The fuzz reads the served OpenAPI document
 * and sends every operation in it — and every portal post and provider webhook — requests that
 * are wrong in each way a schema allows (test/support/fuzz-targets.ts): wrong types, missing
 * and extra fields, huge strings and numbers, NaN/Infinity, NUL and lone surrogates, deep
 * nesting, 10 MB bodies, truncated multipart, prototype keys, unknown and other-tenant ids.
 * Each answer must be a 4xx (never a 5xx, never silence), problem+json from /v1 and the
 * webhooks and from the portal's JSON posts (an HTML page for its form posts), the API must
 * stay up, and nothing may be written: every table of the database (read from PostgreSQL's
 * catalog) holds exactly what it held before.
 *
 * The stack runs on a database of its own, so the tables hold this tenant's world and nothing
 * another test file writes meanwhile. Cases come from fast-check with a fixed seed (printed;
 * FUZZ_SEED and FUZZ_RUNS replay or widen a run).
 *
 * The requests stay raw, not the typed client: they are built to be what the document forbids.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { databaseUrlFor, dropDatabase, recreateDatabase, withServerAdmin } from '../../scripts/lib/database';
import { migrate } from '../../scripts/migrate';
import { eventually } from '../support/eventually';
import { openApiTargets, portalTargets, webhookTargets, type FuzzCase, type FuzzWorld, type OpenApiDocument, type Target } from '../support/fuzz-targets';
import { sendRaw, type RawAnswer } from '../support/raw-http';
import type { JsonSchema, Semantics } from '../support/schema-fuzz';
import { startPaymentStack, type PaymentStack } from '../support/payments';
import type { Stack } from '../support/stack';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_209);
const RUNS_PER_TARGET = Number(process.env.FUZZ_RUNS ?? 25);
/** Requests in flight at once: enough to overlap the database's waits on two cores. */
const IN_FLIGHT = 4;
/** A refusal takes milliseconds; an answer this late is a request left hanging (a workflow update that never returns). */
const ANSWER_WITHIN_MS = 15_000;
/** Stores the answers of POSTs sent with an Idempotency-Key, refusals included (api/idempotency.ts): the one table a refused request may grow. */
const STORED_ANSWERS_TABLE = 'IdempotentRequest';
/** Counts requests per link and per client (api/portal/rate-limits.ts): every request, refused or not, is counted there. */
const RATE_LIMIT_TABLE = 'RateLimitCounter';
/** Fields named like ids that are not ids of ours: the seller's registration numbers (VAT, SIRET), free text; its GetAccept entity, GetAccept's id. */
const REGISTRATION_NUMBERS = new Set(['taxId', 'companyId', 'entityId']);

let payments: PaymentStack;
let stack: Stack;
let database: Client;
let databaseUrl: string;
let world: FuzzWorld;
let portalSemantics: Semantics;
let openApi: OpenApiDocument;
const sharedDatabaseUrl = process.env.DATABASE_URL;

// ---------------------------------------------------------------------------------------------
// The database, as PostgreSQL's catalog describes it

async function tableNames(): Promise<string[]> {
  const { rows } = await database.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  return rows.map((row) => row.name);
}

async function columnsByTable(): Promise<Map<string, Set<string>>> {
  const { rows } = await database.query<{ table: string; column: string }>("SELECT table_name AS table, column_name AS column FROM information_schema.columns WHERE table_schema = 'public'");
  const columns = new Map<string, Set<string>>();
  for (const { table, column } of rows) columns.set(table, (columns.get(table) ?? new Set()).add(column));
  return columns;
}

/** Which table a foreign-key column points to ("assigneeId" → "User"). */
async function referencedTables(): Promise<Map<string, string>> {
  const { rows } = await database.query<{ column: string; target: string }>(`
    SELECT kcu.column_name AS column, ccu.table_name AS target
    FROM information_schema.table_constraints tc
    JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
    JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
    WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`);
  return new Map(rows.map((row) => [row.column, row.target]));
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Columns a request writes whatever its answer, so not a write of the fuzz: an API key's
 * lastUsedAt notes that the key authenticated (at most once a minute, api/auth.ts), and a fuzz
 * longer than a minute on a busy machine crosses that minute.
 */
const BOOKKEEPING_COLUMNS: Record<string, string[]> = { ApiKey: ['lastUsedAt'] };

/** Each table's row count and a digest of its whole content but bookkeeping: an update shows as much as an insert. */
async function tableContents(): Promise<Record<string, string>> {
  const contents: Record<string, string> = {};
  const columns = await columnsByTable();
  for (const table of await tableNames()) {
    const skipped = BOOKKEEPING_COLUMNS[table] ?? [];
    const kept = [...(columns.get(table) ?? [])].filter((column) => !skipped.includes(column)).sort();
    const row = skipped.length ? `ROW(${kept.map((column) => `t.${quoted(column)}`).join(', ')})::text` : 't::text';
    const { rows } = await database.query<{ count: string; rows: string | null }>(`SELECT count(*) AS count, string_agg(${row}, E'\\n' ORDER BY ${row}) AS rows FROM ${quoted(table)} t`);
    const digest = createHash('sha256').update(rows[0]?.rows ?? '').digest('hex').slice(0, 16);
    contents[table] = `${rows[0]?.count ?? 0} rows, content ${digest}`;
  }
  return contents;
}

/** Ids of every table with an `id` column: the tenant's own, or everyone's where a table has no tenant column. */
async function idsByTable(tenantId: string): Promise<Map<string, string[]>> {
  const ids = new Map<string, string[]>();
  for (const [table, columns] of await columnsByTable()) {
    if (!columns.has('id')) continue;
    const scoped = columns.has('tenantId');
    const { rows } = await database.query<{ id: string }>(`SELECT id::text AS id FROM ${quoted(table)}${scoped ? ' WHERE "tenantId" = $1' : ''}`, scoped ? [tenantId] : []);
    ids.set(table, rows.map((row) => row.id));
  }
  return ids;
}

/** "webhook-deliveries" → "webhookdelivery": a path segment as the table it names. */
function singular(segment: string): string {
  const word = segment.replace(/-/g, '').toLowerCase();
  return word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.replace(/s$/, '');
}

// ---------------------------------------------------------------------------------------------
// The stack at rest

/** Workflows of this stack with work in hand, and what it is (an activity retrying names its last failure). */
async function busyWorkflows(): Promise<string[]> {
  const busy: string[] = [];
  for await (const execution of stack.client.workflow.list({ query: `TaskQueue = "${stack.taskQueue}" AND ExecutionStatus = "Running"` })) {
    const { raw } = await stack.client.workflow.getHandle(execution.workflowId, execution.runId).describe();
    const activities = (raw.pendingActivities ?? []).map((activity) => `${activity.activityType?.name ?? 'activity'} (attempt ${activity.attempt ?? 1}${activity.lastFailure?.message ? `: ${activity.lastFailure.message.replace(/\s+/g, ' ').slice(0, 200)}` : ''})`);
    if (activities.length > 0 || raw.pendingWorkflowTask) busy.push(`${execution.workflowId}: ${activities.join(', ') || 'a workflow task'}`);
  }
  return busy;
}

interface AtRest {
  contents: Record<string, string>;
  /** Workflows still busy when the wait ended (empty: the stack came to rest). */
  busy: string[];
}

/** The tables once every workflow waits on a timer and two readings agree — or, past `timeoutMs`, as they were with what kept them moving. */
async function settle(timeoutMs: number): Promise<AtRest> {
  let previous: string | undefined;
  let last: AtRest = { contents: {}, busy: ['not read yet'] };
  try {
    return await eventually(
      async () => {
        const busy = await busyWorkflows();
        const contents = await tableContents();
        const reading = JSON.stringify(contents);
        const steady = reading === previous;
        previous = reading;
        last = { contents, busy: steady ? busy : [...busy, 'tables still changing'] };
        return last.busy.length === 0 ? last : undefined;
      },
      { what: 'every workflow to wait on a timer and the tables to stop changing', everyMs: 300, timeoutMs },
    );
  } catch {
    return last;
  }
}

// ---------------------------------------------------------------------------------------------
// The tenant's world, made as a back office makes it

function backOffice(apiKey: string) {
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
}

const LINES = [
  { description: 'Flyers A5 recto-verso, 135 g', quantity: 1000, unitPrice: 9, taxRate: 20 },
  { description: 'Pelliculage soft-touch', quantity: 1000, unitPrice: 2, taxRate: 20, optional: true },
];

async function makeWorld(): Promise<void> {
  const tenant = await stack.createTenant('Imprimerie Fuzz');
  const other = await stack.createTenant('Autre Imprimerie');
  const call = backOffice(tenant.apiKey);
  const otherCall = backOffice(other.apiKey);

  await call('PATCH', '/v1/settings', { payOnline: true, allowPrivateWebhookUrls: true });
  const user = await call<{ id: string }>('POST', '/v1/users', { name: 'Camille Durand', email: 'camille@imprimerie.example' });
  const customer = await call<{ id: string }>('POST', '/v1/customers', { name: 'Boulangerie Éclair', email: 'zoe@eclair.example', locale: 'fr' });
  const contact = await call<{ id: string }>('POST', `/v1/customers/${customer.id}/contacts`, { name: 'Zoé Müller', email: 'zoe@eclair.example' });
  const createDocument = (kind: string, lines: unknown[] = LINES) =>
    call<{ id: string }>('POST', '/v1/documents', { kind, customerId: customer.id, contactId: contact.id, assigneeId: user.id, title: `Fuzz ${kind}`, lines });
  const [, sentQuote, order, invoice] = await Promise.all([
    createDocument('quote'),
    createDocument('quote'),
    createDocument('order'),
    createDocument('invoice'),
    createDocument('delivery_note'),
    createDocument('proof', []),
  ]);
  await call('POST', '/v1/requests', { customerId: customer.id, product: 'Shooting photo produit', priceOnQuote: true, assigneeId: user.id });
  await call('POST', '/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/greenlight', events: ['document.paid'] });
  const otherCustomer = await otherCall<{ id: string }>('POST', '/v1/customers', { name: 'Ailleurs SA' });
  await otherCall('POST', '/v1/documents', { kind: 'quote', customerId: otherCustomer.id, lines: LINES });

  const sent = [sentQuote, order, invoice];
  await Promise.all(sent.map((one) => call('POST', `/v1/documents/${one.id}/send`, {})));
  const portalTokens = await eventually(
    async () => {
      const links = new Set((await stack.readOutbox()).flatMap((email) => email.links.filter((link) => link.startsWith(`${stack.baseUrl}/d/`))));
      return links.size >= sent.length ? [...links].map((link) => link.slice(`${stack.baseUrl}/d/`.length)) : undefined;
    },
    { what: 'the emails carrying the portal links' },
  );
  await eventually(async () => ((await Promise.all(sent.map((one) => call<{ status: string }>('GET', `/v1/documents/${one.id}`)))).every((one) => one.status === 'sent') ? true : undefined), {
    what: 'the documents to be sent',
  });
  const registration = await call<{ url: string }>('GET', '/v1/signatures/webhook');
  // What makes every GetAccept notice wrong, right token or not: it can name no document of ours.
  const { rows: signatures } = await database.query<{ count: string }>('SELECT count(*) AS count FROM "ExternalSignature"');
  if (signatures[0]?.count !== '0') throw new Error('The fuzz assumes no document was sent through GetAccept');

  const ids = await idsByTable(tenant.tenantId);
  const otherIds = await idsByTable(other.tenantId);
  const columns = await columnsByTable();
  const references = await referencedTables();
  const knownIds = new Set([...ids.values()].flat());
  openApi = (await (await fetch(`${stack.baseUrl}/v1/openapi.json`)).json()) as OpenApiDocument;
  const documentSchemas = openApi.components?.schemas ?? {};
  const base = {
    resolve: (ref: string) => documentSchemas[ref.split('/').pop() ?? ''] as JsonSchema,
    knownIds,
    idsFor: (field: string) => ids.get(references.get(field) ?? '') ?? [],
  };
  world = {
    semantics: { ...base, isReference: (field) => /Id$/.test(field) && !REGISTRATION_NUMBERS.has(field), integersAreStored: true },
    apiKey: tenant.apiKey,
    adminToken: stack.adminToken,
    idsAfter: (segment) => {
      const name = singular(segment);
      const tables = [...ids.keys()].filter((table) => table.toLowerCase() === name || table.toLowerCase().endsWith(name));
      const matching = tables.flatMap((table) => ids.get(table) ?? []);
      return matching.length > 0 ? matching : [...knownIds];
    },
    otherTenantIds: [...otherIds].filter(([table]) => columns.get(table)?.has('tenantId')).flatMap(([, list]) => list),
    portalTokens,
    tenantId: tenant.tenantId,
    otherTenantId: other.tenantId,
    getAcceptToken: new URL(registration.url).searchParams.get('token') ?? '',
  };
  // The portal's only reference is the page view a report confirms; its integers are read, not stored.
  portalSemantics = { ...base, isReference: (field) => field === 'viewId', integersAreStored: false };
}

beforeAll(async () => {
  if (!sharedDatabaseUrl) throw new Error('Run through jest: test/global-setup.ts provides DATABASE_URL');
  const name = `greenlight_fuzz_${process.pid}`;
  databaseUrl = databaseUrlFor(sharedDatabaseUrl, name);
  await withServerAdmin(sharedDatabaseUrl, (admin) => recreateDatabase(admin, name));
  await migrate(databaseUrl);
  process.env.DATABASE_URL = databaseUrl;
  // Thousands of posts on three links within a minute: the portal's limits would answer most of them.
  process.env.PORTAL_RATE_LIMIT_PER_TOKEN = '1000000';
  process.env.PORTAL_RATE_LIMIT_PER_IP = '1000000';
  payments = await startPaymentStack();
  stack = payments.stack;
  database = new Client({ connectionString: databaseUrl });
  await database.connect();
  await makeWorld();
}, 180_000);

afterAll(async () => {
  await database?.end();
  await payments?.close();
  process.env.DATABASE_URL = sharedDatabaseUrl;
  if (sharedDatabaseUrl && databaseUrl) await dropDatabase(sharedDatabaseUrl, new URL(databaseUrl).pathname.slice(1));
}, 60_000);

// ---------------------------------------------------------------------------------------------
// The fuzz

interface Failure {
  target: string;
  fault: string;
  fuzzCase: FuzzCase;
  answer: RawAnswer;
}

function faultOf(fuzzCase: FuzzCase, answer: RawAnswer): string | undefined {
  if ('failed' in answer) return `no answer (${answer.failed})`;
  if (answer.status >= 500) return `${answer.status} ${problemType(answer)}`;
  if (answer.status < 400) return `${answer.status}: an invalid request accepted`;
  if (fuzzCase.expects === 'html') return /^text\/html/.test(answer.contentType) ? undefined : `${answer.status} answered ${answer.contentType || 'no Content-Type'}, not an HTML page`;
  if (!/^application\/problem\+json/.test(answer.contentType)) return `${answer.status} answered ${answer.contentType || 'no Content-Type'}, not problem+json`;
  const status = (() => {
    try {
      return (JSON.parse(answer.body) as { status?: unknown }).status;
    } catch {
      return undefined;
    }
  })();
  return status === answer.status ? undefined : `${answer.status} with a problem whose status is ${String(status)}`;
}

function problemType(answer: { body: string }): string {
  return /"type":"[^"]*\/([^"/]+)"/.exec(answer.body)?.[1] ?? answer.body.slice(0, 80);
}

/** A stable seed per target: a new route does not reshuffle the cases of the others. */
function seedFor(target: string): number {
  return (SEED ^ createHash('sha256').update(target).digest().readUInt32BE(0)) >>> 0;
}

async function inParallel<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        await run(item);
      }
    }),
  );
}

const excerpt = (text: string, length = 160) => JSON.stringify(text.length > length ? `${text.slice(0, length)}…` : text);

function describeFailure({ target, fault, fuzzCase, answer }: Failure, count: number): string {
  const { request } = fuzzCase;
  const body = request.body ? ` body ${excerpt(request.body.subarray(0, 400).toString('utf8'))} (${request.body.length} bytes)` : '';
  const headers = Object.entries(request.headers)
    .filter(([name]) => name !== 'authorization')
    .map(([name, value]) => `${name}: ${excerpt(value, 60)}`)
    .join(', ');
  const answered = 'failed' in answer ? answer.failed : `${answer.status} ${answer.contentType} ${excerpt(answer.body)}`;
  return [
    `✗ ${target} — ${fault} (${count}×)`,
    `    sent ${request.method} ${excerpt(request.path, 120)} [${headers}]${body}`,
    `    invalid because ${fuzzCase.why.slice(0, 3).join('; ')}`,
    `    answered ${answered}`,
  ].join('\n');
}

function report(failures: Failure[]): string {
  const groups = new Map<string, { first: Failure; count: number }>();
  for (const failure of failures) {
    // One line per route, fault and kind of hostility (the reasons with their values left out).
    const kind = failure.fuzzCase.why.map((reason) => reason.replace(/"[^"]*"|\[[^\]]*\]|\d+/g, '…')).join('; ');
    const key = `${failure.target} ${failure.fault.replace(/\(.*\)/, '')} ${kind}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { first: failure, count: 1 });
  }
  return [...groups.values()].map(({ first, count }) => describeFailure(first, count)).join('\n');
}

it(
  'answers every invalid request to every route with a 4xx problem, stays up, and writes nothing',
  async () => {
    const targets: Target[] = [...openApiTargets(openApi, world), ...portalTargets(world, portalSemantics), ...webhookTargets(world)];
    console.log(`api-fuzz: seed ${SEED} (FUZZ_SEED), ${RUNS_PER_TARGET} drawn cases per target (FUZZ_RUNS), ${targets.length} targets`);
    const { contents: before, busy: busyBefore } = await settle(60_000);
    if (busyBefore.length > 0) throw new Error(`The stack never came to rest before the fuzz: ${busyBefore.join('; ')}`);

    const failures: Failure[] = [];
    let sent = 0;
    for (const target of targets) {
      const cases = [...target.fixed, ...fc.sample(target.cases, { seed: seedFor(target.name), numRuns: RUNS_PER_TARGET })];
      await inParallel(cases, IN_FLIGHT, async (fuzzCase) => {
        const answer = await sendRaw(stack.baseUrl, fuzzCase.request, ANSWER_WITHIN_MS);
        sent += 1;
        const fault = faultOf(fuzzCase, answer);
        if (fault) failures.push({ target: target.name, fault, fuzzCase, answer });
      });
      if (target.dropped) await sendRaw(stack.baseUrl, target.dropped);
      // Liveness after each batch: the API still answers, and its stores with it.
      const health = await sendRaw(stack.baseUrl, { method: 'GET', path: '/healthz', headers: {} });
      if ('failed' in health || health.status !== 200) throw new Error(`After ${target.name} the API no longer answers /healthz: ${JSON.stringify(health)}\n${report(failures)}`);
    }

    const { contents: after, busy } = await settle(20_000);
    const { rows: storedAnswers } = await database.query<{ status: number; count: string }>(`SELECT status, count(*) AS count FROM ${quoted(STORED_ANSWERS_TABLE)} GROUP BY status`);
    const writes = Object.keys({ ...before, ...after })
      .filter((table) => table !== STORED_ANSWERS_TABLE && table !== RATE_LIMIT_TABLE && before[table] !== after[table])
      .map((table) => `✗ ${table} was written: ${before[table] ?? 'absent'} → ${after[table] ?? 'absent'}`);
    const storedOutsideRefusals = storedAnswers.filter((row) => row.status < 400 || row.status >= 500).map((row) => `✗ ${row.count} Idempotency-Key answer(s) stored with status ${row.status}`);
    const pollution = Object.keys(Object.prototype).map((key) => `✗ Object.prototype polluted with "${key}"`);
    console.log(`api-fuzz: ${sent} requests, ${failures.length} answered wrong`);

    const restless = busy.map((work) => `✗ still at work after the fuzz: ${work}`);
    expect([report(failures), ...writes, ...restless, ...storedOutsideRefusals, ...pollution].filter(Boolean).join('\n')).toBe('');
  },
  300_000,
);
