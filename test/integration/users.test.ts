/**
 * /v1/users over HTTP: made, listed (the list convention), read and changed, each answer with
 * the channels of every event (defaults for those the user left out); another tenant's user is
 * not found; bad input is refused and changes nothing.
 */
import { succeeded, walk } from '../support/api';
import { startStack, type Stack } from '../support/stack';
import { PROBLEM_JSON, seedTenant, STACK_START_TIMEOUT_MS } from './api-http';

let stack: Stack;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  [tenant, other] = await Promise.all([seedTenant(stack), seedTenant(stack)]);
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

const byId = (id: string) => ({ params: { path: { id } } });
const DEFAULTS = { viewed: [], downloaded: [], decided: ['email'], signed: ['email'], paid: ['email'], message: ['email'], payment_failed: ['email'] };

it('answers every event: those chosen, the defaults for the others; reads back the same', async () => {
  const made = await succeeded(tenant.api.POST('/v1/users', { body: { name: 'Ines Lind', email: 'ines@print.example', notify: { viewed: ['sms'], decided: [] } } }), 201);
  expect(made).toEqual({ id: expect.any(String), name: 'Ines Lind', email: 'ines@print.example', phone: null, notify: { ...DEFAULTS, viewed: ['sms'], decided: [] }, createdAt: expect.any(String) });
  expect(await succeeded(tenant.api.GET('/v1/users/{id}', byId(made.id)), 200)).toEqual(made);
  // What the user chose is kept as chosen: a change of defaults reaches the events they left out.
  expect((await stack.prisma.user.findUniqueOrThrow({ where: { id: made.id } })).notify).toEqual({ viewed: ['sms'], decided: [] });
});

it('changes the fields sent, and of notify only the events it names', async () => {
  const made = await succeeded(tenant.api.POST('/v1/users', { body: { name: 'Olle Berg', email: 'olle@print.example', phone: '+46701234567', notify: { viewed: ['email'] } } }), 201);
  const changed = await succeeded(tenant.api.PATCH('/v1/users/{id}', { ...byId(made.id), body: { name: 'Olle Bergström', phone: null, notify: { message: ['sms'], paid: [] } } }), 200);
  expect(changed).toEqual({ ...made, name: 'Olle Bergström', phone: null, notify: { ...DEFAULTS, viewed: ['email'], message: ['sms'], paid: [] } });
  expect(await succeeded(tenant.api.GET('/v1/users/{id}', byId(made.id)), 200)).toEqual(changed);
  // An empty change changes nothing.
  expect(await succeeded(tenant.api.PATCH('/v1/users/{id}', { ...byId(made.id), body: {} }), 200)).toEqual(changed);
});

it('lists the tenant’s users newest first, a page at a time, and no other tenant’s', async () => {
  const { api, userId } = await seedTenant(stack);
  const made = [userId];
  for (let n = 0; n < 4; n += 1) made.push((await succeeded(api.POST('/v1/users', { body: { name: `Seller ${n}`, email: `seller${n}@print.example` } }), 201)).id);
  expect(await walk((query) => api.GET('/v1/users', { params: { query } }), (user) => user.id)).toEqual([...made].reverse());
  const first = await succeeded(api.GET('/v1/users', { params: { query: { limit: 1 } } }), 200);
  expect(first.data[0]).toMatchObject({ id: made.at(-1), notify: DEFAULTS });
});

it('does not find, nor change, another tenant’s user', async () => {
  const theirs = byId(other.userId);
  const before = await stack.prisma.user.findUniqueOrThrow({ where: { id: other.userId } });
  expect((await tenant.api.GET('/v1/users/{id}', theirs)).response.status).toBe(404);
  const patched = await tenant.api.PATCH('/v1/users/{id}', { ...theirs, body: { name: 'Taken over' } });
  expect(patched.response.status).toBe(404);
  expect(patched.error).toMatchObject({ status: 404 });
  expect(await stack.prisma.user.findUniqueOrThrow({ where: { id: other.userId } })).toEqual(before);
});

it('refuses bad changes with a 400 naming the field, and changes nothing', async () => {
  const before = await stack.prisma.user.findUniqueOrThrow({ where: { id: tenant.userId } });
  for (const [body, path] of [
    [{ notify: { viewed: ['pigeon'] } }, 'notify.viewed.0'],
    [{ notify: { gossip: ['email'] } }, 'notify.gossip'],
    [{ email: 'not-an-email' }, 'email'],
    [{ name: '' }, 'name'],
    [{ role: 'admin' }, 'role'],
  ] as const) {
    const answer = await tenant.call('PATCH', `/v1/users/${tenant.userId}`, body);
    expect({ body, status: answer.status, contentType: answer.contentType }).toEqual({ body, status: 400, contentType: expect.stringMatching(PROBLEM_JSON) });
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual([path]);
  }
  expect((await tenant.call('GET', '/v1/users?limit=0')).status).toBe(400);
  expect((await tenant.call('PATCH', '/v1/users/usr_missing', { name: 'Nobody' })).status).toBe(404);
  expect(await stack.prisma.user.findUniqueOrThrow({ where: { id: tenant.userId } })).toEqual(before);
});
