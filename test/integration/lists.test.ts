/**
 * The list convention (API.md "Lists") over HTTP: every list answers `{data, nextCursor}` and
 * pages with `?limit=&cursor=`. Walked a few items at a time to the end, a list gives every
 * item once, in its order; a bad limit or cursor is a 400 naming the field and changes nothing;
 * a list under another tenant's resource is not found.
 */
import { succeeded, walk, type GreenlightClient } from '../support/api';
import { startStack, type Stack } from '../support/stack';
import { PROBLEM_JSON, seedTenant, STACK_START_TIMEOUT_MS, tenantFootprint } from './api-http';

let stack: Stack;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  stack = await startStack();
  [tenant, other] = await Promise.all([seedTenant(stack), seedTenant(stack)]);
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

const byId = (id: string) => ({ params: { path: { id } } });

async function draftQuote(api: GreenlightClient, customerId: string): Promise<string> {
  const quote = await succeeded(api.POST('/v1/documents', { body: { kind: 'quote', customerId, lines: [{ description: 'Flyers A5', quantity: 100, unitPrice: 9 }] } }), 201);
  return quote.id;
}

async function writeNotes(api: GreenlightClient, documentId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  // One after the other: the conversation's order is the order they were written in.
  for (let n = 1; n <= count; n += 1) {
    const note = await succeeded(api.POST('/v1/documents/{id}/messages', { ...byId(documentId), body: { body: `Note ${n}`, internal: true } }), 201);
    ids.push(note.id);
  }
  return ids;
}

describe('a document’s conversation and trail', () => {
  it('pages oldest first, every message and event once, to a last page without cursor', async () => {
    const documentId = await draftQuote(tenant.api, tenant.customerId);
    const written = await writeNotes(tenant.api, documentId, 5);

    const messages = await walk((query) => tenant.api.GET('/v1/documents/{id}/messages', { params: { path: { id: documentId }, query } }), (message) => message.id);
    expect(messages).toEqual(written);

    const trail = await walk((query) => tenant.api.GET('/v1/documents/{id}/events', { params: { path: { id: documentId }, query } }), (event) => event.seq);
    expect(trail).toEqual([...trail].sort((a, b) => a - b));
    expect(trail).toHaveLength(5);

    const first = await succeeded(tenant.api.GET('/v1/documents/{id}/events', { params: { path: { id: documentId }, query: { limit: 5 } } }), 200);
    expect(first).toEqual({ data: expect.any(Array), nextCursor: null });
  });

  it('is not found under another tenant’s document', async () => {
    const documentId = await draftQuote(other.api, other.customerId);
    for (const path of ['/v1/documents/{id}/messages', '/v1/documents/{id}/events', '/v1/documents/{id}/links'] as const) {
      const answer = await tenant.api.GET(path, byId(documentId));
      expect(answer.response.status).toBe(404);
    }
  });
});

describe('requests', () => {
  it('pages newest first, filtered by box, past the 200 it was cut at before', async () => {
    const { api, customerId } = await seedTenant(stack);
    const created: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      const request = await succeeded(api.POST('/v1/requests', { body: { customerId, product: `Nettoyage ${n}`, priceOnQuote: true } }), 201);
      created.push(request.id);
    }
    const listed = await walk((query) => api.GET('/v1/requests', { params: { query: { ...query, box: 'inbox' } } }), (request) => request.id);
    expect(listed).toEqual([...created].reverse());
    expect(await walk((query) => api.GET('/v1/requests', { params: { query: { ...query, box: 'closed' } } }), (request) => request.id)).toEqual([]);
  });
});

describe('webhook endpoints', () => {
  it('page in the order they were registered, without the deleted ones', async () => {
    const { api } = await seedTenant(stack);
    await succeeded(api.PATCH('/v1/settings', { body: { allowPrivateWebhookUrls: true } }), 200);
    const made: string[] = [];
    for (let n = 0; n < 4; n += 1) {
      made.push((await succeeded(api.POST('/v1/webhook-endpoints', { body: { url: `http://127.0.0.1:9/hooks/${n}`, events: ['document.*'] } }), 201)).id);
    }
    await succeeded(api.DELETE('/v1/webhook-endpoints/{id}', byId(made[1]!)), 200);
    const listed = await walk((query) => api.GET('/v1/webhook-endpoints', { params: { query } }), (endpoint) => endpoint.id);
    expect(listed).toEqual([made[0], made[2], made[3]]);

    const deliveries = await succeeded(api.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: made[0]! }, query: { limit: 1 } } }), 200);
    expect(deliveries).toEqual({ data: [], nextCursor: null });
    expect((await tenant.api.GET('/v1/webhook-endpoints/{id}/deliveries', byId(made[0]!))).response.status).toBe(404);
  });
});

describe('bad paging input', () => {
  it('is a 400 naming the field, for every list, and changes nothing', async () => {
    const documentId = await draftQuote(tenant.api, tenant.customerId);
    await writeNotes(tenant.api, documentId, 3);
    const eventsPage = await succeeded(tenant.api.GET('/v1/documents/{id}/events', { params: { path: { id: documentId }, query: { limit: 1 } } }), 200);
    expect(eventsPage.nextCursor).toEqual(expect.any(String));

    const lists = [
      '/v1/documents',
      `/v1/documents/${documentId}/events`,
      `/v1/documents/${documentId}/messages`,
      `/v1/documents/${documentId}/links`,
      '/v1/requests',
      '/v1/subscriptions',
      '/v1/webhook-endpoints',
      '/v1/api-keys',
      '/v1/users',
      '/v1/customers',
      `/v1/customers/${tenant.customerId}/contacts`,
    ];
    const before = await tenantFootprint(stack.prisma, tenant.tenantId);
    for (const list of lists) {
      for (const [query, field] of [
        ['limit=0', 'query.limit'],
        ['limit=101', 'query.limit'],
        ['limit=ten', 'query.limit'],
        ['cursor=garbage', 'query.cursor'],
        ['cursor=', 'query.cursor'],
      ] as const) {
        const answer = await tenant.call('GET', `${list}?${query}`);
        expect({ list, query, status: answer.status, contentType: answer.contentType }).toEqual({ list, query, status: 400, contentType: expect.stringMatching(PROBLEM_JSON) });
        expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual([field]);
      }
    }
    // A cursor of one list is none of another's: the trail's (seq, id) is no (time, id).
    const foreign = await tenant.call('GET', `/v1/documents/${documentId}/messages?cursor=${eventsPage.nextCursor}`);
    expect(foreign.status).toBe(400);
    expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(before);
  });
});
