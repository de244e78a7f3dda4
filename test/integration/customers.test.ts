/**
 * /v1/customers over HTTP: listed a page at a time (the list convention), searched by name or
 * email in any case, read, changed, and their contacts listed; another tenant's customer is not
 * found; bad input is refused and changes nothing.
 */
import { succeeded, walk, type GreenlightClient } from '../support/api';
import { startStack, type Stack } from '../support/stack';
import { PROBLEM_JSON, seedTenant, STACK_START_TIMEOUT_MS, tenantFootprint } from './api-http';

let stack: Stack;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;
/** The tenant's customers' ids by name, seedTenant's first. */
const customers = new Map<string, string>();

const CUSTOMERS: { name: string; email?: string }[] = [
  { name: 'Boulangerie Éclair', email: 'contact@eclair.example' },
  { name: 'Atelier Nord', email: 'hello@NORD.example' },
  { name: 'Café 100%' },
  { name: 'Zeta Services', email: 'achats@boulangerie-zeta.example' },
  { name: 'Éclairage Sud', email: 'ventes@sud.example' },
];

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  [tenant, other] = await Promise.all([seedTenant(stack), seedTenant(stack)]);
  customers.set('Boulangerie Éléonore', tenant.customerId);
  for (const body of CUSTOMERS) customers.set(body.name, (await succeeded(tenant.api.POST('/v1/customers', { body }), 201)).id);
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

const byId = (id: string) => ({ params: { path: { id } } });
const search = (api: GreenlightClient, q?: string) => walk((query) => api.GET('/v1/customers', { params: { query: { ...query, ...(q === undefined ? {} : { q }) } } }), (customer) => customer.name);

it('lists every customer once, newest first, a page at a time', async () => {
  expect(await search(tenant.api)).toEqual([...customers.keys()].reverse());
  expect(await search(other.api)).toEqual(['Boulangerie Éléonore']);
  const first = await succeeded(tenant.api.GET('/v1/customers', { params: { query: { limit: 1 } } }), 200);
  expect(first.data).toEqual([await succeeded(tenant.api.GET('/v1/customers/{id}', byId(customers.get('Éclairage Sud')!)), 200)]);
});

it('finds customers by a piece of their name or email, in any case, wildcards taken literally', async () => {
  expect(await search(tenant.api, 'BOULANGERIE')).toEqual(['Zeta Services', 'Boulangerie Éclair', 'Boulangerie Éléonore']);
  expect(await search(tenant.api, 'nord')).toEqual(['Atelier Nord']);
  expect(await search(tenant.api, 'éclair')).toEqual(['Éclairage Sud', 'Boulangerie Éclair']);
  expect(await search(tenant.api, '%')).toEqual(['Café 100%']);
  expect(await search(tenant.api, '_')).toEqual([]);
  expect(await search(tenant.api, '\\')).toEqual([]);
  expect(await search(tenant.api, 'personne')).toEqual([]);
});

it('changes a customer, which the search then finds by its new name', async () => {
  const id = customers.get('Atelier Nord')!;
  const changed = await succeeded(tenant.api.PATCH('/v1/customers/{id}', { ...byId(id), body: { name: 'Atelier Nordlys', phone: '+4712345678' } }), 200);
  expect(changed).toMatchObject({ id, name: 'Atelier Nordlys', email: 'hello@NORD.example', phone: '+4712345678' });
  expect(await succeeded(tenant.api.GET('/v1/customers/{id}', byId(id)), 200)).toEqual(changed);
  expect(await search(tenant.api, 'NORDLYS')).toEqual(['Atelier Nordlys']);
  customers.delete('Atelier Nord');
  customers.set('Atelier Nordlys', id);
});

it("lists a customer's contacts in the order they were added, and only theirs", async () => {
  const id = customers.get('Zeta Services')!;
  const added: string[] = [];
  for (const name of ['Ada', 'Bo', 'Cy', 'Dag', 'Eli']) {
    added.push((await succeeded(tenant.api.POST('/v1/customers/{id}/contacts', { ...byId(id), body: { name, email: `${name.toLowerCase()}@zeta.example` } }), 201)).id);
  }
  expect(await walk((query) => tenant.api.GET('/v1/customers/{id}/contacts', { params: { path: { id }, query } }), (contact) => contact.id)).toEqual(added);
  const seeded = await succeeded(tenant.api.GET('/v1/customers/{id}/contacts', byId(tenant.customerId)), 200);
  expect(seeded).toEqual({ data: [expect.objectContaining({ id: tenant.contactId, customerId: tenant.customerId })], nextCursor: null });
});

it("does not find, list, nor change another tenant's customer", async () => {
  const theirs = byId(other.customerId);
  const before = await tenantFootprint(stack.prisma, other.tenantId);
  const row = await stack.prisma.customer.findUniqueOrThrow({ where: { id: other.customerId } });
  expect((await tenant.api.GET('/v1/customers/{id}', theirs)).response.status).toBe(404);
  expect((await tenant.api.GET('/v1/customers/{id}/contacts', theirs)).response.status).toBe(404);
  const patched = await tenant.api.PATCH('/v1/customers/{id}', { ...theirs, body: { name: 'Taken over' } });
  expect(patched.response.status).toBe(404);
  expect(patched.error).toMatchObject({ status: 404 });
  expect(await search(tenant.api, 'Éléonore')).toEqual(['Boulangerie Éléonore']);
  expect(await stack.prisma.customer.findUniqueOrThrow({ where: { id: other.customerId } })).toEqual(row);
  expect(await tenantFootprint(stack.prisma, other.tenantId)).toEqual(before);
});

it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
  const id = customers.get('Boulangerie Éclair')!;
  const row = await stack.prisma.customer.findUniqueOrThrow({ where: { id } });
  const before = await tenantFootprint(stack.prisma, tenant.tenantId);
  for (const [method, path, body, field] of [
    ['GET', '/v1/customers?q=', undefined, 'query.q'],
    ['GET', `/v1/customers?q=${'x'.repeat(201)}`, undefined, 'query.q'],
    ['GET', '/v1/customers?name=Zeta', undefined, 'query.name'],
    ['GET', '/v1/customers?limit=500', undefined, 'query.limit'],
    ['GET', '/v1/customers?cursor=nope', undefined, 'query.cursor'],
    ['GET', `/v1/customers/${id}/contacts?limit=-1`, undefined, 'query.limit'],
    ['PATCH', `/v1/customers/${id}`, { email: 'not-an-email' }, 'email'],
    ['PATCH', `/v1/customers/${id}`, { name: '   ' }, 'name'],
    ['PATCH', `/v1/customers/${id}`, { vip: true }, 'vip'],
  ] as const) {
    const answer = await tenant.call(method, path, body);
    expect({ path, status: answer.status, contentType: answer.contentType }).toEqual({ path, status: 400, contentType: expect.stringMatching(PROBLEM_JSON) });
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual([field]);
  }
  expect((await tenant.call('GET', '/v1/customers/cus_missing/contacts')).status).toBe(404);
  expect(await stack.prisma.customer.findUniqueOrThrow({ where: { id } })).toEqual(row);
  expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(before);
});
