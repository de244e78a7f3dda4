/**
 * Currencies are ISO 4217 codes: everywhere the API takes one, a well-formed code ISO does not
 * list is 422 naming the field (not a 201 that stores it). Minor units are ISO's own
 * (test/unit/domain/money.test.ts).
 */
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: GreenlightClient;

beforeAll(async () => {
  stack = await startStack();
  api = greenlightClient(stack.baseUrl, (await stack.createTenant()).apiKey);
});

afterAll(async () => {
  await stack?.close();
});

function expectUnknownCurrency(answer: { response: Response; error?: { detail?: string; errors?: { path: string; message: string }[] } }, path: string): void {
  expect(answer.response.status).toBe(422);
  expect(answer.error?.errors).toEqual([{ path, message: 'ZZZ is not an ISO 4217 currency code' }]);
  expect(answer.error?.detail).toContain(path);
}

const plan = { name: 'Entretien', amount: 4900, period: 'monthly', currency: 'ZZZ' } as const;

test('a tenant in an unknown currency is refused, and none is made', async () => {
  const operator = greenlightClient(stack.baseUrl, stack.adminToken);
  const name = `Unknown currency ${Date.now()}`;
  expectUnknownCurrency(await operator.POST('/v1/tenants', { body: { name, currency: 'ZZZ' } }), 'currency');
  expect(await stack.prisma.tenant.count({ where: { name } })).toBe(0);
});

test('a document, a request and a subscription in an unknown currency are refused', async () => {
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Atelier Zéro' } }));
  expectUnknownCurrency(await api.POST('/v1/documents', { body: { kind: 'quote', customerId: customer.id, currency: 'ZZZ' } }), 'currency');
  expectUnknownCurrency(await api.POST('/v1/requests', { body: { customerId: customer.id, product: 'Contrat', plan } }), 'plan.currency');
  expectUnknownCurrency(await api.POST('/v1/subscriptions', { body: { customerId: customer.id, plan } }), 'plan.currency');
  expectUnknownCurrency(await api.POST('/v1/subscriptions/{id}/plan', { params: { path: { id: 'sub_missing' } }, body: { plan } }), 'plan.currency');
  const documents = await api.GET('/v1/documents', { params: { query: { customerId: customer.id } } });
  expect(documents.data?.data).toEqual([]);
});

test('a malformed code stays a 400; a real one is taken as it is', async () => {
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Boutique Dakar' } }));
  expect((await api.POST('/v1/documents', { body: { kind: 'quote', customerId: customer.id, currency: 'eur' } })).response.status).toBe(400);
  const quote = await succeeded(
    api.POST('/v1/documents', {
      body: {
        kind: 'quote',
        customerId: customer.id,
        currency: 'XOF',
        lines: [{ description: 'Affiches', quantity: 1, unitPrice: 1500 }],
      },
    }),
  );
  expect(quote.totals).toMatchObject({ gross: 1500, currency: 'XOF' });
});
