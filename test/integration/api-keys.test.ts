/**
 * A tenant's API keys over HTTP: made (shown once), listed (never the key), used (lastUsedAt,
 * written at most once a minute), revoked (401 at once), with another tenant's key out of
 * reach and the tenant's last key kept.
 */
import { ApiClient } from '../support/http';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

interface ListedKey {
  id: string;
  name: string | null;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}
interface CreatedKey {
  id: string;
  name: string | null;
  prefix: string;
  apiKey: string;
}

async function tenantClient(): Promise<{ api: ApiClient; tenantId: string }> {
  const { apiKey, tenantId } = await stack.createTenant();
  return { api: new ApiClient(stack.baseUrl, apiKey), tenantId };
}

const listOf = async (api: ApiClient, query = '') => {
  const answer = await api.get<{ data: ListedKey[]; nextCursor: string | null }>(`/v1/api-keys${query}`);
  expect(answer.status).toBe(200);
  return answer.body;
};

test('a key is made and shown once, listed without its secret, and its use noted at most once a minute', async () => {
  const { api: first, tenantId } = await tenantClient();
  const made = await first.post<CreatedKey>('/v1/api-keys', { name: 'ERP production' });
  expect(made.status).toBe(201);
  expect(made.body).toEqual({ id: expect.any(String), name: 'ERP production', prefix: expect.stringMatching(/^gl_live_.{4}$/), apiKey: expect.stringMatching(/^gl_live_/) });
  expect(made.body.apiKey.startsWith(made.body.prefix)).toBe(true);
  const stored = await stack.prisma.apiKey.findUniqueOrThrow({ where: { id: made.body.id } });
  expect(stored.tenantId).toBe(tenantId);
  expect(JSON.stringify(stored)).not.toContain(made.body.apiKey);

  const second = new ApiClient(stack.baseUrl, made.body.apiKey);
  const { data, nextCursor } = await listOf(second);
  expect(nextCursor).toBeNull();
  expect(data.map((key) => key.name)).toEqual(['ERP production', null]);
  for (const key of data) expect(Object.keys(key).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'prefix']);
  const used = data.find((key) => key.id === made.body.id);
  expect(used?.lastUsedAt).not.toBeNull();

  // Another request within the minute writes nothing.
  const again = (await listOf(second)).data.find((key) => key.id === made.body.id);
  expect(again?.lastUsedAt).toBe(used?.lastUsedAt);

  // The list convention: one at a time, newest first.
  const page1 = await listOf(second, '?limit=1');
  expect(page1.data.map((key) => key.id)).toEqual([made.body.id]);
  const page2 = await listOf(second, `?limit=1&cursor=${page1.nextCursor}`);
  expect(page2.data.map((key) => key.name)).toEqual([null]);
  expect(page2.nextCursor).toBeNull();
});

test('a revoked key answers 401 at once; revoking it again changes nothing; the last key stays', async () => {
  const { api: first } = await tenantClient();
  const [firstKey] = (await listOf(first)).data;
  const made = await first.post<CreatedKey>('/v1/api-keys', {});
  expect(made.body.name).toBeNull();
  const second = new ApiClient(stack.baseUrl, made.body.apiKey);

  const revoked = await second.delete(`/v1/api-keys/${firstKey?.id}`);
  expect(revoked.status).toBe(204);
  expect(revoked.body).toBe('');
  expect((await first.get('/v1/api-keys')).status).toBe(401);
  expect((await second.delete(`/v1/api-keys/${firstKey?.id}`)).status).toBe(204);
  expect((await listOf(second)).data.map((key) => key.id)).toEqual([made.body.id]);

  // The tenant's last active key cannot go: nothing could make it another.
  const last = await second.delete<{ status: number; detail: string }>(`/v1/api-keys/${made.body.id}`);
  expect(last.status).toBe(409);
  expect(last.body.detail).toContain('last');
  expect((await second.get('/v1/api-keys')).status).toBe(200);
});

test('the key calling may revoke itself, while another remains', async () => {
  const { api: first } = await tenantClient();
  const made = await first.create<CreatedKey>('/v1/api-keys', { name: 'leaked' });
  const leaked = new ApiClient(stack.baseUrl, made.apiKey);
  expect((await leaked.delete(`/v1/api-keys/${made.id}`)).status).toBe(204);
  expect((await leaked.get('/v1/api-keys')).status).toBe(401);
  expect((await listOf(first)).data.map((key) => key.name)).toEqual([null]);
});

test("another tenant's key is 404 and keeps working", async () => {
  const { api: owner } = await tenantClient();
  const { api: stranger } = await tenantClient();
  const [ownerKey] = (await listOf(owner)).data;
  await stranger.create('/v1/api-keys', { name: 'spare' });
  expect((await stranger.delete(`/v1/api-keys/${ownerKey?.id}`)).status).toBe(404);
  expect((await stranger.delete('/v1/api-keys/key_unknown')).status).toBe(404);
  expect((await owner.get('/v1/api-keys')).status).toBe(200);
});

test('two keys revoking each other at once: one goes, one stays', async () => {
  const { api: first } = await tenantClient();
  const [firstKey] = (await listOf(first)).data;
  const made = await first.create<CreatedKey>('/v1/api-keys', {});
  const second = new ApiClient(stack.baseUrl, made.apiKey);
  const answers = await Promise.all([first.delete(`/v1/api-keys/${made.id}`), second.delete(`/v1/api-keys/${firstKey?.id}`)]);
  expect(answers.map((answer) => answer.status).filter((status) => status === 204)).toHaveLength(1);
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
  const made = await api.post<CreatedKey>('/v1/api-keys', { name: 'CRM' }, { 'Idempotency-Key': idempotencyKey });
  const again = await api.post<CreatedKey>('/v1/api-keys', { name: 'CRM' }, { 'Idempotency-Key': idempotencyKey });
  expect(made.status).toBe(201);
  expect(again.status).toBe(201);
  expect(again.body).toEqual(made.body);
  expect((await listOf(api)).data.filter((key) => key.name === 'CRM')).toHaveLength(1);
  const kept = await stack.prisma.idempotentRequest.findMany({ where: { key: idempotencyKey } });
  expect(kept).toHaveLength(1);
  expect(JSON.stringify(kept)).not.toContain(made.body.apiKey);
});
