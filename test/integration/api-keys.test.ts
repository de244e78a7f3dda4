/**
 * A tenant's API keys over HTTP: made (shown once), listed (never the key), used (lastUsedAt,
 * written at most once a minute), revoked (401 at once), with another tenant's key out of
 * reach and the tenant's last key kept; a key or a tenant resent after the API died made once,
 * with a secret that works.
 */
import { randomUUID } from 'node:crypto';
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { abandonClaim } from '../support/idempotency';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

async function tenantClient(): Promise<{ api: GreenlightClient; tenantId: string }> {
  const { apiKey, tenantId } = await stack.createTenant();
  return { api: greenlightClient(stack.baseUrl, apiKey), tenantId };
}

const listOf = (api: GreenlightClient, query: { limit?: number; cursor?: string } = {}) => succeeded(api.GET('/v1/api-keys', { params: { query } }), 200);
const revoke = (api: GreenlightClient, id = '') => api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } });

test('a key is made and shown once, listed without its secret, and its use noted at most once a minute', async () => {
  const { api: first, tenantId } = await tenantClient();
  const made = await succeeded(first.POST('/v1/api-keys', { body: { name: 'ERP production' } }), 201);
  expect(made).toEqual({ id: expect.any(String), name: 'ERP production', prefix: expect.stringMatching(/^gl_live_.{4}$/), apiKey: expect.stringMatching(/^gl_live_/) });
  expect(made.apiKey.startsWith(made.prefix)).toBe(true);
  const stored = await stack.prisma.apiKey.findUniqueOrThrow({ where: { id: made.id } });
  expect(stored.tenantId).toBe(tenantId);
  expect(JSON.stringify(stored)).not.toContain(made.apiKey);

  const second = greenlightClient(stack.baseUrl, made.apiKey);
  const { data, nextCursor } = await listOf(second);
  expect(nextCursor).toBeNull();
  expect(data.map((key) => key.name)).toEqual(['ERP production', null]);
  for (const key of data) expect(Object.keys(key).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'prefix']);
  const used = data.find((key) => key.id === made.id);
  expect(used?.lastUsedAt).not.toBeNull();

  // Another request within the minute writes nothing.
  const again = (await listOf(second)).data.find((key) => key.id === made.id);
  expect(again?.lastUsedAt).toBe(used?.lastUsedAt);

  // The list convention: one at a time, newest first.
  const page1 = await listOf(second, { limit: 1 });
  expect(page1.data.map((key) => key.id)).toEqual([made.id]);
  const page2 = await listOf(second, { limit: 1, cursor: page1.nextCursor ?? '' });
  expect(page2.data.map((key) => key.name)).toEqual([null]);
  expect(page2.nextCursor).toBeNull();
});

test('a revoked key answers 401 at once; revoking it again changes nothing; the last key stays', async () => {
  const { api: first } = await tenantClient();
  const [firstKey] = (await listOf(first)).data;
  const made = await succeeded(first.POST('/v1/api-keys', { body: {} }));
  expect(made.name).toBeNull();
  const second = greenlightClient(stack.baseUrl, made.apiKey);

  const revoked = await revoke(second, firstKey?.id);
  expect(revoked.response.status).toBe(204);
  expect(await revoked.response.text()).toBe('');
  expect((await first.GET('/v1/api-keys')).response.status).toBe(401);
  expect((await revoke(second, firstKey?.id)).response.status).toBe(204);
  expect((await listOf(second)).data.map((key) => key.id)).toEqual([made.id]);

  // The tenant's last active key cannot go: nothing could make it another.
  const last = await revoke(second, made.id);
  expect(last.response.status).toBe(409);
  expect(last.error?.detail).toContain('last');
  expect((await second.GET('/v1/api-keys')).response.status).toBe(200);
});

test('the key calling may revoke itself, while another remains', async () => {
  const { api: first } = await tenantClient();
  const made = await succeeded(first.POST('/v1/api-keys', { body: { name: 'leaked' } }));
  const leaked = greenlightClient(stack.baseUrl, made.apiKey);
  expect((await revoke(leaked, made.id)).response.status).toBe(204);
  expect((await leaked.GET('/v1/api-keys')).response.status).toBe(401);
  expect((await listOf(first)).data.map((key) => key.name)).toEqual([null]);
});

test("another tenant's key is 404 and keeps working", async () => {
  const { api: owner } = await tenantClient();
  const { api: stranger } = await tenantClient();
  const [ownerKey] = (await listOf(owner)).data;
  await succeeded(stranger.POST('/v1/api-keys', { body: { name: 'spare' } }));
  expect((await revoke(stranger, ownerKey?.id)).response.status).toBe(404);
  expect((await revoke(stranger, 'key_unknown')).response.status).toBe(404);
  expect((await owner.GET('/v1/api-keys')).response.status).toBe(200);
});

test('two keys revoking each other at once: one goes, one stays', async () => {
  const { api: first } = await tenantClient();
  const [firstKey] = (await listOf(first)).data;
  const made = await succeeded(first.POST('/v1/api-keys', { body: {} }));
  const second = greenlightClient(stack.baseUrl, made.apiKey);
  const answers = await Promise.all([revoke(first, made.id), revoke(second, firstKey?.id)]);
  expect(answers.map((answer) => answer.response.status).filter((status) => status === 204)).toHaveLength(1);
  const active = await stack.prisma.apiKey.count({ where: { id: { in: [made.id, String(firstKey?.id)] }, revokedAt: null } });
  expect(active).toBe(1);
});

test('the OpenAPI document describes the three routes', async () => {
  const document = (await (await fetch(`${stack.baseUrl}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  expect(Object.keys(document.paths['/v1/api-keys'] ?? {}).sort()).toEqual(['get', 'post']);
  expect(document.paths['/v1/api-keys']?.post?.responses).toHaveProperty('201');
  expect(document.paths['/v1/api-keys/{id}']?.delete?.responses).toHaveProperty('204');
  expect(document.paths['/v1/api-keys/{id}']?.delete?.responses).toHaveProperty('409');
});

test('with an Idempotency-Key, a retry gets the same key, and the kept answer holds it only sealed', async () => {
  const { api } = await tenantClient();
  const idempotencyKey = `make-key-${Date.now()}`;
  const request = { body: { name: 'CRM' }, params: { header: { 'Idempotency-Key': idempotencyKey } } };
  const made = await succeeded(api.POST('/v1/api-keys', request), 201);
  const again = await succeeded(api.POST('/v1/api-keys', request), 201);
  expect(again).toEqual(made);
  expect((await listOf(api)).data.filter((key) => key.name === 'CRM')).toHaveLength(1);
  const kept = await stack.prisma.idempotentRequest.findMany({ where: { key: idempotencyKey } });
  expect(kept).toHaveLength(1);
  expect(JSON.stringify(kept)).not.toContain(made.apiKey);
});

describe('made again when resent after the API died', () => {
  const post = (path: string, token: string, key: string, body: unknown) =>
    fetch(`${stack.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
  const answers = async (token: string) => (await greenlightClient(stack.baseUrl, token).GET('/v1/api-keys')).response.status;

  test('an API key: the same key, with a secret that works, and the first attempt’s secret, never shown, dead', async () => {
    const { apiKey: tenantKey, tenantId } = await stack.createTenant();
    const idempotencyKey = randomUUID();
    const first = (await (await post('/v1/api-keys', tenantKey, idempotencyKey, { name: 'CRM' })).json()) as { id: string; apiKey: string };
    await abandonClaim(stack.prisma, idempotencyKey);
    const resent = await post('/v1/api-keys', tenantKey, idempotencyKey, { name: 'CRM' });
    expect(resent.status).toBe(201);
    const made = (await resent.json()) as { id: string; apiKey: string };
    expect(made.id).toBe(first.id);
    expect(await stack.prisma.apiKey.count({ where: { tenantId } })).toBe(2);
    expect([await answers(made.apiKey), await answers(first.apiKey)]).toEqual([200, 401]);
  });

  test('a tenant: one tenant, whose first key is the one this answer shows', async () => {
    const idempotencyKey = randomUUID();
    const name = `Imprimerie ${idempotencyKey}`;
    const first = (await (await post('/v1/tenants', stack.adminToken, idempotencyKey, { name })).json()) as { id: string; apiKey: string };
    await abandonClaim(stack.prisma, idempotencyKey);
    const resent = await post('/v1/tenants', stack.adminToken, idempotencyKey, { name });
    expect(resent.status).toBe(201);
    const made = (await resent.json()) as { id: string; apiKey: string };
    expect(made.id).toBe(first.id);
    expect(await stack.prisma.tenant.count({ where: { name } })).toBe(1);
    expect(await stack.prisma.apiKey.count({ where: { tenantId: made.id } })).toBe(1);
    expect([await answers(made.apiKey), await answers(first.apiKey)]).toEqual([200, 401]);
  });
});
