/**
 * The production topology of `make cluster` under faults (issue 11, point 3): Temporal's own
 * server on PostgreSQL (scripts/lib/temporal-cluster.ts), two worker and two API processes
 * under the supervisor's restart policy (scripts/lib/supervisor.ts), the load balancer in
 * front (devtools/load-balancer/), the mail outbox and the Stripe stand-in — on databases
 * `greenlight_clustertest*` and free ports of its own, so it never meets a developer's
 * `make cluster` or the other test files.
 *
 * 30 quotes go through both APIs at once (create, send, the customer views and accepts), a
 * proof revision is rendered and sent, an invoice is paid on the Stripe stand-in — while a
 * worker is SIGKILLed (the supervisor restarts it), an API is SIGKILLed with requests in
 * flight (the balancer retries idempotent requests; POSTs carry Idempotency-Keys and the client
 * resends them), and the Temporal server is stopped (SIGTERM) for 10 s and started again.
 * Afterwards every document is in its final state, and the receivers count each email once,
 * each webhook event under one webhook-id, each charge once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { startLoadBalancer, type RunningLoadBalancer } from '../../devtools/load-balancer/server';
import { startOutbox, type Outbox } from '../../devtools/outbox/server';
import { startStripeStandIn, type StripeStandIn, type WebhookTarget } from '../../devtools/stripe/server';
import { databaseUrlFor, withServerAdmin, recreateDatabase } from '../../scripts/lib/database';
import { findFreePort, isPortTaken } from '../../scripts/lib/ports';
import { SupervisedChild } from '../../scripts/lib/supervisor';
import { MAX_MEMBERSHIP_PORT, startTemporalCluster, temporalClusterPorts, temporalDatabaseNames, type TemporalCluster, type TemporalClusterOptions } from '../../scripts/lib/temporal-cluster';
import { bundleWorkflowsTo } from '../../scripts/lib/workflow-bundle';
import { migrate } from '../../scripts/migrate';
import { eventually } from '../support/eventually';
import { readOutbox, recipientsOf, type OutboxEmail } from '../support/outbox';
import { textPdf } from '../support/proof-uploads';
import { startReceiver, verifies, type Receiver } from '../support/webhook-receiver';

const root = path.resolve(__dirname, '..', '..');
const QUOTES = 30;
const LANES = 10;
/** The fault: how long Temporal's server stays down. */
const TEMPORAL_DOWN_MS = 10_000;
/**
 * A POST cut by the API's SIGKILL leaves its Idempotency-Key claimed for 5 minutes
 * (api/idempotency.ts STALE_CLAIM_MS): its resends get 409 until then, which this budget allows.
 */
const TEST_BUDGET_MS = 540_000;

const runDir = path.join(root, '.data', 'test', `cluster-${process.pid}`);
const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/greenlight';
const databaseUrl = databaseUrlFor(serverUrl, 'greenlight_clustertest');
const adminToken = `clustertest-admin-${randomBytes(12).toString('hex')}`;

let temporal: TemporalCluster | undefined;
let temporalOptions: TemporalClusterOptions;
let outbox: Outbox;
let stripe: StripeStandIn;
let balancer: RunningLoadBalancer;
let receiver: Receiver;
const children = new Map<string, SupervisedChild>();
const logs: WriteStream[] = [];
const gaveUp: string[] = [];

function logFile(name: string): WriteStream {
  const stream = createWriteStream(path.join(runDir, `${name}.log`));
  logs.push(stream);
  return stream;
}

/** The first of `count` consecutive free ports (Temporal's server binds a row of them). */
async function freePortRow(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const first = 20_000 + Math.floor(Math.random() * (MAX_MEMBERSHIP_PORT - 20_000 - count));
    const taken = await Promise.all(Array.from({ length: count }, (_, i) => isPortTaken(first + i)));
    if (!taken.some(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/** Set once the test has failed somewhere (or ended): the other lanes stop rather than poll a stopped cluster until their deadlines. */
let abandoned = false;
const ABANDONED = Symbol('abandoned');
class Abandoned extends Error {
  constructor() {
    super('abandoned: the test failed elsewhere');
  }
}

/** eventually(), given up at once when the test has failed elsewhere. */
async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number, everyMs = 500): Promise<T> {
  const value = await eventually<T | typeof ABANDONED>(async () => (abandoned ? ABANDONED : probe()), { what, timeoutMs, everyMs });
  if (value === ABANDONED) throw new Abandoned();
  return value;
}

const clusterHealthy = (url: string, timeoutMs: number) => waitFor(async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 'the whole cluster healthy', timeoutMs);

beforeAll(async () => {
  mkdirSync(runDir, { recursive: true });
  const names = temporalDatabaseNames(databaseUrl);
  await withServerAdmin(serverUrl, async (admin) => {
    for (const name of ['greenlight_clustertest', names.persistence, names.visibility]) await recreateDatabase(admin, name);
  });
  const [temporalPort, lbPort, outboxPort, ...processPorts] = await Promise.all([
    freePortRow(Object.keys(temporalClusterPorts(1)).length),
    ...Array.from({ length: 6 }, () => findFreePort()),
  ]);
  const [api1, api2, health1, health2] = processPorts as [number, number, number, number];
  const temporalLog = logFile('temporal');
  temporalOptions = {
    port: temporalPort,
    databaseUrl,
    dir: path.join(runDir, 'temporal'),
    namespace: 'default',
    onOutput: (child) => {
      child.stdout?.pipe(temporalLog, { end: false });
      child.stderr?.pipe(temporalLog, { end: false });
    },
    log: (line) => temporalLog.write(`[setup] ${line}\n`),
    readyTimeoutMs: 180_000,
  };
  const stripeWebhooks: WebhookTarget[] = [];
  const [cluster, bundlePath] = await Promise.all([
    startTemporalCluster(temporalOptions),
    bundleWorkflowsTo(path.join(runDir, 'workflow-bundle.js'), path.join(root, 'workflows', 'index.ts')),
    migrate(databaseUrl),
  ]);
  temporal = cluster;
  outbox = await startOutbox({ port: outboxPort as number, dataDir: path.join(runDir, 'outbox') });
  stripe = await startStripeStandIn({ port: 0, webhooks: stripeWebhooks });
  // Its first two answers are failures: those deliveries are retried, under the same webhook-id.
  receiver = await startReceiver([500, 503]);
  const publicUrl = `http://127.0.0.1:${lbPort}`;
  const stripeSecret = `whsec_clustertest_${randomBytes(16).toString('hex')}`;
  stripeWebhooks.push({ url: `${publicUrl}/webhooks/stripe`, secret: stripeSecret });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'info',
    FORCE_COLOR: '0',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: cluster.address,
    PUBLIC_URL: publicUrl,
    ADMIN_TOKEN: adminToken,
    DATA_DIR: path.join(runDir, 'data'),
    RESEND_API_KEY: '',
    RESEND_BASE_URL: outbox.url,
    OUTBOX_URL: outbox.url,
    STRIPE_API_URL: stripe.url,
    STRIPE_SECRET_KEY: 'sk_test_greenlight_clustertest',
    STRIPE_WEBHOOK_SECRET: stripeSecret,
    // Every customer here comes from 127.0.0.1: the portal's per-IP budget is not what is tested.
    PORTAL_RATE_LIMIT_PER_IP: '1000000',
    PORTAL_RATE_LIMIT_PER_TOKEN: '1000000',
    WORKFLOW_BUNDLE_PATH: bundlePath,
    // A failed delivery is retried in seconds, not the production schedule's hours.
    WEBHOOK_RETRY_DELAYS: 'PT1S,PT2S,PT5S',
  };
  const specs = [
    { name: 'worker-1', entry: 'workers/main.ts', own: { WORKER_HEALTH_PORT: String(health1) } },
    { name: 'worker-2', entry: 'workers/main.ts', own: { WORKER_HEALTH_PORT: String(health2) } },
    { name: 'api-1', entry: 'api/server.ts', own: { PORT: String(api1), TRUST_PROXY_HOPS: '1' } },
    { name: 'api-2', entry: 'api/server.ts', own: { PORT: String(api2), TRUST_PROXY_HOPS: '1' } },
  ];
  for (const { name, entry, own } of specs) {
    const log = logFile(name);
    const child = new SupervisedChild(
      { name, command: process.execPath, args: ['--import', 'tsx', entry], env: { ...env, ...own }, cwd: root },
      (line) => log.write(`${line}\n`),
      (reason) => gaveUp.push(reason),
    );
    children.set(name, child);
    child.start();
  }
  balancer = await startLoadBalancer({
    port: lbPort as number,
    apiUrls: [api1, api2].map((port) => `http://127.0.0.1:${port}`),
    workerHealthUrls: [health1, health2].map((port) => `http://127.0.0.1:${port}/healthz`),
    temporalAddress: cluster.address,
  });
  await clusterHealthy(balancer.url, 180_000);
}, 300_000);

afterAll(async () => {
  abandoned = true;
  await Promise.all([...children.values()].map((child) => child.stop()));
  await balancer?.close();
  await temporal?.stop();
  await Promise.all([outbox?.close(), stripe?.close(), receiver?.close()]);
  for (const log of logs) log.end();
  // GREENLIGHT_KEEP_TEST_RUN=1 keeps the processes' logs for a post-mortem.
  if (process.env.GREENLIGHT_KEEP_TEST_RUN) console.log(`[cluster test] kept ${runDir}`);
  else rmSync(runDir, { recursive: true, force: true });
}, 120_000);

interface Answer<T> {
  status: number;
  body: T;
}

/**
 * A request as a careful integrator sends it through the balancer: a POST carries an
 * Idempotency-Key, and whatever did not get an answer (a cut connection, 502 from the
 * balancer, 503 while Temporal is down, 409 while the key's first attempt is still running)
 * is sent again, the same key with it. Bounded: a broken cluster fails the test.
 */
async function send<T>(method: string, url: string, options: { apiKey?: string; body?: unknown; idempotent?: boolean } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST' && options.idempotent !== false) headers['idempotency-key'] = randomUUID();
  const deadline = Date.now() + 360_000;
  let last = '';
  while (Date.now() < deadline) {
    if (abandoned) throw new Abandoned();
    try {
      const response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await response.text();
      const body = (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
      const retry = response.status === 502 || response.status === 503 || (response.status === 409 && headers['idempotency-key'] && /still being processed|being claimed/.test(text));
      if (!retry) return { status: response.status, body: body as T };
      last = `${response.status} ${text.slice(0, 200)}`;
      countResend(String(response.status));
    } catch (error) {
      last = String((error as Error).cause ?? error);
      countResend('no answer');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${method} ${url} got no answer in time (last: ${last})`);
}

/** What made the client send a request again, and how often: the faults as a client met them. */
const resends = new Map<string, number>();
const countResend = (why: string) => resends.set(why, (resends.get(why) ?? 0) + 1);

async function expectAnswer<T>(what: string, status: number, answer: Promise<Answer<T>>): Promise<T> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what} answered ${got}: ${JSON.stringify(body)}`);
  return body;
}

/** The outbox's emails, read once per poll by every waiter. */
let outboxSnapshot: Promise<OutboxEmail[]> | undefined;
function emails(): Promise<OutboxEmail[]> {
  outboxSnapshot ??= readOutbox(outbox.url).finally(() => setTimeout(() => (outboxSnapshot = undefined), 250));
  return outboxSnapshot;
}

const portalLink = (email: OutboxEmail) => email.links.find((link) => link.startsWith(`${balancer.url}/d/`));

/** Rows of Greenlight's own database, read as they are. */
async function readRows<T extends object>(sql: string): Promise<T[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return (await db.query<T>(sql)).rows;
  } finally {
    await db.end();
  }
}

/** The webhook deliveries Greenlight recorded (one per event and endpoint). */
const deliveryRows = () => readRows<{ id: string; status: string }>('SELECT id, status FROM "WebhookDelivery"');

async function killAndAwaitRestart(name: string): Promise<void> {
  const child = children.get(name);
  const pid = child?.pid;
  if (!child || pid === undefined) throw new Error(`${name} is not running`);
  process.kill(pid, 'SIGKILL');
  await waitFor(async () => (child.pid !== pid ? true : undefined), `${name} restarted`, 30_000);
}

it(
  `drives ${QUOTES} quotes, a proof and an invoice through both APIs while a worker, an API and Temporal fail`,
  async () => {
    const started = Date.now();
    const { apiKey } = await expectAnswer<{ apiKey: string }>('POST /v1/tenants', 201, send('POST', `${balancer.url}/v1/tenants`, { apiKey: adminToken, body: { name: 'Cluster Print Shop' } }));
    const call = <T>(method: string, route: string, body?: unknown) => send<T>(method, `${balancer.url}${route}`, { apiKey, body });
    const created = <T>(route: string, body: unknown) => expectAnswer<T>(`POST ${route}`, 201, call<T>('POST', route, body));
    // The receiver listens on loopback, which a tenant must allow first.
    await expectAnswer('PATCH /v1/settings', 200, call('PATCH', '/v1/settings', { payOnline: true, allowPrivateWebhookUrls: true }));
    const endpoint = await created<{ id: string; secret: string }>('/v1/webhook-endpoints', { url: receiver.url, events: ['document.*'] });
    const seller = await created<{ id: string }>('/v1/users', { name: 'Camille Durand', email: 'camille@cluster.test', notify: { decided: ['email'] } });

    const newDocument = async (kind: 'quote' | 'proof' | 'invoice', tag: string) => {
      const contactEmail = `${kind}-${tag}@customer.test`;
      const customer = await created<{ id: string }>('/v1/customers', { name: `Client ${tag}`, locale: 'en' });
      const contact = await created<{ id: string }>(`/v1/customers/${customer.id}/contacts`, { name: `Contact ${tag}`, email: contactEmail });
      const lines = kind === 'proof' ? [] : [{ description: `Flyers ${tag}`, quantity: 100, unitPrice: 12, taxRate: 20 }];
      const document = await created<{ id: string; number: string }>('/v1/documents', { kind, customerId: customer.id, contactId: contact.id, assigneeId: seller.id, title: `${kind} ${tag}`, lines });
      return { ...document, contactEmail };
    };
    const documentOf = async (id: string) => expectAnswer<{ status: string; revisions?: { number: number; status: string }[] }>('GET document', 200, call('GET', `/v1/documents/${id}`));
    const reaches = (id: string, status: string) =>
      waitFor(async () => ((await documentOf(id)).status === status ? true : undefined), `${id} ${status}`, 240_000, 1000);
    const emailTo = (recipient: string) =>
      waitFor(async () => (await emails()).find((email) => recipientsOf(email).includes(recipient) && portalLink(email)), `the email to ${recipient}`, 240_000);

    /** One quote's whole life, as its seller and its customer live it. */
    const quoteContacts: string[] = [];
    const quoteLife = async (index: number): Promise<string> => {
      const quote = await newDocument('quote', `q${index}`);
      quoteContacts.push(quote.contactEmail);
      await expectAnswer('POST send', 202, call('POST', `/v1/documents/${quote.id}/send`, {}));
      const link = portalLink(await emailTo(quote.contactEmail)) as string;
      // The email leaves before the workflow records the send: the customer acts on a sent quote.
      await reaches(quote.id, 'sent');
      await expectAnswer('the portal page', 200, send('GET', link));
      const accepted = await send<{ status: string }>('POST', `${link}/accept`, { body: {}, idempotent: false });
      // A resent accept after a cut connection may find the first one taken: refused as already decided.
      if (accepted.status !== 200 && accepted.status !== 409) throw new Error(`accept answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
      await reaches(quote.id, 'accepted');
      return quote.id;
    };

    let lifeCount = 0;
    const lane = async (): Promise<string[]> => {
      const ids: string[] = [];
      while (!abandoned && lifeCount < QUOTES) ids.push(await quoteLife(lifeCount++));
      return ids;
    };

    /**
     * Uploaded once worker-1 has been killed and restarted: a render running on a worker that is
     * SIGKILLed stays "rendering" until its activity's 15-minute start-to-close timeout
     * (renderProofRevision has no heartbeat timeout) — far beyond this test's budget.
     */
    const proofLife = async (): Promise<string> => {
      await workerRestarted;
      const proof = await newDocument('proof', 'p1');
      const form = new FormData();
      form.append('files', new Blob([await textPdf('cluster proof', 2)], { type: 'application/pdf' }), 'proof.pdf');
      // Multipart through the balancer, with a key: resent like any POST.
      const key = randomUUID();
      await waitFor(
        async () => {
          const response = await fetch(`${balancer.url}/v1/documents/${proof.id}/revisions?send=true`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': key }, body: form }).catch(() => undefined);
          return response?.status === 201 ? true : undefined;
        },
        'the proof revision uploaded',
        240_000,
        1000,
      );
      await reaches(proof.id, 'sent');
      await emailTo(proof.contactEmail);
      expect((await documentOf(proof.id)).revisions?.map((revision) => revision.status)).toEqual(['ready']);
      return proof.id;
    };

    const invoiceLife = async (): Promise<string> => {
      const invoice = await newDocument('invoice', 'i1');
      await expectAnswer('POST send', 202, call('POST', `/v1/documents/${invoice.id}/send`, {}));
      const link = portalLink(await emailTo(invoice.contactEmail)) as string;
      await reaches(invoice.id, 'sent');
      const checkout = await expectAnswer<{ url: string }>('POST pay', 200, send('POST', `${link}/pay`, { body: {}, idempotent: false }));
      const paid = await fetch(checkout.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'payer@customer.test', cardNumber: '4242 4242 4242 4242', cardExpiry: '12 / 34', cardCvc: '123', billingName: 'Zoë Dupré' }),
        redirect: 'manual',
      });
      expect(paid.status).toBe(303);
      await reaches(invoice.id, 'paid');
      return invoice.id;
    };

    let onWorkerRestarted = () => {};
    const workerRestarted = new Promise<void>((resolve) => (onWorkerRestarted = resolve));

    /** The faults, each once the load is flowing, one after the other. */
    const faults = async (): Promise<string[]> => {
      const happened: string[] = [];
      await waitFor(async () => ((await emails()).length >= 6 ? true : undefined), 'the first emails', 240_000);
      await killAndAwaitRestart('worker-1');
      happened.push('worker-1 SIGKILLed, restarted');
      onWorkerRestarted();
      await killAndAwaitRestart('api-2');
      happened.push('api-2 SIGKILLed with requests in flight, restarted');
      await clusterHealthy(balancer.url, 120_000);
      await temporal?.stop();
      const downAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, TEMPORAL_DOWN_MS));
      temporal = await startTemporalCluster(temporalOptions);
      happened.push(`Temporal server stopped (SIGTERM) for ${((Date.now() - downAt) / 1000).toFixed(1)} s, started again`);
      await clusterHealthy(balancer.url, 180_000);
      return happened;
    };

    const [quoteIds, proofId, invoiceId, happened] = await Promise.all([
      Promise.all(Array.from({ length: LANES }, lane)).then((ids) => ids.flat()),
      proofLife(),
      invoiceLife(),
      faults(),
    ]).catch((error: unknown) => {
      abandoned = true;
      throw error;
    });
    expect(gaveUp).toEqual([]);
    expect(happened).toHaveLength(3);

    // Final states, read again once everything has settled.
    expect(quoteIds).toHaveLength(QUOTES);
    for (const id of quoteIds) expect((await documentOf(id)).status).toBe('accepted');
    expect((await documentOf(proofId)).status).toBe('sent');
    expect((await documentOf(invoiceId)).status).toBe('paid');

    // What the client created, once each however often it resent the create: a customer, a
    // contact and a document per quote, the proof and the invoice, one salesperson, one endpoint.
    const [rows] = await readRows<Record<string, string>>(
      `SELECT (SELECT count(*) FROM "Customer") AS customers, (SELECT count(*) FROM "Contact") AS contacts,
              (SELECT count(*) FROM "Document" WHERE kind IN ('quote', 'proof', 'invoice')) AS documents,
              (SELECT count(*) FROM "User") AS users, (SELECT count(*) FROM "WebhookEndpoint") AS endpoints`,
    );
    expect(rows).toEqual({ customers: `${QUOTES + 2}`, contacts: `${QUOTES + 2}`, documents: `${QUOTES + 2}`, users: '1', endpoints: '1' });

    // Webhooks: once every delivery the database holds is delivered, the receiver has heard each
    // one — and each event (its audit event id) under one webhook-id only, every copy signed.
    const deliveries = await waitFor(
      async () => {
        const rows = await deliveryRows();
        return rows.length > 0 && rows.every((row) => row.status === 'delivered') ? rows : undefined;
      },
      'every webhook delivery delivered',
      120_000,
      1000,
    );
    const idsByEvent = new Map<string, Set<string>>();
    for (const request of receiver.received) {
      const payload = JSON.parse(request.body) as { type: string; data: { event: { id: string } } };
      const key = `${payload.type}/${payload.data.event.id}`;
      idsByEvent.set(key, (idsByEvent.get(key) ?? new Set()).add(String(request.headers['webhook-id'])));
    }
    expect(receiver.received.every((request) => verifies(endpoint.secret, request))).toBe(true);
    const eventsUnderSeveralIds = [...idsByEvent].filter(([, ids]) => ids.size > 1).map(([key]) => key);
    expect(eventsUnderSeveralIds).toEqual([]);
    expect(new Set(receiver.received.map((request) => String(request.headers['webhook-id'])))).toEqual(new Set(deliveries.map((row) => row.id)));
    expect(idsByEvent.size).toBe(deliveries.length);
    expect([...idsByEvent.keys()].filter((key) => key.startsWith('document.accepted/'))).toHaveLength(QUOTES);

    // Emails: each quote's customer hears of it twice (the quote, then the confirmation of their
    // yes), the invoice's twice (the invoice, the receipt), the proof's once, and the seller once
    // of each acceptance and of the payment. Confirmations and notices leave behind the answer,
    // so they are waited for; then every one is there once — no fewer, no two alike.
    const expectedEmails = 3 * QUOTES + 4;
    const all = await waitFor(
      async () => {
        const sent = await readOutbox(outbox.url);
        return sent.length >= expectedEmails ? sent : undefined;
      },
      `the ${expectedEmails} emails`,
      120_000,
      1000,
    );
    expect(all).toHaveLength(expectedEmails);
    for (const contactEmail of quoteContacts) expect(all.filter((email) => recipientsOf(email).includes(contactEmail))).toHaveLength(2);
    const copies = new Map<string, number>();
    for (const email of all) {
      const key = `${recipientsOf(email).join(',')} | ${email.subject}`;
      copies.set(key, (copies.get(key) ?? 0) + 1);
    }
    const duplicated = [...copies].filter(([, count]) => count > 1).map(([key]) => key);
    expect(duplicated).toEqual([]);

    // Charges at the stand-in: one.
    const charges = (await (await fetch(`${stripe.url}/_test/charges`)).json()) as { count: number };
    expect(charges.count).toBe(1);

    const webhookTypes = new Map<string, number>();
    for (const key of idsByEvent.keys()) webhookTypes.set(key.split('/')[0] as string, (webhookTypes.get(key.split('/')[0] as string) ?? 0) + 1);
    console.log(
      [
        `cluster test: ${QUOTES} quotes accepted, 1 proof revision rendered and sent, 1 invoice paid in ${((Date.now() - started) / 1000).toFixed(0)} s`,
        ...happened.map((fault) => `  fault: ${fault}`),
        `  client resends: ${[...resends].map(([why, count]) => `${count}× ${why}`).join(', ') || 'none'}`,
        '  receiver                          counted',
        `  outbox emails                     ${all.length} (distinct recipient+subject: ${copies.size})`,
        `  webhook events                    ${idsByEvent.size} of ${deliveries.length} deliveries recorded (requests ${receiver.received.length}, events under >1 webhook-id: ${eventsUnderSeveralIds.length})`,
        ...[...webhookTypes].map(([type, count]) => `    ${type.padEnd(32)}${count}`),
        `  Stripe stand-in charges           ${charges.count}`,
      ].join('\n'),
    );
  },
  TEST_BUDGET_MS,
);
