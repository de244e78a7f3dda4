/**
 * Requests broken below the JSON a schema sees — a path that does not decode, a body its
 * Content-Encoding does not decode, a multipart type without its boundary, text JSON can write
 * but Unicode cannot hold, a number past the 32 bits it is stored in — are the client's fault:
 * a 4xx problem naming what is wrong, never a 500, and nothing written. (Found by
 * api-fuzz.test.ts; each answered 500, or stored U+FFFD in place of the text sent.)
 *
 * Every request here stays raw (raw-http.ts, api-http.ts), not the typed client: each is one the
 * OpenAPI document does not describe, on purpose.
 */
import { randomBytes } from 'node:crypto';
import { startStack, type Stack } from '../support/stack';
import { sendRaw, type RawRequest } from '../support/raw-http';
import { PROBLEM_JSON, STACK_START_TIMEOUT_MS, seedTenant, tenantFootprint } from './api-http';

let stack: Stack;
let tenant: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  stack = await startStack();
  tenant = await seedTenant(stack);
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

const send = async (request: RawRequest) => {
  const answer = await sendRaw(stack.baseUrl, request);
  if ('failed' in answer) throw new Error(`${request.method} ${request.path}: ${answer.failed}`);
  return { ...answer, problem: PROBLEM_JSON.test(answer.contentType) ? (JSON.parse(answer.body) as { type: string; detail?: string; errors?: { path: string }[] }) : undefined };
};
const withKey = (headers: Record<string, string> = {}) => ({ authorization: `Bearer ${tenant.apiKey}`, ...headers });
const json = (text: string) => Buffer.from(text, 'utf8');

it('answers a path whose percent-encoding is not UTF-8 with a 400, on the API and the portal', async () => {
  for (const path of ['/v1/documents/%zz', '/v1/customers/%ED%A0%80', '/v1/documents/%C0%AF/events']) {
    const refused = await send({ method: 'GET', path, headers: withKey() });
    expect({ path, status: refused.status, type: refused.problem?.type }).toEqual({ path, status: 400, type: expect.stringMatching(/validation-failed$/) });
    expect(refused.problem?.detail).toMatch(/percent-encoded/);
  }
  const asJson = await send({ method: 'POST', path: '/d/%E0%A4%A/accept', headers: { 'content-type': 'application/json' }, body: json('{}') });
  expect([asJson.status, asJson.contentType]).toEqual([400, expect.stringMatching(PROBLEM_JSON)]);
  const asForm = await send({ method: 'POST', path: '/d/%zz/refuse', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: json('reason=x') });
  expect([asForm.status, asForm.contentType]).toEqual([400, expect.stringMatching(/^text\/html/)]);
});

it('answers a body its Content-Encoding does not decode with a 400, and writes nothing', async () => {
  const footprint = await tenantFootprint(stack.prisma, tenant.tenantId);
  for (const encoding of ['gzip', 'deflate', 'br']) {
    const refused = await send({
      method: 'POST',
      path: '/v1/customers',
      headers: withKey({ 'content-type': 'application/json', 'content-encoding': encoding }),
      body: json('{"name":"not compressed at all"}'),
    });
    expect({ encoding, status: refused.status, type: refused.problem?.type }).toEqual({ encoding, status: 400, type: expect.stringMatching(/validation-failed$/) });
  }
  const portal = await send({
    method: 'POST',
    path: '/d/any-token/refuse',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip', accept: 'application/json' },
    body: json('reason=not+compressed'),
  });
  expect([portal.status, portal.problem?.type]).toEqual([400, expect.stringMatching(/validation-failed$/)]);
  expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(footprint);
});

it('refuses a multipart upload whose Content-Type names no boundary with a 400', async () => {
  for (const type of ['multipart/form-data', 'multipart/form-data; boundary=']) {
    const refused = await send({
      method: 'POST',
      path: `/v1/documents/doc_anything/revisions`,
      headers: withKey({ 'content-type': type }),
      body: json('--x\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n\r\n%PDF-1.4\r\n--x--\r\n'),
    });
    expect({ type, status: refused.status, detail: refused.problem?.detail }).toEqual({ type, status: 400, detail: expect.stringMatching(/boundary/) });
  }
});

it('refuses text with a lone surrogate wherever JSON is read (422, as a NUL), naming where, and keeps a real pair intact', async () => {
  const footprint = await tenantFootprint(stack.prisma, tenant.tenantId);
  const name = await send({ method: 'POST', path: '/v1/customers', headers: withKey({ 'content-type': 'application/json' }), body: json('{"name":"Zo\\ud800\\u00eb"}') });
  expect([name.status, name.problem?.errors]).toEqual([422, [expect.objectContaining({ path: 'name' })]]);
  // Fields a schema takes as they come, and keys, too.
  const option = await send({
    method: 'POST',
    path: '/v1/requests',
    headers: withKey({ 'content-type': 'application/json' }),
    body: json(`{"customerId":"${tenant.customerId}","product":"Flyers","options":{"pages":{"\\udc00":1}}}`),
  });
  expect([option.status, option.problem?.errors]).toEqual([422, [expect.objectContaining({ path: expect.stringContaining('options.pages') })]]);
  const portal = await send({ method: 'POST', path: '/d/any-token/messages', headers: { 'content-type': 'application/json' }, body: json('{"body":"\\udfff"}') });
  expect([portal.status, portal.problem?.errors]).toEqual([422, [expect.objectContaining({ path: 'body' })]]);
  expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(footprint);

  const paired = await tenant.call('POST', '/v1/customers', undefined, { rawBody: '{"name":"Zoë \\ud83d\\ude00"}' });
  expect([paired.status, paired.body.name]).toEqual([201, 'Zoë 😀']);
});

it('refuses an hourly rate past the 32 bits it is stored in, and keeps the one set', async () => {
  const set = await tenant.call('PATCH', '/v1/settings', { hourlyRate: 2_147_483_647 });
  expect([set.status, set.body.hourlyRate]).toEqual([200, 2_147_483_647]);
  const refused = await tenant.call('PATCH', '/v1/settings', { hourlyRate: 2_147_483_648 });
  expect([refused.status, refused.body.errors]).toEqual([400, [expect.objectContaining({ path: 'hourlyRate' })]]);
  expect((await tenant.call('GET', '/v1/settings')).body.hourlyRate).toBe(2_147_483_647);
});

it('refuses a revision or page number past the 32 bits they are stored in: a 400 naming it, not a 500', async () => {
  const proof = await tenant.call('POST', '/v1/documents', { kind: 'proof', customerId: tenant.customerId, title: 'Affiche' });
  expect(proof.status).toBe(201);
  for (const [path, field] of [
    [`/v1/documents/${proof.body.id}/revisions/2147483648/pdf`, 'params.number'],
    [`/v1/documents/${proof.body.id}/revisions/1/pages/2147483648`, 'params.page'],
  ] as const) {
    const refused = await tenant.call('GET', path);
    expect([refused.status, refused.body.errors]).toEqual([400, [expect.objectContaining({ path: field })]]);
  }
});

it('refuses an invalid Idempotency-Key before claiming it: a 400, and no answer stored, even for a key too long to index', async () => {
  const footprint = await tenantFootprint(stack.prisma, tenant.tenantId);
  for (const key of [randomBytes(2_000).toString('hex'), 'k'.repeat(256)]) {
    const refused = await send({ method: 'POST', path: '/v1/customers', headers: withKey({ 'content-type': 'application/json', 'idempotency-key': key }), body: json('{"name":"Boulangerie"}') });
    expect({ length: key.length, status: refused.status, errors: refused.problem?.errors }).toEqual({
      length: key.length,
      status: 400,
      errors: [expect.objectContaining({ path: 'headers.Idempotency-Key' })],
    });
  }
  expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(footprint);
});
