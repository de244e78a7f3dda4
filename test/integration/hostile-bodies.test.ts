/**
 * Hostile request bodies against the real app (DESIGN.md §6: "every process survives any
 * request"): an upload cut before its closing boundary, or left mid-way, answers 400 (or
 * nothing) and stores nothing, and the same server keeps serving; NUL characters and lone
 * surrogates are refused with 422 naming each field, in JSON bodies, portal forms and URLs,
 * before anything is written; bodies nested deeper than 32 levels are 400 (also with an
 * Idempotency-Key, whose hashing once overflowed the stack); too large and malformed bodies
 * are problem+json on every route. Every answer names its request (X-Request-Id), and every
 * problem's `instance` too.
 *
 * Every request here stays raw (api-http.ts, raw sockets, fetch), not the typed client: they are
 * meant to be what the OpenAPI document does not describe — cut, nested, malformed or hostile.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { openFileStore } from '../../services/files/store';
import { formFields, backOffice, type BackOffice, type SentQuote, SAMPLE_LINES } from './portal-fixtures';
import { textPdf, uploadRevision } from '../support/proof-uploads';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { PROBLEM_JSON, STACK_START_TIMEOUT_MS, apiClient, seedTenant, tenantFootprint } from './api-http';

let stack: Stack;
let tenant: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  stack = await startStack();
  tenant = await seedTenant(stack);
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `request` as is on a new connection (the server closes it: Connection: close) and reads the answer. */
function rawExchange(request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(stack.baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write(request));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

async function newProof(): Promise<string> {
  const created = await tenant.call('POST', '/v1/documents', { kind: 'proof', customerId: tenant.customerId, title: 'Brochure' });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function expectNothingStored(documentId: string): Promise<void> {
  expect(await stack.prisma.revision.count({ where: { documentId } })).toBe(0);
  expect(await openFileStore(stack.config).exists(`proofs/${documentId}/`)).toBe(false);
}

/** The server still serves: a plain read answers. */
async function expectServing(documentId: string): Promise<void> {
  const read = await tenant.call('GET', `/v1/documents/${documentId}`);
  expect(read.status).toBe(200);
}

const BOUNDARY = 'XYZ';
const CUT_UPLOAD = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 trunc`;

function uploadRequest(documentId: string, body: string, contentLength = Buffer.byteLength(body)): string {
  return [
    `POST /v1/documents/${documentId}/revisions HTTP/1.1`,
    `Host: ${new URL(stack.baseUrl).host}`,
    `Authorization: Bearer ${tenant.apiKey}`,
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
    `Content-Length: ${contentLength}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

describe('an upload cut short', () => {
  it('without its closing boundary: 400 problem+json, nothing stored, and the same server answers next', async () => {
    const documentId = await newProof();
    const answer = await rawExchange(uploadRequest(documentId, CUT_UPLOAD));
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, detail: expect.stringMatching(/malformed or incomplete/) });
    await expectNothingStored(documentId);
    await expectServing(documentId);
  });

  it('with an Idempotency-Key: 400, and the key stays free for the whole upload sent again', async () => {
    const documentId = await newProof();
    const key = randomUUID();
    const request = uploadRequest(documentId, CUT_UPLOAD).replace('Connection: close', `Idempotency-Key: ${key}\r\nConnection: close`);
    expect((await rawExchange(request)).status).toBe(400);
    await expectNothingStored(documentId);
    const whole = await uploadRevision(stack.baseUrl, tenant.apiKey, documentId, [{ name: 'a.pdf', bytes: await textPdf('Entier') }], { idempotencyKey: key });
    expect(whole.status).toBe(201);
    expect(whole.body.revision.number).toBe(1);
  });

  it('by a client that leaves mid-upload: nothing stored, and the server answers next', async () => {
    const documentId = await newProof();
    const { hostname, port } = new URL(stack.baseUrl);
    await new Promise<void>((resolve, reject) => {
      // Announces a megabyte, sends the first part's start, and hangs up.
      const socket = net.connect({ host: hostname, port: Number(port) }, () => {
        socket.write(uploadRequest(documentId, CUT_UPLOAD, 1024 * 1024), () => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', reject);
    });
    await expectServing(documentId);
    await expectNothingStored(documentId);
    // Its handler ended too, though the client was gone before its body was read (once a leak).
    await eventually(async () => (stack.requestsInFlight.size === 0 ? true : undefined), { what: 'no request left being handled' });
  });
});

describe('text PostgreSQL cannot hold', () => {
  it('a NUL in any JSON field is 422 naming each field, and nothing is written', async () => {
    const before = await tenantFootprint(stack.prisma, tenant.tenantId);
    const document = await tenant.call('POST', '/v1/documents', {
      kind: 'quote',
      customerId: tenant.customerId,
      title: 'a\u0000b',
      lines: [
        { description: 'Cartes', quantity: 1, unitPrice: 100 },
        { description: 'Flyers\u0000', quantity: 1, unitPrice: 100 },
      ],
    });
    expect(document.status).toBe(422);
    expect(document.contentType).toMatch(PROBLEM_JSON);
    expect(document.body.type).toMatch(/invalid-characters$/);
    expect(document.body.errors).toEqual([
      { path: 'title', message: expect.stringMatching(/NUL/) },
      { path: 'lines.1.description', message: expect.stringMatching(/NUL/) },
    ]);

    const customer = await tenant.call('POST', '/v1/customers', { name: '\u0000' });
    expect(customer.status).toBe(422);
    expect(customer.body.errors).toEqual([{ path: 'name', message: expect.stringMatching(/NUL/) }]);
    const contact = await tenant.call('POST', `/v1/customers/${tenant.customerId}/contacts`, { name: 'Zoë\u0000' });
    expect(contact.status).toBe(422);
    expect(contact.body.errors).toEqual([{ path: 'name', message: expect.stringMatching(/NUL/) }]);
    // A field's name is text too.
    const named = await tenant.call('POST', '/v1/customers', { name: 'Nom', 'x\u0000': 1 });
    expect(named.status).toBe(422);
    expect(named.body.errors).toEqual([{ path: 'x\\u0000', message: expect.stringMatching(/its name contains a NUL/) }]);
    expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(before);
  });

  it('a lone UTF-16 surrogate is 422 too, never stored altered', async () => {
    const before = await tenantFootprint(stack.prisma, tenant.tenantId);
    // JSON.stringify writes a lone surrogate as the escape \ud800: what a careless client sends.
    const customer = await tenant.call('POST', '/v1/customers', { name: 'Åsa \ud800 AB' });
    expect(customer.status).toBe(422);
    expect(customer.body.errors).toEqual([{ path: 'name', message: expect.stringMatching(/unpaired UTF-16 surrogate/) }]);
    const settings = await tenant.call('PATCH', '/v1/settings', { seller: { legalName: 'Imprimerie \udc00' } });
    expect(settings.status).toBe(422);
    expect(settings.body.errors).toEqual([{ path: 'seller.legalName', message: expect.stringMatching(/surrogate/) }]);
    // A well-formed pair is text like any other.
    const emoji = await tenant.call('POST', '/v1/customers', { name: 'Fleurs 🌷' });
    expect(emoji.status).toBe(201);
    expect(emoji.body.name).toBe('Fleurs 🌷');
    expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual({ ...before, customers: (before.customers ?? 0) + 1 });
  });

  it('in a URL: a NUL in the query or the path is 422, not a 500', async () => {
    const query = await tenant.call('GET', '/v1/customers?q=a%00b');
    expect(query.status).toBe(422);
    expect(query.body.errors).toEqual([{ path: 'query.q', message: expect.stringMatching(/NUL/) }]);
    const path = await tenant.call('GET', '/v1/documents/doc_%00');
    expect(path.status).toBe(422);
    expect(path.body.errors).toEqual([{ path: 'path', message: expect.stringMatching(/NUL/) }]);
  });

  it('in an uploaded file’s name: 422, even where a refusal naming it would be stored for an Idempotency-Key', async () => {
    const documentId = await newProof();
    const part = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename*=utf-8''notes%00.txt\r\nContent-Type: text/plain\r\n\r\nnot a proof\r\n--${BOUNDARY}--\r\n`;
    const request = uploadRequest(documentId, part).replace('Connection: close', `Idempotency-Key: ${randomUUID()}\r\nConnection: close`);
    const answer = await rawExchange(request);
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.body).errors).toEqual([{ path: 'files/1', message: expect.stringMatching(/NUL/) }]);
    await expectNothingStored(documentId);
  });

  describe('in messages', () => {
    let office: BackOffice;
    let quote: SentQuote;

    beforeAll(async () => {
      office = await backOffice(stack);
      const { documentId, contactEmail } = await office.createQuote({ lines: SAMPLE_LINES });
      quote = await office.sendQuote(documentId, contactEmail);
    });

    const messageCount = () => stack.prisma.message.count({ where: { documentId: quote.documentId } });

    it('the seller’s message: 422', async () => {
      const answer = await office.raw('POST', `/v1/documents/${quote.documentId}/messages`, { body: 'Bonjour\u0000' });
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toEqual([{ path: 'body', message: expect.stringMatching(/NUL/) }]);
      expect(await messageCount()).toBe(0);
    });

    it('the customer’s message, posted as JSON or as the page’s form: 422, nothing written', async () => {
      const json = await fetch(`${quote.url}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ body: 'Merci\u0000' }),
      });
      expect(json.status).toBe(422);
      expect(json.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(((await json.json()) as { errors: unknown }).errors).toEqual([{ path: 'body', message: expect.stringMatching(/NUL/) }]);

      const page = await (await fetch(quote.url, { headers: { accept: 'text/html' } })).text();
      const form = await fetch(`${quote.url}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: `${new URLSearchParams(formFields(page, 'messages')).toString()}&body=Merci%00`,
      });
      expect(form.status).toBe(422);
      expect(form.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await messageCount()).toBe(0);
    });
  });
});

/** `{"a":{"a":…{"a":1}}}`, `levels` objects deep, as text (JSON.stringify itself would recurse). */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('bodies nested too deeply', () => {
  it('are 400 naming the limit on every JSON route, with or without an Idempotency-Key', async () => {
    const deep = `{"kind":"quote","customerId":"${tenant.customerId}","extra":[${'['.repeat(10_000)}${']'.repeat(10_000)}]}`;
    const before = await tenantFootprint(stack.prisma, tenant.tenantId);
    const operator = apiClient(stack.baseUrl, stack.adminToken);
    for (const [call, path] of [
      [tenant.call, '/v1/documents'],
      [tenant.call, '/v1/customers'],
      [operator, '/v1/tenants'],
    ] as const) {
      for (const idempotencyKey of [randomUUID(), undefined]) {
        const answer = await call('POST', path, undefined, { rawBody: deep, ...(idempotencyKey ? { idempotencyKey } : {}) });
        expect({ path, status: answer.status, type: answer.body.type }).toEqual({ path, status: 400, type: expect.stringMatching(/too-deeply-nested$/) });
        expect(answer.body.detail).toMatch(/more than 32 levels/);
      }
    }
    expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(before);
  });

  it('draw the line at 32 levels: 32 is read (and refused for its content), 33 is too deep', async () => {
    const atLimit = await tenant.call('POST', '/v1/customers', undefined, { rawBody: nested(32), idempotencyKey: randomUUID() });
    expect(atLimit.status).toBe(400);
    expect(atLimit.body.type).toMatch(/validation-failed$/);
    const beyond = await tenant.call('POST', '/v1/customers', undefined, { rawBody: nested(33), idempotencyKey: randomUUID() });
    expect(beyond.body.type).toMatch(/too-deeply-nested$/);
  });

  it('also at the portal and at the provider webhooks', async () => {
    const portal = await fetch(`${stack.baseUrl}/d/not-a-token/seen`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: nested(40) });
    expect(portal.status).toBe(400);
    expect(portal.headers.get('content-type')).toMatch(PROBLEM_JSON);
    const webhook = await fetch(`${stack.baseUrl}/webhooks/getaccept/${tenant.tenantId}?token=x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: nested(40) });
    expect(webhook.status).toBe(400);
    expect(((await webhook.json()) as { type: string }).type).toMatch(/too-deeply-nested$/);
  });
});

describe('bodies too large or malformed, on every route', () => {
  const routes = (): { name: string; url: string; headers: Record<string, string>; limit: number }[] => [
    { name: 'back office', url: `${stack.baseUrl}/v1/customers`, headers: { authorization: `Bearer ${tenant.apiKey}` }, limit: 1024 * 1024 },
    { name: 'portal JSON post', url: `${stack.baseUrl}/d/not-a-token/messages`, headers: { accept: 'application/json' }, limit: 16 * 1024 },
    { name: 'GetAccept webhook', url: `${stack.baseUrl}/webhooks/getaccept/${tenant.tenantId}?token=x`, headers: {}, limit: 1024 * 1024 },
  ];

  it('too large: 413 problem+json', async () => {
    for (const route of [...routes(), { name: 'Stripe webhook', url: `${stack.baseUrl}/webhooks/stripe`, headers: {}, limit: 1024 * 1024 }]) {
      const answer = await fetch(route.url, {
        method: 'POST',
        headers: { ...route.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(route.limit) }),
      });
      const body = (await answer.json()) as { status: number; instance: string };
      expect({ route: route.name, status: answer.status, type: answer.headers.get('content-type') }).toEqual({ route: route.name, status: 413, type: expect.stringMatching(PROBLEM_JSON) });
      expect(body.instance).toBe(`urn:request:${answer.headers.get('x-request-id')}`);
    }
  });

  it('malformed JSON: 400 problem+json', async () => {
    for (const route of routes()) {
      const answer = await fetch(route.url, { method: 'POST', headers: { ...route.headers, 'content-type': 'application/json' }, body: '{"name": "x",' });
      const body = (await answer.json()) as { type: string };
      expect({ route: route.name, status: answer.status, type: answer.headers.get('content-type'), problem: body.type }).toEqual({
        route: route.name,
        status: 400,
        type: expect.stringMatching(PROBLEM_JSON),
        problem: expect.stringMatching(/malformed-json$/),
      });
    }
  });
});

describe('request ids', () => {
  it('answers every request with an X-Request-Id, the caller’s own when it is a short plain token', async () => {
    const mine = await fetch(`${stack.baseUrl}/healthz`, { headers: { 'x-request-id': 'crm-7f3a.42' } });
    expect(mine.headers.get('x-request-id')).toBe('crm-7f3a.42');
    for (const unfit of ['has spaces', 'x'.repeat(65), '../etc', '']) {
      const replaced = await fetch(`${stack.baseUrl}/healthz`, { headers: { 'x-request-id': unfit } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('names the request in every problem’s instance: back office, portal, webhooks', async () => {
    const problems = [
      await fetch(`${stack.baseUrl}/v1/documents/doc_missing`, { headers: { authorization: `Bearer ${tenant.apiKey}`, 'x-request-id': 'support-1' } }),
      await fetch(`${stack.baseUrl}/v1/documents`, { headers: { 'x-request-id': 'support-2' } }),
      await fetch(`${stack.baseUrl}/d/not-a-token`, { headers: { accept: 'application/json', 'x-request-id': 'support-3' } }),
      await fetch(`${stack.baseUrl}/webhooks/stripe`, { method: 'POST', body: '{}', headers: { 'x-request-id': 'support-4' } }),
      await fetch(`${stack.baseUrl}/nowhere`, { headers: { 'x-request-id': 'support-5' } }),
    ];
    const seen = await Promise.all(problems.map(async (answer) => ({ status: answer.status, instance: ((await answer.json()) as { instance?: string }).instance })));
    expect(seen).toEqual([
      { status: 404, instance: 'urn:request:support-1' },
      { status: 401, instance: 'urn:request:support-2' },
      { status: 404, instance: 'urn:request:support-3' },
      { status: 400, instance: 'urn:request:support-4' },
      { status: 404, instance: 'urn:request:support-5' },
    ]);
  });

  it('a replayed refusal names the request first answered; its header names the replay', async () => {
    const key = randomUUID();
    const body = { kind: 'quote', customerId: 'cus_missing', lines: [] };
    const first = await fetch(`${stack.baseUrl}/v1/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json', 'idempotency-key': key, 'x-request-id': 'first-try' },
      body: JSON.stringify(body),
    });
    const replay = await fetch(`${stack.baseUrl}/v1/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json', 'idempotency-key': key, 'x-request-id': 'second-try' },
      body: JSON.stringify(body),
    });
    expect(first.status).toBe(422);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('x-request-id')).toBe('second-try');
    expect(await replay.json()).toEqual(await first.json());
  });

  it('the OpenAPI document describes instance and the body refusals', async () => {
    const document = (await (await fetch(`${stack.baseUrl}/v1/openapi.json`)).json()) as {
      components: { schemas: { Problem: { properties: Record<string, { description?: string }> } } };
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    expect(document.components.schemas.Problem.properties.instance?.description).toMatch(/urn:request:/);
    const createCustomer = document.paths['/v1/customers']?.post?.responses ?? {};
    expect(Object.keys(createCustomer)).toEqual(expect.arrayContaining(['400', '413', '415', '422']));
    expect(createCustomer['400']?.description).toMatch(/nested too deeply/);
  });
});
