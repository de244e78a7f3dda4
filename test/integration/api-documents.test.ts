/**
 * Users, customers, contacts, settings and documents over HTTP against the real stack:
 * what is created, what is refused, and that a refusal changes nothing.
 *
 * Requests go through the typed client (`tenant.api`), except those that send what the OpenAPI
 * document does not allow on purpose — malformed JSON, wrong types, unknown fields and values,
 * missing required fields — which stay raw (`tenant.call`, api-http.ts).
 */
import { succeeded, type components } from '../support/api';
import { startStack, type Stack } from '../support/stack';
import { PROBLEM_JSON, seedTenant, STACK_START_TIMEOUT_MS, tenantFootprint, type ApiAnswer } from './api-http';

let stack: Stack;
let tenant: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  stack = await startStack();
  tenant = await seedTenant(stack);
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

type Problem = components['schemas']['Problem'];

/** Runs a request that must be refused (typed, or raw) and checks the tenant's rows did not move. */
async function expectRefusedWithoutChange(request: () => Promise<ApiAnswer | { error?: unknown; response: Response }>, status: number): Promise<Problem> {
  const before = await tenantFootprint(stack.prisma, tenant.tenantId);
  const answer = await request();
  const refusal = 'response' in answer ? { status: answer.response.status, contentType: answer.response.headers.get('content-type'), problem: answer.error } : { ...answer, problem: answer.body };
  expect(refusal.status).toBe(status);
  expect(refusal.contentType).toMatch(PROBLEM_JSON);
  expect(refusal.problem).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(before);
  return refusal.problem as Problem;
}

const byId = (id: string) => ({ params: { path: { id } } });

const pathsOf = (problem: { errors?: { path: string }[] }) => (problem.errors ?? []).map((error) => error.path).sort();

describe('users, customers and contacts', () => {
  it('creates a user with notification preferences', async () => {
    const user = await tenant.api.POST('/v1/users', { body: { name: 'Märta Ödegaard', email: 'marta@print.example', phone: '+46701234567', notify: { downloaded: ['email', 'sms'] } } });
    expect(user.response.status).toBe(201);
    expect(user.data).toMatchObject({ name: 'Märta Ödegaard', phone: '+46701234567', notify: { downloaded: ['email', 'sms'] } });
  });

  it('refuses a user without email, with an unknown channel or an unknown field', async () => {
    const problem = await expectRefusedWithoutChange(
      () => tenant.call('POST', '/v1/users', { name: 'No Mail', notify: { viewed: ['pigeon'] }, role: 'admin' }),
      400,
    );
    expect(pathsOf(problem)).toEqual(['email', 'notify.viewed.0', 'role']);
  });

  it('creates a customer and a contact, and refuses a contact for an unknown customer with 404', async () => {
    const customer = await succeeded(tenant.api.POST('/v1/customers', { body: { name: '山田印刷', locale: 'sv', termsAcceptedAt: '2026-01-02T03:04:05Z', proofType: 'email' } }), 201);
    expect(customer).toMatchObject({ name: '山田印刷', termsAcceptedAt: '2026-01-02T03:04:05.000Z' });
    const contact = await succeeded(tenant.api.POST('/v1/customers/{id}/contacts', { ...byId(customer.id), body: { name: 'Yamada Tarō', email: 'taro@yamada.example' } }), 201);
    expect(contact.customerId).toBe(customer.id);

    await expectRefusedWithoutChange(() => tenant.api.POST('/v1/customers/{id}/contacts', { ...byId('cus_unknown'), body: { name: 'Ghost' } }), 404);
  });

  it('refuses a customer with a bad email and locale', async () => {
    const problem = await expectRefusedWithoutChange(() => tenant.call('POST', '/v1/customers', { name: 'Bad', email: 'not-an-email', locale: 'french' }), 400);
    expect(pathsOf(problem)).toEqual(['email', 'locale']);
  });
});

describe('settings', () => {
  it('changes only the fields sent and reads them back', async () => {
    const changed = await tenant.api.PATCH('/v1/settings', { body: { reminderAfter: 'PT5S', quoteValidity: 'P14D', hourlyRate: 6500, termsOfSale: { version: '2026-1', text: 'Conditions générales' } } });
    expect(changed.response.status).toBe(200);
    const read = await tenant.api.GET('/v1/settings');
    expect(read.data).toMatchObject({ reminderAfter: 'PT5S', quoteValidity: 'P14D', hourlyRate: 6500, signaturePollInterval: 'PT30M', termsOfSale: { version: '2026-1', text: 'Conditions générales' } });
  });

  it('refuses durations that are not ISO 8601, unknown fields and unknown providers, changing nothing', async () => {
    const before = (await tenant.api.GET('/v1/settings')).data;
    const problem = await expectRefusedWithoutChange(
      () => tenant.call('PATCH', '/v1/settings', { reminderAfter: '3 days', quoteValidity: 'P0D', signatureProvider: 'fax', colour: 'green' }),
      400,
    );
    expect(pathsOf(problem)).toEqual(['colour', 'quoteValidity', 'reminderAfter', 'signatureProvider']);
    expect((await tenant.api.GET('/v1/settings')).data).toEqual(before);
  });
});

describe('documents', () => {
  const lines = [
    // 1.5 × 3.33 = 4.995 → 5.00 (half away from zero); tax 20 % = 1.00
    { description: 'Flyers A5, 250 g', quantity: 1.5, unitPrice: 333, taxRate: 20 },
    // 3 × 0.15 = 0.45; tax 5.5 % = 0.02475 → 0.02
    { description: 'Livraison', quantity: 3, unitPrice: 15, taxRate: 5.5 },
    // Counts only once the customer picks it.
    { description: 'Pelliculage mat (option)', quantity: 1, unitPrice: 4000, taxRate: 20, optional: true },
  ];

  it('creates a quote as a draft with lines priced per line, optional lines outside the totals, and a number', async () => {
    const created = await succeeded(
      tenant.api.POST('/v1/documents', {
        body: { kind: 'quote', customerId: tenant.customerId, contactId: tenant.contactId, assigneeId: tenant.userId, title: 'Flyers printemps', lines },
      }),
      201,
    );
    expect(created).toMatchObject({
      kind: 'quote',
      status: 'draft',
      number: expect.stringMatching(/^Q-\d{4}-\d{4}$/),
      currency: 'EUR',
      totals: { net: 545, tax: 102, gross: 647, currency: 'EUR' },
      customerId: tenant.customerId,
      contactId: tenant.contactId,
      assigneeId: tenant.userId,
      viewCount: 0,
      downloadCount: 0,
      lastViewedAt: null,
    });
    expect(created.lines.map((line) => [line.position, line.quantity, line.netAmount, line.taxAmount, line.optional])).toEqual([
      [1, 1.5, 500, 100, false],
      [2, 3, 45, 2, false],
      [3, 1, 4000, 800, true],
    ]);
    expect(created.chain).toEqual([{ id: created.id, kind: 'quote', number: created.number, status: 'draft' }]);

    const read = await tenant.api.GET('/v1/documents/{id}', byId(created.id));
    expect(read.response.status).toBe(200);
    expect(read.data).toEqual(created);
  });

  it('numbers documents one after another, also when created at once, and refuses a number already taken', async () => {
    const created = await Promise.all(
      Array.from({ length: 5 }, () => succeeded(tenant.api.POST('/v1/documents', { body: { kind: 'quote', customerId: tenant.customerId, lines } }))),
    );
    const numbers = created.map((document) => document.number);
    expect(new Set(numbers).size).toBe(5);
    const counters = numbers.map((number) => Number(number.split('-')[2])).sort((a, b) => a - b);
    expect(counters.at(-1)! - counters[0]!).toBe(4);

    const own = await tenant.api.POST('/v1/documents', { body: { kind: 'quote', customerId: tenant.customerId, number: 'DEVIS-ÉTÉ-7' } });
    expect(own.response.status).toBe(201);
    expect(own.data?.number).toBe('DEVIS-ÉTÉ-7');
    await expectRefusedWithoutChange(() => tenant.api.POST('/v1/documents', { body: { kind: 'quote', customerId: tenant.customerId, number: 'DEVIS-ÉTÉ-7' } }), 409);
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const problem = await expectRefusedWithoutChange(() => tenant.call('POST', '/v1/documents', undefined, { rawBody: '{"kind": "quote",' }), 400);
    expect(problem.type).toMatch(/malformed-json$/);
  });

  it('names every missing or invalid field in errors[].path', async () => {
    const problem = await expectRefusedWithoutChange(
      () => tenant.call('POST', '/v1/documents', { kind: 'brochure', lines: [{ quantity: 1, unitPrice: 1.5 }] }),
      400,
    );
    expect(problem.type).toMatch(/validation-failed$/);
    expect(pathsOf(problem)).toEqual(['customerId', 'kind', 'lines.0.description', 'lines.0.unitPrice']);
  });

  it.each([
    ['negative', -2],
    ['zero', 0],
    ['with more than 4 decimals', 1.00001],
  ])('refuses a %s quantity', async (_label, quantity) => {
    const problem = await expectRefusedWithoutChange(
      () => tenant.api.POST('/v1/documents', { body: { kind: 'quote', customerId: tenant.customerId, lines: [{ description: 'x', quantity, unitPrice: 100 }] } }),
      400,
    );
    expect(pathsOf(problem)).toEqual(['lines.0.quantity']);
  });

  it('refuses unknown customer, contact and assignee with 422 naming the field', async () => {
    const problem = await expectRefusedWithoutChange(
      () => tenant.api.POST('/v1/documents', { body: { kind: 'quote', customerId: 'cus_nope', contactId: 'con_nope', assigneeId: 'usr_nope', lines } }),
      422,
    );
    expect(pathsOf(problem)).toEqual(['assigneeId', 'contactId', 'customerId']);
  });

  it("does not let a tenant use, read, list or act on another tenant's records (404 / 422)", async () => {
    const other = await seedTenant(stack, 'Other Print');
    const theirs = await succeeded(other.api.POST('/v1/documents', { body: { kind: 'quote', customerId: other.customerId, lines } }), 201);

    const theirDocument = byId(theirs.id);
    expect((await tenant.api.GET('/v1/documents/{id}', theirDocument)).response.status).toBe(404);
    expect((await tenant.api.GET('/v1/documents/{id}/events', theirDocument)).response.status).toBe(404);
    expect((await tenant.api.GET('/v1/documents/{id}/pdf', { ...theirDocument, parseAs: 'arrayBuffer' })).response.status).toBe(404);
    await expectRefusedWithoutChange(() => tenant.api.POST('/v1/documents/{id}/cancel', { ...theirDocument, body: {} }), 404);
    await expectRefusedWithoutChange(() => tenant.api.POST('/v1/customers/{id}/contacts', { ...byId(other.customerId), body: { name: 'Spy' } }), 404);
    const borrowed = await expectRefusedWithoutChange(
      () => tenant.api.POST('/v1/documents', { body: { kind: 'quote', customerId: other.customerId, assigneeId: other.userId, lines } }),
      422,
    );
    expect(pathsOf(borrowed)).toEqual(['assigneeId', 'customerId']);
    const listed = await tenant.api.GET('/v1/documents', { params: { query: { customerId: other.customerId } } });
    expect(listed.data).toEqual({ data: [], nextCursor: null });
    expect((await other.api.GET('/v1/documents/{id}', theirDocument)).data?.status).toBe('draft');
  });

  it('lists newest first with keyset pagination and filters', async () => {
    const lister = await seedTenant(stack, 'Lister');
    const secondCustomer = await succeeded(lister.api.POST('/v1/customers', { body: { name: 'Second' } }));
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const customerId = index % 2 === 0 ? lister.customerId : secondCustomer.id;
      const created = await succeeded(lister.api.POST('/v1/documents', { body: { kind: index === 4 ? 'invoice' : 'quote', customerId, lines } }));
      ids.push(created.id);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: components['schemas']['DocumentList'] = await succeeded(lister.api.GET('/v1/documents', { params: { query: { limit: 2, ...(cursor ? { cursor } : {}) } } }), 200);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((document) => document.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const quotesOfFirst = await succeeded(lister.api.GET('/v1/documents', { params: { query: { kind: 'quote', customerId: lister.customerId } } }));
    expect(quotesOfFirst.data.map((document) => document.id)).toEqual([ids[2], ids[0]]);
    expect(quotesOfFirst.data[0]).toMatchObject({ viewCount: 0, status: 'draft', totals: { gross: 647 } });
    const drafts = await succeeded(lister.api.GET('/v1/documents', { params: { query: { status: 'draft', kind: 'invoice' } } }));
    expect(drafts.data.map((document) => document.id)).toEqual([ids[4]]);

    const badQuery = await lister.call('GET', '/v1/documents?limit=0&kind=memo&cursor=garbage');
    expect(badQuery.status).toBe(400);
    expect(pathsOf(badQuery.body)).toEqual(['query.kind', 'query.limit']);
    const badCursor = await lister.api.GET('/v1/documents', { params: { query: { cursor: 'garbage' } } });
    expect(badCursor.response.status).toBe(400);
    expect(pathsOf(badCursor.error ?? {})).toEqual(['query.cursor']);
  });

  it('serves the PDF to the seller and keeps the preview in the trail without counting it as a download', async () => {
    const created = await succeeded(tenant.api.POST('/v1/documents', { body: { kind: 'quote', customerId: tenant.customerId, contactId: tenant.contactId, lines } }));
    const pdf = await tenant.api.GET('/v1/documents/{id}/pdf', { ...byId(created.id), parseAs: 'arrayBuffer' });
    expect(pdf.response.status).toBe(200);
    expect(pdf.response.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(pdf.data ?? new ArrayBuffer(0)).subarray(0, 5).toString()).toBe('%PDF-');

    const events = await tenant.api.GET('/v1/documents/{id}/events', byId(created.id));
    expect(events.data).toEqual({ nextCursor: null, data: [{ seq: 1, type: 'downloaded', at: expect.any(String), actor: 'seller', data: { by: 'seller', counted: false } }] });
    const read = await tenant.api.GET('/v1/documents/{id}', byId(created.id));
    expect(read.data).toMatchObject({ downloadCount: 0, viewCount: 0 });
  });

  it('cancels a draft that was never sent, once', async () => {
    const created = await succeeded(tenant.api.POST('/v1/documents', { body: { kind: 'quote', customerId: tenant.customerId, lines } }));
    const theDraft = byId(created.id);
    const cancelled = await tenant.api.POST('/v1/documents/{id}/cancel', { ...theDraft, body: { reason: 'Le client a annulé' } });
    expect(cancelled.response.status).toBe(202);
    expect(cancelled.data).toEqual({ status: 'cancelled' });
    expect((await tenant.api.GET('/v1/documents/{id}', theDraft)).data?.status).toBe('cancelled');
    const events = await tenant.api.GET('/v1/documents/{id}/events', theDraft);
    expect(events.data).toEqual({ nextCursor: null, data: [{ seq: 1, type: 'cancelled', at: expect.any(String), actor: 'seller', data: { reason: 'Le client a annulé' } }] });

    // Another cancel (another body: another decision) is refused by the draft's workflow, now over, as for a sent quote.
    const again = await expectRefusedWithoutChange(() => tenant.api.POST('/v1/documents/{id}/cancel', { ...theDraft, body: {} }), 409);
    expect(again.detail).toMatch(/is cancelled/);
    await expectRefusedWithoutChange(() => tenant.api.POST('/v1/documents/{id}/send', { ...theDraft, body: {} }), 409);
  });

  it('refuses to remind a quote that was never sent', async () => {
    const created = await succeeded(tenant.api.POST('/v1/documents', { body: { kind: 'quote', customerId: tenant.customerId, lines } }));
    const problem = await expectRefusedWithoutChange(() => tenant.api.POST('/v1/documents/{id}/remind', byId(created.id)), 409);
    expect(problem.detail).toMatch(/not been sent/);
  });
});
