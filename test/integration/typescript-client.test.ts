/**
 * The typed client (clients/typescript) against the real stack: a back office creating a
 * customer, a quote, sending it and reading its audit trail, every call typed by the
 * document. The other tests reach it through test/support/api.ts, which builds on the same client.
 */
import { createGreenlightClient, type GreenlightClient } from '../../clients/typescript/src/index';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let greenlight: GreenlightClient;

beforeAll(async () => {
  stack = await startStack();
  const tenant = await stack.createTenant();
  greenlight = createGreenlightClient({ baseUrl: stack.baseUrl, apiKey: tenant.apiKey });
});

afterAll(async () => {
  await stack?.close();
});

test('creates a quote, sends it and reads its events through the typed client', async () => {
  const customer = await greenlight.POST('/v1/customers', { body: { name: 'Boulangerie Éclair', email: 'zoe@boulangerie-eclair.example', locale: 'fr' } });
  expect(customer.response.status).toBe(201);
  const customerId = customer.data?.id ?? '';
  const contact = await greenlight.POST('/v1/customers/{id}/contacts', {
    params: { path: { id: customerId } },
    body: { name: 'Zoé Müller', email: 'zoe@boulangerie-eclair.example' },
  });
  expect(contact.response.status).toBe(201);

  const created = await greenlight.POST('/v1/documents', {
    body: {
      kind: 'quote',
      customerId,
      contactId: contact.data?.id ?? '',
      title: 'Flyers — printemps',
      lines: [{ description: 'Flyers A5 recto-verso, 135 g', quantity: 1000, unitPrice: 9, taxRate: 20 }],
    },
  });
  expect(created.response.status).toBe(201);
  expect(created.data).toMatchObject({ kind: 'quote', status: 'draft', totals: { net: 9000, gross: 10800 } });
  const id = created.data?.id ?? '';

  const sent = await greenlight.POST('/v1/documents/{id}/send', { params: { path: { id } }, body: {} });
  expect(sent.response.status).toBe(202);
  expect(sent.data?.status).toBe('sent');

  // The workflow records the send: read the trail until it shows.
  const events = await eventually(
    async () => {
      const answer = await greenlight.GET('/v1/documents/{id}/events', { params: { path: { id } } });
      expect(answer.response.status).toBe(200);
      return answer.data?.data.some((event) => event.type === 'sent') ? answer.data.data : undefined;
    },
    { what: 'the sent event in the audit trail' },
  );
  expect(events.find((event) => event.type === 'sent')).toMatchObject({ seq: expect.any(Number), at: expect.any(String) });

  // A problem is typed too: the error side of the answer.
  const missing = await greenlight.GET('/v1/documents/{id}', { params: { path: { id: 'doc_missing' } } });
  expect(missing.response.status).toBe(404);
  expect(missing.error).toMatchObject({ status: 404, title: expect.any(String) });
});
