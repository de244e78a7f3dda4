/** Idempotency-Key on POST: replay, reuse with another body, concurrent duplicates, scoping, creates and a send resent after their API died. */
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../api/idempotency';
import { sha256Hex } from '../../platform/ids';
import { documentWorkflowId } from '../../workflows/messages/document';
import type { components } from '../support/api';
import { eventually } from '../support/eventually';
import { abandonClaim } from '../support/idempotency';
import { recipientsOf } from '../support/outbox';
import { startStack, type Stack } from '../support/stack';
import { STACK_START_TIMEOUT_MS, seedTenant, tenantFootprint, type ApiAnswer } from './api-http';

let stack: Stack;
let tenant: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  stack = await startStack();
  tenant = await seedTenant(stack);
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

const quote = (): components['schemas']['CreateDocument'] => ({
  kind: 'quote',
  customerId: tenant.customerId,
  lines: [{ description: 'Cartes de visite', quantity: 500, unitPrice: 12, taxRate: 20 }],
});

const withKey = (key: string) => ({ params: { header: { 'Idempotency-Key': key } } });
const createDocument = (body: components['schemas']['CreateDocument'], key: string, by = tenant) => by.api.POST('/v1/documents', { ...withKey(key), body });
const createCustomer = (name: string, key: string, by = tenant) => by.api.POST('/v1/customers', { ...withKey(key), body: { name } });

it('replays the first answer for the same key and body, and creates nothing twice', async () => {
  const key = randomUUID();
  const first = await createDocument(quote(), key);
  expect(first.response.status).toBe(201);
  const footprint = await tenantFootprint(stack.prisma, tenant.tenantId);

  // Same body with its keys in another order is the same request.
  const { lines, kind, customerId } = quote();
  const replay = await createDocument({ lines, customerId, kind }, key);
  expect(replay.response.status).toBe(201);
  expect(replay.data).toEqual(first.data);
  expect(replay.response.headers.get('idempotent-replayed')).toBe('true');
  expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(footprint);
});

it('refuses the same key with another body (422) and changes nothing', async () => {
  const key = randomUUID();
  const first = await createDocument(quote(), key);
  expect(first.response.status).toBe(201);
  const footprint = await tenantFootprint(stack.prisma, tenant.tenantId);

  const reused = await createDocument({ ...quote(), title: 'Autre chose' }, key);
  expect(reused.response.status).toBe(422);
  expect(reused.error?.type).toMatch(/idempotency-key-reused$/);
  const elsewhere = await createCustomer('Autre', key);
  expect(elsewhere.response.status).toBe(422);
  expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(footprint);
});

it('replays a refusal too: a 4xx is the answer for that key', async () => {
  const key = randomUUID();
  const body: components['schemas']['CreateDocument'] = { kind: 'quote', customerId: 'cus_missing', lines: [] };
  const first = await createDocument(body, key);
  expect(first.response.status).toBe(422);
  const replay = await createDocument(body, key);
  expect(replay.response.status).toBe(422);
  expect(replay.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(replay.error).toEqual(first.error);
});

it('lets only one of concurrent duplicates execute', async () => {
  const key = randomUUID();
  const before = await stack.prisma.document.count({ where: { tenantId: tenant.tenantId } });
  const answers = await Promise.all(Array.from({ length: 6 }, () => createDocument(quote(), key)));

  // Each duplicate either got the replayed 201 or a 409 "still in progress" to retry.
  const created = answers.filter((answer) => answer.response.status === 201);
  expect(created.length).toBeGreaterThanOrEqual(1);
  expect(answers.every((answer) => answer.response.status === 201 || answer.response.status === 409)).toBe(true);
  expect(new Set(created.map((answer) => answer.data?.id)).size).toBe(1);
  expect(await stack.prisma.document.count({ where: { tenantId: tenant.tenantId } })).toBe(before + 1);

  const retried = await createDocument(quote(), key);
  expect(retried.data?.id).toBe(created[0]?.data?.id);
});

it('keeps keys per tenant: the same key in two tenants runs twice', async () => {
  const other = await seedTenant(stack, 'Other');
  const key = randomUUID();
  const mine = await createCustomer('Même clé', key);
  const theirs = await createCustomer('Même clé', key, other);
  expect([mine.response.status, theirs.response.status]).toEqual([201, 201]);
  expect(mine.data?.id).not.toBe(theirs.data?.id);
});

/** A claim as the API writes it when a request with `key` begins: still running, held until `heldUntil`. */
const claim = (key: string, heldUntil: Date, request: { path: string; body: unknown } = { path: '/v1/documents', body: quote() }) =>
  stack.prisma.idempotentRequest.create({
    data: { scope: tenant.tenantId, key, method: 'post', path: request.path, bodyHash: sha256Hex(canonicalJson(request.body)), status: 0, heldUntil },
  });

describe("a claim's lease", () => {
  it('answers 409 while the request holding the key is alive', async () => {
    const key = randomUUID();
    await claim(key, new Date(Date.now() + 60_000));
    const footprint = await tenantFootprint(stack.prisma, tenant.tenantId);
    const resent = await tenant.call('POST', '/v1/documents', quote(), { idempotencyKey: key });
    expect(resent.status).toBe(409);
    expect(resent.body.detail).toMatch(/still being processed/);
    expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(footprint);
  });

  it('takes over the claim of a process that died once its lease lapsed: the resend runs at once', async () => {
    const key = randomUUID();
    await claim(key, new Date(Date.now() - 1));
    const resent = await tenant.call('POST', '/v1/documents', quote(), { idempotencyKey: key });
    expect(resent.status).toBe(201);
    const replay = await tenant.call('POST', '/v1/documents', quote(), { idempotencyKey: key });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(resent.body.id);
  });
});

it('answers a create resent after its API died with the row its first attempt wrote, and writes no second', async () => {
  const creates: { path: string; body: Record<string, unknown> }[] = [
    { path: '/v1/customers', body: { name: 'Fleurs & Co' } },
    { path: `/v1/customers/${tenant.customerId}/contacts`, body: { name: 'Iris Martin', email: 'iris@fleurs.example' } },
    { path: '/v1/users', body: { name: 'Noé Vendeur', email: `${randomUUID()}@print.example` } },
    { path: '/v1/documents', body: quote() },
    { path: `/v1/documents/${(await tenant.call('POST', '/v1/documents', quote())).body.id}/duplicate`, body: {} },
    { path: '/v1/requests', body: { customerId: tenant.customerId, product: 'Nettoyage de vitres', billing: 'invoice', priceOnQuote: true } },
    { path: '/v1/webhook-endpoints', body: { url: 'http://127.0.0.1:9/hooks/greenlight', events: ['document.accepted'] } },
  ];
  // The endpoint listens on loopback, which the tenant allows first.
  expect((await tenant.call('PATCH', '/v1/settings', { allowPrivateWebhookUrls: true })).status).toBe(200);
  // The rows creates write (a request's workflow goes on writing its trail meanwhile).
  const createdRows = async () => {
    const { users, customers, contacts, documents, lines } = await tenantFootprint(stack.prisma, tenant.tenantId);
    return { users, customers, contacts, documents, lines, endpoints: await stack.prisma.webhookEndpoint.count({ where: { tenantId: tenant.tenantId } }) };
  };
  let lastDraft: ApiAnswer | undefined;
  for (const { path, body } of creates) {
    const key = randomUUID();
    const first = await tenant.call('POST', path, body, { idempotencyKey: key });
    expect([path, first.status]).toEqual([path, 201]);
    const before = await createdRows();

    await abandonClaim(stack.prisma, key);
    const resent = await tenant.call('POST', path, body, { idempotencyKey: key });
    expect([path, resent.status, resent.body.id]).toEqual([path, 201, first.body.id]);
    if (path.includes('/documents')) lastDraft = resent;
    expect(await createdRows()).toEqual(before);
  }
  // The resent drafts took no number: the next quote follows the last one written.
  const serial = (answer: ApiAnswer) => Number((answer.body.number as string).split('-').at(-1));
  const next = await tenant.call('POST', '/v1/documents', quote());
  expect(serial(next)).toBe(serial(lastDraft as ApiAnswer) + 1);
});

describe('a send resent after its API died', () => {
  const sendPath = (documentId: string) => `/v1/documents/${documentId}/send`;
  /** A quote addressed to an inbox of its own, so its emails can be counted. */
  const draftTo = async () => {
    const draft = await tenant.call('POST', '/v1/documents', quote());
    expect(draft.status).toBe(201);
    return { documentId: draft.body.id as string, body: { to: { email: `${randomUUID()}@example.com` } } };
  };
  const statusOf = async (documentId: string) => (await tenant.call('GET', `/v1/documents/${documentId}`)).body.status as string;
  const emailsTo = async (address: string) => (await stack.readOutbox()).filter((email) => recipientsOf(email).includes(address));
  const sentEvents = async (documentId: string) =>
    stack.prisma.auditEvent.count({ where: { documentId, type: 'sent' } });

  it('is the send it retries: answered 202 as the first attempt was, before and after the quote is out, and the quote goes once', async () => {
    const { documentId, body } = await draftTo();
    const key = randomUUID();
    const first = await tenant.call('POST', sendPath(documentId), body, { idempotencyKey: key });
    expect(first.status).toBe(202);

    await abandonClaim(stack.prisma, key);
    const resent = await tenant.call('POST', sendPath(documentId), body, { idempotencyKey: key });
    expect([resent.status, resent.body]).toEqual([202, first.body]);

    await eventually(async () => ((await statusOf(documentId)) === 'sent' ? true : undefined), { what: 'the quote to be sent' });
    await abandonClaim(stack.prisma, key);
    const resentOnceOut = await tenant.call('POST', sendPath(documentId), body, { idempotencyKey: key });
    expect([resentOnceOut.status, resentOnceOut.body]).toEqual([202, first.body]);

    await eventually(async () => ((await emailsTo(body.to.email)).length > 0 ? true : undefined), { what: 'the quote email' });
    expect(await emailsTo(body.to.email)).toHaveLength(1);
    expect(await sentEvents(documentId)).toBe(1);
    // Another send is still a second one: refused, a reminder sends again.
    expect((await tenant.call('POST', sendPath(documentId), body, { idempotencyKey: randomUUID() })).status).toBe(409);
  });

  it('goes on where the first attempt stopped between claiming the draft and starting its workflow', async () => {
    const { documentId, body } = await draftTo();
    const key = randomUUID();
    // The key's claim and the draft's, as the send writes them before it starts the workflow; then its API died.
    await claim(key, new Date(Date.now() - 1), { path: sendPath(documentId), body });
    await stack.prisma.document.update({ where: { id: documentId }, data: { workflowId: documentWorkflowId('quote', documentId), sendDecisionId: key } });
    expect((await tenant.call('POST', sendPath(documentId), body, { idempotencyKey: randomUUID() })).status).toBe(409);

    const resent = await tenant.call('POST', sendPath(documentId), body, { idempotencyKey: key });
    expect(resent.status).toBe(202);
    expect(resent.body.status).toBe('sent');
    await eventually(async () => ((await statusOf(documentId)) === 'sent' ? true : undefined), { what: 'the quote to be sent' });
    await eventually(async () => ((await emailsTo(body.to.email)).length > 0 ? true : undefined), { what: 'the quote email' });
    expect(await sentEvents(documentId)).toBe(1);
  });
});
