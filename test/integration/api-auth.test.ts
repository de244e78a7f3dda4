/**
 * Tenants, authentication and the API's own surface (/healthz, /readyz, /v1/openapi.json, /dev/outbox)
 * against the real stack.
 *
 * The back office's own calls go through the typed client (test/support/api.ts). What stays raw
 * (api-http.ts's `anonymous`) is what the client cannot or must not send: no key, an unknown,
 * revoked or misplaced key, and the routes outside the OpenAPI document's paths (/healthz,
 * /readyz, an unknown route) or whose answer is the document itself, read as plain JSON.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { findFreePort } from '../../scripts/lib/ports';
import { greenlightClient, succeeded } from '../support/api';
import { createQuoteScenario } from '../support/quote-scenario';
import { startStack, type Stack } from '../support/stack';
import { PROBLEM_JSON, STACK_START_TIMEOUT_MS, apiClient, tenantFootprint, type ApiCall } from './api-http';
import { backofficeRoutes } from '../../api/backoffice';

/** The parts of an OpenAPI operation object this file checks. */
interface OperationShape {
  responses: Record<string, unknown>;
  parameters?: { in: string; name: string }[];
}

let stack: Stack;
let anonymous: ApiCall;

beforeAll(async () => {
  stack = await startStack();
  anonymous = apiClient(stack.baseUrl);
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

/** The operator, with the admin token: the only caller of POST /v1/tenants. */
const operator = () => greenlightClient(stack.baseUrl, stack.adminToken);

describe('tenant creation (operator)', () => {
  it('creates the tenant, its default settings and an API key shown once', async () => {
    const created = await succeeded(operator().POST('/v1/tenants', { body: { name: 'Imprimerie Lumière', locale: 'fr', currency: 'EUR' } }), 201);
    expect(created).toEqual({ id: expect.any(String), name: 'Imprimerie Lumière', apiKey: expect.stringMatching(/^gl_live_/) });

    const keys = await stack.prisma.apiKey.findMany({ where: { tenantId: created.id } });
    expect(keys).toHaveLength(1);
    expect(keys[0]?.keyHash).not.toContain(created.apiKey);
    const settings = await greenlightClient(stack.baseUrl, created.apiKey).GET('/v1/settings');
    expect(settings.response.status).toBe(200);
    expect(settings.data).toMatchObject({ reminderAfter: 'P3D', quoteValidity: 'P30D', maxReminders: 3 });
  });

  it.each([
    ['no token', null],
    ['a wrong admin token', 'not-the-admin-token'],
  ])('refuses %s with 401 problem+json and creates nothing', async (_label, token) => {
    const before = await stack.prisma.tenant.count();
    const refused = await anonymous('POST', '/v1/tenants', { name: 'Intruder' }, { token });
    expect(refused.status).toBe(401);
    expect(refused.contentType).toMatch(PROBLEM_JSON);
    expect(refused.body).toMatchObject({ type: expect.stringContaining('unauthorized'), title: expect.any(String), status: 401 });
    expect(await stack.prisma.tenant.count()).toBe(before);
  });

  it('does not let a tenant API key create tenants', async () => {
    const { apiKey } = await stack.createTenant();
    const refused = await anonymous('POST', '/v1/tenants', { name: 'Sub-tenant' }, { token: apiKey });
    expect(refused.status).toBe(401);
  });

  it('validates the tenant body', async () => {
    const refused = await operator().POST('/v1/tenants', { body: { name: '', currency: 'euro' } });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.errors?.map((error) => error.path).sort()).toEqual(['currency', 'name']);
  });
});

describe('API key authentication', () => {
  it('answers 401 problem+json without a key, with an unknown key, and with a revoked key', async () => {
    const { tenantId, apiKey } = await stack.createTenant();
    const footprint = await tenantFootprint(stack.prisma, tenantId);

    for (const token of [null, 'gl_live_unknown', `${apiKey}x`]) {
      const refused = await anonymous('POST', '/v1/customers', { name: 'Nobody' }, { token });
      expect(refused.status).toBe(401);
      expect(refused.contentType).toMatch(PROBLEM_JSON);
    }
    await stack.prisma.apiKey.updateMany({ where: { tenantId }, data: { revokedAt: new Date() } });
    const revoked = await anonymous('GET', '/v1/settings', undefined, { token: apiKey });
    expect(revoked.status).toBe(401);
    expect(await tenantFootprint(stack.prisma, tenantId)).toEqual(footprint);
  });
});

describe('liveness and readiness', () => {
  it('is live and ready when PostgreSQL and Temporal answer', async () => {
    const live = await anonymous('GET', '/healthz');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await anonymous('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { postgresql: 'ok', temporal: 'ok' } });
  });

  it('stays live but is not ready while Temporal cannot be reached, and a send answers 503', async () => {
    // The same API, with a Temporal address where nothing listens.
    const unreachable = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${await findFreePort()}`, interceptors: [] }) });
    const server = await new Promise<Server>((resolve) => {
      const listening: Server = createApp({ prisma: stack.prisma, temporal: unreachable, config: stack.config }).listen(0, '127.0.0.1', () => resolve(listening));
    });
    try {
      const cutOffUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const cutOff = apiClient(cutOffUrl);
      expect((await cutOff('GET', '/healthz')).status).toBe(200);
      const ready = await cutOff('GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.contentType).toMatch(PROBLEM_JSON);
      expect(ready.body).toMatchObject({ status: 503, detail: 'Not reachable: temporal.' });

      // A send needs Temporal: 503, which a client retries — not a 500 fault. The 5xx released its
      // Idempotency-Key, so the same request with the same key goes through once Temporal answers.
      const { apiKey } = await stack.createTenant();
      const scenario = await createQuoteScenario(greenlightClient(stack.baseUrl, apiKey));
      const send = { params: { path: { id: scenario.documentId }, header: { 'Idempotency-Key': 'send-while-temporal-is-away' } }, body: {} };
      const refused = await greenlightClient(cutOffUrl, apiKey).POST('/v1/documents/{id}/send', send);
      expect(refused.response.status).toBe(503);
      expect(refused.response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(refused.error).toMatchObject({ status: 503, detail: expect.stringContaining('Temporal') });
      const retried = await greenlightClient(stack.baseUrl, apiKey).POST('/v1/documents/{id}/send', send);
      expect(retried.response.status).toBe(202);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('unknown routes', () => {
  it('answer 404 problem+json', async () => {
    const missing = await anonymous('GET', '/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.contentType).toMatch(PROBLEM_JSON);
  });
});

describe('GET /v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document describing every mounted route', async () => {
    const { status, body: document } = await anonymous('GET', '/v1/openapi.json');
    expect(status).toBe(200);
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });

    const described = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const mounted = backofficeRoutes.map((route) => `${route.method.toUpperCase()} /v1${route.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(described.sort()).toEqual(mounted.sort());
    for (const expected of [
      'POST /v1/tenants',
      'POST /v1/users',
      'POST /v1/customers',
      'POST /v1/customers/{id}/contacts',
      'GET /v1/settings',
      'PATCH /v1/settings',
      'POST /v1/documents',
      'GET /v1/documents',
      'GET /v1/documents/{id}',
      'GET /v1/documents/{id}/events',
      'POST /v1/documents/{id}/send',
      'POST /v1/documents/{id}/remind',
      'POST /v1/documents/{id}/cancel',
      'GET /v1/documents/{id}/pdf',
    ]) {
      expect(described).toContain(expected);
    }
  });

  it('is structurally sound: every operation answers, every $ref resolves, path parameters are declared', async () => {
    const { body: document } = await anonymous('GET', '/v1/openapi.json');
    const schemas = document.components.schemas as Record<string, unknown>;
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['Problem', 'Document', 'CreateDocument', 'Settings']));
    expect(Object.keys(document.components.securitySchemes)).toEqual(expect.arrayContaining(['apiKey', 'adminToken']));

    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      expect(name && schemas[name]).toBeTruthy();
    }
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, OperationShape>>)) {
      const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const [method, operation] of Object.entries(item)) {
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect({ operation: `${method} ${path}`, params: declared.sort() }).toEqual({ operation: `${method} ${path}`, params: pathParameters.sort() });
        if (method === 'post') {
          expect((operation.parameters ?? []).map((p) => p.name)).toContain('Idempotency-Key');
        }
      }
    }
  });
});

describe('GET /dev/outbox', () => {
  it('lists what the outbox received as JSON, and as an HTML page for people', async () => {
    const json = await fetch(`${stack.baseUrl}/dev/outbox`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ data: expect.any(Array) });

    const page = await fetch(`${stack.baseUrl}/dev/outbox`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<h1>Outbox</h1>');
  });
});
