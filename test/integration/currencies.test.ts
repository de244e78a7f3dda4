/**
 * Currencies are ISO 4217 codes: everywhere the API takes one, a well-formed code ISO does not
 * list is 422 naming the field (not a 201 that stores it). Minor units are ISO's own
 * (test/unit/domain/money.test.ts).
 */
import { ApiClient } from '../support/http';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startStack();
  api = new ApiClient(stack.baseUrl, (await stack.createTenant()).apiKey);
});

afterAll(async () => {
  await stack?.close();
});

interface Problem {
  status: number;
  detail: string;
  errors: { path: string; message: string }[];
}

function expectUnknownCurrency(answer: { status: number; body: unknown }, path: string): void {
  expect(answer.status).toBe(422);
  const problem = answer.body as Problem;
  expect(problem.errors).toEqual([{ path, message: 'ZZZ is not an ISO 4217 currency code' }]);
  expect(problem.detail).toContain(path);
}

const plan = { name: 'Entretien', amount: 4900, period: 'monthly', currency: 'ZZZ' };

test('a tenant in an unknown currency is refused, and none is made', async () => {
  const operator = new ApiClient(stack.baseUrl, stack.adminToken);
  const name = `Unknown currency ${Date.now()}`;
  expectUnknownCurrency(await operator.post('/v1/tenants', { name, currency: 'ZZZ' }), 'currency');
  expect(await stack.prisma.tenant.count({ where: { name } })).toBe(0);
});

test('a document, a request and a subscription in an unknown currency are refused', async () => {
  const customer = await api.create<{ id: string }>('/v1/customers', { name: 'Atelier Zéro' });
  expectUnknownCurrency(await api.post('/v1/documents', { kind: 'quote', customerId: customer.id, currency: 'ZZZ' }), 'currency');
  expectUnknownCurrency(await api.post('/v1/requests', { customerId: customer.id, product: 'Contrat', plan }), 'plan.currency');
  expectUnknownCurrency(await api.post('/v1/subscriptions', { customerId: customer.id, plan }), 'plan.currency');
  expectUnknownCurrency(await api.post('/v1/subscriptions/sub_missing/plan', { plan }), 'plan.currency');
  const documents = await api.get<{ data: unknown[] }>(`/v1/documents?customerId=${customer.id}`);
  expect(documents.body.data).toEqual([]);
});

test('a malformed code stays a 400; a real one is taken as it is', async () => {
  const customer = await api.create<{ id: string }>('/v1/customers', { name: 'Boutique Dakar' });
  expect((await api.post('/v1/documents', { kind: 'quote', customerId: customer.id, currency: 'eur' })).status).toBe(400);
  const quote = await api.create<{ totals: { gross: number; currency: string } }>('/v1/documents', {
    kind: 'quote',
    customerId: customer.id,
    currency: 'XOF',
    lines: [{ description: 'Affiches', quantity: 1, unitPrice: 1500 }],
  });
  expect(quote.totals).toMatchObject({ gross: 1500, currency: 'XOF' });
});
