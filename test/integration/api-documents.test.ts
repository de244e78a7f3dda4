/**
 * Users, customers, contacts, settings and documents over HTTP against the real stack:
 * what is created, what is refused, and that a refusal changes nothing.
 */
import { startStack, type Stack } from '../support/stack';
import { PROBLEM_JSON, seedTenant, STACK_START_TIMEOUT_MS, tenantFootprint, type ApiAnswer } from './api-http';

let stack: Stack;
let tenant: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  stack = await startStack();
  tenant = await seedTenant(stack);
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

/** Runs a request that must be refused and checks the tenant's rows did not move. */
async function expectRefusedWithoutChange(request: () => Promise<ApiAnswer>, status: number) {
  const before = await tenantFootprint(stack.prisma, tenant.tenantId);
  const answer = await request();
  expect(answer.status).toBe(status);
  expect(answer.contentType).toMatch(PROBLEM_JSON);
  expect(answer.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(before);
  return answer.body;
}

const pathsOf = (problem: { errors?: { path: string }[] }) => (problem.errors ?? []).map((error) => error.path).sort();

describe('users, customers and contacts', () => {
  it('creates a user with notification preferences', async () => {
    const user = await tenant.call('POST', '/v1/users', { name: 'Märta Ödegaard', email: 'marta@print.example', phone: '+46701234567', notify: { downloaded: ['email', 'sms'] } });
    expect(user.status).toBe(201);
    expect(user.body).toMatchObject({ name: 'Märta Ödegaard', phone: '+46701234567', notify: { downloaded: ['email', 'sms'] } });
  });

  it('refuses a user without email, with an unknown channel or an unknown field', async () => {
    const problem = await expectRefusedWithoutChange(
      () => tenant.call('POST', '/v1/users', { name: 'No Mail', notify: { viewed: ['pigeon'] }, role: 'admin' }),
      400,
    );
    expect(pathsOf(problem)).toEqual(['email', 'notify.viewed.0', 'role']);
  });

  it('creates a customer and a contact, and refuses a contact for an unknown customer with 404', async () => {
    const customer = await tenant.call('POST', '/v1/customers', { name: '山田印刷', locale: 'sv', termsAcceptedAt: '2026-01-02T03:04:05Z', proofType: 'email' });
    expect(customer.status).toBe(201);
    expect(customer.body).toMatchObject({ name: '山田印刷', termsAcceptedAt: '2026-01-02T03:04:05.000Z' });
    const contact = await tenant.call('POST', `/v1/customers/${customer.body.id}/contacts`, { name: 'Yamada Tarō', email: 'taro@yamada.example' });
    expect(contact.status).toBe(201);
    expect(contact.body.customerId).toBe(customer.body.id);

    await expectRefusedWithoutChange(() => tenant.call('POST', '/v1/customers/cus_unknown/contacts', { name: 'Ghost' }), 404);
  });

  it('refuses a customer with a bad email and locale', async () => {
    const problem = await expectRefusedWithoutChange(() => tenant.call('POST', '/v1/customers', { name: 'Bad', email: 'not-an-email', locale: 'french' }), 400);
    expect(pathsOf(problem)).toEqual(['email', 'locale']);
  });
});

describe('settings', () => {
  it('changes only the fields sent and reads them back', async () => {
    const changed = await tenant.call('PATCH', '/v1/settings', { reminderAfter: 'PT5S', quoteValidity: 'P14D', hourlyRate: 6500, termsOfSale: { version: '2026-1', text: 'Conditions générales' } });
    expect(changed.status).toBe(200);
    const read = await tenant.call('GET', '/v1/settings');
    expect(read.body).toMatchObject({ reminderAfter: 'PT5S', quoteValidity: 'P14D', hourlyRate: 6500, signaturePollInterval: 'PT30M', termsOfSale: { version: '2026-1', text: 'Conditions générales' } });
  });

  it('refuses durations that are not ISO 8601, unknown fields and unknown providers, changing nothing', async () => {
    const before = (await tenant.call('GET', '/v1/settings')).body;
    const problem = await expectRefusedWithoutChange(
      () => tenant.call('PATCH', '/v1/settings', { reminderAfter: '3 days', quoteValidity: 'P0D', signatureProvider: 'fax', colour: 'green' }),
      400,
    );
    expect(pathsOf(problem)).toEqual(['colour', 'quoteValidity', 'reminderAfter', 'signatureProvider']);
    expect((await tenant.call('GET', '/v1/settings')).body).toEqual(before);
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
    const created = await tenant.call('POST', '/v1/documents', {
      kind: 'quote',
      customerId: tenant.customerId,
      contactId: tenant.contactId,
      assigneeId: tenant.userId,
      title: 'Flyers printemps',
      lines,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
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
    expect(created.body.lines.map((line: { position: number; quantity: number; netAmount: number; taxAmount: number; optional: boolean }) => [line.position, line.quantity, line.netAmount, line.taxAmount, line.optional])).toEqual([
      [1, 1.5, 500, 100, false],
      [2, 3, 45, 2, false],
      [3, 1, 4000, 800, true],
    ]);
    expect(created.body.chain).toEqual([{ id: created.body.id, kind: 'quote', number: created.body.number, status: 'draft' }]);

    const read = await tenant.call('GET', `/v1/documents/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('numbers documents one after another, also when created at once, and refuses a number already taken', async () => {
    const created = await Promise.all(
      Array.from({ length: 5 }, () => tenant.call('POST', '/v1/documents', { kind: 'quote', customerId: tenant.customerId, lines })),
    );
    const numbers = created.map((answer) => answer.body.number as string);
    expect(new Set(numbers).size).toBe(5);
    const counters = numbers.map((number) => Number(number.split('-')[2])).sort((a, b) => a - b);
    expect(counters.at(-1)! - counters[0]!).toBe(4);

    const own = await tenant.call('POST', '/v1/documents', { kind: 'quote', customerId: tenant.customerId, number: 'DEVIS-ÉTÉ-7' });
    expect(own.status).toBe(201);
    expect(own.body.number).toBe('DEVIS-ÉTÉ-7');
    await expectRefusedWithoutChange(() => tenant.call('POST', '/v1/documents', { kind: 'quote', customerId: tenant.customerId, number: 'DEVIS-ÉTÉ-7' }), 409);
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
      () => tenant.call('POST', '/v1/documents', { kind: 'quote', customerId: tenant.customerId, lines: [{ description: 'x', quantity, unitPrice: 100 }] }),
      400,
    );
    expect(pathsOf(problem)).toEqual(['lines.0.quantity']);
  });

  it('refuses unknown customer, contact and assignee with 422 naming the field', async () => {
    const problem = await expectRefusedWithoutChange(
      () => tenant.call('POST', '/v1/documents', { kind: 'quote', customerId: 'cus_nope', contactId: 'con_nope', assigneeId: 'usr_nope', lines }),
      422,
    );
    expect(pathsOf(problem)).toEqual(['assigneeId', 'contactId', 'customerId']);
  });

  it("does not let a tenant use, read, list or act on another tenant's records (404 / 422)", async () => {
    const other = await seedTenant(stack, 'Other Print');
    const theirs = await other.call('POST', '/v1/documents', { kind: 'quote', customerId: other.customerId, lines });
    expect(theirs.status).toBe(201);

    for (const path of [`/v1/documents/${theirs.body.id}`, `/v1/documents/${theirs.body.id}/events`, `/v1/documents/${theirs.body.id}/pdf`]) {
      expect((await tenant.call('GET', path)).status).toBe(404);
    }
    await expectRefusedWithoutChange(() => tenant.call('POST', `/v1/documents/${theirs.body.id}/cancel`, {}), 404);
    await expectRefusedWithoutChange(() => tenant.call('POST', `/v1/customers/${other.customerId}/contacts`, { name: 'Spy' }), 404);
    const borrowed = await expectRefusedWithoutChange(
      () => tenant.call('POST', '/v1/documents', { kind: 'quote', customerId: other.customerId, assigneeId: other.userId, lines }),
      422,
    );
    expect(pathsOf(borrowed)).toEqual(['assigneeId', 'customerId']);
    const listed = await tenant.call('GET', `/v1/documents?customerId=${other.customerId}`);
    expect(listed.body).toEqual({ data: [], nextCursor: null });
    expect((await other.call('GET', `/v1/documents/${theirs.body.id}`)).body.status).toBe('draft');
  });

  it('lists newest first with keyset pagination and filters', async () => {
    const lister = await seedTenant(stack, 'Lister');
    const secondCustomer = await lister.call('POST', '/v1/customers', { name: 'Second' });
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const customerId = index % 2 === 0 ? lister.customerId : secondCustomer.body.id;
      const created = await lister.call('POST', '/v1/documents', { kind: index === 4 ? 'invoice' : 'quote', customerId, lines });
      ids.push(created.body.id);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiAnswer = await lister.call('GET', `/v1/documents?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((document: { id: string }) => document.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const quotesOfFirst = await lister.call('GET', `/v1/documents?kind=quote&customerId=${lister.customerId}`);
    expect(quotesOfFirst.body.data.map((document: { id: string }) => document.id)).toEqual([ids[2], ids[0]]);
    expect(quotesOfFirst.body.data[0]).toMatchObject({ viewCount: 0, status: 'draft', totals: { gross: 647 } });
    const drafts = await lister.call('GET', '/v1/documents?status=draft&kind=invoice');
    expect(drafts.body.data.map((document: { id: string }) => document.id)).toEqual([ids[4]]);

    const badQuery = await lister.call('GET', '/v1/documents?limit=0&kind=memo&cursor=garbage');
    expect(badQuery.status).toBe(400);
    expect(pathsOf(badQuery.body)).toEqual(['query.kind', 'query.limit']);
    const badCursor = await lister.call('GET', '/v1/documents?cursor=garbage');
    expect(badCursor.status).toBe(400);
    expect(pathsOf(badCursor.body)).toEqual(['query.cursor']);
  });

  it('serves the PDF to the seller and keeps the preview in the trail without counting it as a download', async () => {
    const created = await tenant.call('POST', '/v1/documents', { kind: 'quote', customerId: tenant.customerId, contactId: tenant.contactId, lines });
    const pdf = await fetch(`${stack.baseUrl}/v1/documents/${created.body.id}/pdf`, { headers: { authorization: `Bearer ${tenant.apiKey}` } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    const events = await tenant.call('GET', `/v1/documents/${created.body.id}/events`);
    expect(events.body).toEqual([{ seq: 1, type: 'downloaded', at: expect.any(String), actor: 'seller', data: { by: 'seller', counted: false } }]);
    const read = await tenant.call('GET', `/v1/documents/${created.body.id}`);
    expect(read.body).toMatchObject({ downloadCount: 0, viewCount: 0 });
  });

  it('cancels a draft that was never sent, once', async () => {
    const created = await tenant.call('POST', '/v1/documents', { kind: 'quote', customerId: tenant.customerId, lines });
    const cancelled = await tenant.call('POST', `/v1/documents/${created.body.id}/cancel`, { reason: 'Le client a annulé' });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toEqual({ status: 'cancelled' });
    expect((await tenant.call('GET', `/v1/documents/${created.body.id}`)).body.status).toBe('cancelled');
    const events = await tenant.call('GET', `/v1/documents/${created.body.id}/events`);
    expect(events.body).toEqual([{ seq: 1, type: 'cancelled', at: expect.any(String), actor: 'seller', data: { reason: 'Le client a annulé' } }]);

    // Another cancel (another body: another decision) is refused by the draft's workflow, now over, as for a sent quote.
    const again = await expectRefusedWithoutChange(() => tenant.call('POST', `/v1/documents/${created.body.id}/cancel`, {}), 409);
    expect(again.detail).toMatch(/is cancelled/);
    await expectRefusedWithoutChange(() => tenant.call('POST', `/v1/documents/${created.body.id}/send`, {}), 409);
  });

  it('refuses to remind a quote that was never sent', async () => {
    const created = await tenant.call('POST', '/v1/documents', { kind: 'quote', customerId: tenant.customerId, lines });
    const problem = await expectRefusedWithoutChange(() => tenant.call('POST', `/v1/documents/${created.body.id}/remind`), 409);
    expect(problem.detail).toMatch(/not been sent/);
  });
});
