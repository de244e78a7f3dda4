/**
 * The back office moving a quote through its workflow over HTTP: send (202, settings
 * applied, email in the outbox), a second send refused, remind, cancel.
 */
import { defaultValidUntil } from '../../domain/validity';
import { documentEvents, succeeded } from '../support/api';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../support/eventually';
import { recipientsOf } from '../support/outbox';
import { updatesAccepted } from '../support/workflow-history';
import { PROBLEM_JSON, STACK_START_TIMEOUT_MS, seedTenant, tenantFootprint } from './api-http';

let stack: Stack;
let tenant: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  stack = await startStack();
  tenant = await seedTenant(stack);
  await succeeded(tenant.api.PATCH('/v1/settings', { body: { quoteValidity: 'P10D', reminderAfter: 'P2D', maxReminders: 2 } }), 200);
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

async function draftQuote(): Promise<string> {
  const body = { kind: 'quote' as const, customerId: tenant.customerId, contactId: tenant.contactId, assigneeId: tenant.userId, lines: [{ description: 'Affiches A2', quantity: 20, unitPrice: 450, taxRate: 20 }] };
  return (await succeeded(tenant.api.POST('/v1/documents', { body }), 201)).id;
}

const theQuote = (id: string) => ({ params: { path: { id } } });
const statusOf = async (id: string) => (await succeeded(tenant.api.GET('/v1/documents/{id}', theQuote(id)))).status;
const eventsOf = (id: string) => documentEvents(tenant.api, id);
const send = (id: string, body = {}) => tenant.api.POST('/v1/documents/{id}/send', { ...theQuote(id), body });
const remind = (id: string, decisionId?: string) => tenant.api.POST('/v1/documents/{id}/remind', { params: { path: { id }, header: decisionId ? { 'Idempotency-Key': decisionId } : {} } });
const cancel = (id: string, reason: string) => tenant.api.POST('/v1/documents/{id}/cancel', { ...theQuote(id), body: { reason } });

it('sends a quote: 202, validity from the settings, the email with its link, and a second send refused', async () => {
  const documentId = await draftQuote();
  const before = Date.now();
  const sent = await succeeded(send(documentId, { message: 'Bonne lecture !' }), 202);
  const after = Date.now();
  expect(sent.status).toBe('sent');

  // Ten days, to the end of the last one (no zone set: UTC); the day may turn between the two readings of the clock.
  const validUntil = new Date(sent.validUntil ?? '').getTime();
  expect([defaultValidUntil(before, 10 * 86_400_000, 'UTC'), defaultValidUntil(after, 10 * 86_400_000, 'UTC')]).toContain(validUntil);

  await eventually(async () => ((await statusOf(documentId)) === 'sent' ? true : undefined), { what: 'the quote to be sent' });
  const email = await eventually(
    async () => (await stack.readOutbox()).find((message) => recipientsOf(message).some((to) => to.includes('eleonore@eleonore.fr'))),
    { what: 'the quote email' },
  );
  expect(email.links.some((link) => link.startsWith(`${stack.config.publicUrl}/d/`))).toBe(true);

  const listed = (await fetch(`${stack.baseUrl}/dev/outbox`, { headers: { accept: 'application/json' } }).then((response) => response.json())) as {
    data: { id: string }[];
  };
  expect(listed.data.find((message) => message.id === email.id)).toMatchObject({ subject: email.subject, links: email.links });

  expect((await eventsOf(documentId)).map((event) => event.type)).toContain('sent');

  const footprint = await tenantFootprint(stack.prisma, tenant.tenantId);
  const again = await send(documentId);
  expect(again.response.status).toBe(409);
  expect(again.response.headers.get('content-type')).toMatch(PROBLEM_JSON);
  expect(again.error?.detail).toMatch(/remind/);
  expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(footprint);
});

it('reminds a sent quote on demand, taking a retried request once', async () => {
  const documentId = await draftQuote();
  await succeeded(send(documentId), 202);
  await eventually(async () => ((await statusOf(documentId)) === 'sent' ? true : undefined), { what: 'the quote to be sent' });

  const reminded = await remind(documentId, `remind-${documentId}`);
  expect(reminded.response.status).toBe(202);
  expect(reminded.data).toMatchObject({ status: 'sent', remindersSent: 1 });
  const replay = await remind(documentId, `remind-${documentId}`);
  expect(replay.data).toEqual(reminded.data);

  await eventually(async () => ((await eventsOf(documentId)).some((event) => event.type === 'reminded') ? true : undefined), { what: 'the reminder in the trail' });
  expect((await eventsOf(documentId)).filter((event) => event.type === 'reminded')).toHaveLength(1);
});

it('takes a retried remind and cancel without Idempotency-Key once: the decision id is derived from the request', async () => {
  const documentId = await draftQuote();
  await succeeded(send(documentId), 202);
  await eventually(async () => ((await statusOf(documentId)) === 'sent' ? true : undefined), { what: 'the quote to be sent' });
  const typesOf = async () => (await eventsOf(documentId)).map((event) => event.type);

  const reminded = await remind(documentId);
  const remindedAgain = await remind(documentId);
  expect([reminded.response.status, remindedAgain.response.status]).toEqual([202, 202]);
  expect(reminded.data).toMatchObject({ status: 'sent', remindersSent: 1 });
  expect(remindedAgain.data).toEqual(reminded.data);

  const cancelled = await cancel(documentId, 'Doublon');
  const cancelledAgain = await cancel(documentId, 'Doublon');
  // Before, the retry was a second decision: 409 "The quote is cancelled".
  expect([cancelled.response.status, cancelledAgain.response.status]).toEqual([202, 202]);
  expect(cancelledAgain.data).toEqual(cancelled.data);

  await eventually(async () => ((await typesOf()).includes('cancelled') ? true : undefined), { what: 'the cancellation in the trail' });
  const types = await typesOf();
  expect(types.filter((type) => type === 'reminded')).toHaveLength(1);
  expect(types.filter((type) => type === 'cancelled')).toHaveLength(1);
});

it('cancels a sent quote through its workflow; a decision after that is refused with the reason', async () => {
  const documentId = await draftQuote();
  await succeeded(send(documentId), 202);
  await eventually(async () => ((await statusOf(documentId)) === 'sent' ? true : undefined), { what: 'the quote to be sent' });

  const cancelled = await cancel(documentId, 'Commande passée par téléphone');
  expect(cancelled.response.status).toBe(202);
  expect(cancelled.data?.status).toBe('cancelled');
  await eventually(async () => ((await statusOf(documentId)) === 'cancelled' ? true : undefined), { what: 'the read model to say cancelled' });

  const remindAfter = await remind(documentId);
  expect(remindAfter.response.status).toBe(409);
  expect(remindAfter.error?.detail).toMatch(/cancelled/);
});

it("cancels a draft through its own workflow: Temporal shows it, the trail has one cancelled, a retry answers the same, and the draft can no longer be sent", async () => {
  const documentId = await draftQuote();
  const cancelled = await cancel(documentId, 'Client parti');
  expect(cancelled.response.status).toBe(202);
  expect(cancelled.data?.status).toBe('cancelled');
  const retried = await cancel(documentId, 'Client parti');
  expect(retried.response.status).toBe(202);
  expect(retried.data).toEqual(cancelled.data);

  const handle = stack.client.workflow.getHandle(`quote-${documentId}`);
  expect((await handle.result()).status).toBe('cancelled');
  const described = await handle.describe();
  expect(described.status.name).toBe('COMPLETED');
  expect(described.memo).toMatchObject({ number: expect.any(String) });
  expect(await updatesAccepted(stack.client, `quote-${documentId}`)).toEqual(['cancel']);

  const events = await eventsOf(documentId);
  expect(events).toEqual([expect.objectContaining({ type: 'cancelled', actor: 'seller', data: { reason: 'Client parti' } })]);
  expect(await statusOf(documentId)).toBe('cancelled');
  // Nothing was sent (the trail says only cancelled), and nothing will be.
  expect((await send(documentId)).response.status).toBe(409);
});
