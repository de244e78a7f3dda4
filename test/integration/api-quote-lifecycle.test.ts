/**
 * The back office moving a quote through its workflow over HTTP: send (202, settings
 * applied, email in the outbox), a second send refused, remind, cancel.
 */
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
  await tenant.call('PATCH', '/v1/settings', { quoteValidity: 'P10D', reminderAfter: 'P2D', maxReminders: 2 });
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

async function draftQuote(): Promise<string> {
  const created = await tenant.call('POST', '/v1/documents', {
    kind: 'quote',
    customerId: tenant.customerId,
    contactId: tenant.contactId,
    assigneeId: tenant.userId,
    lines: [{ description: 'Affiches A2', quantity: 20, unitPrice: 450, taxRate: 20 }],
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function statusOf(documentId: string): Promise<string> {
  return (await tenant.call('GET', `/v1/documents/${documentId}`)).body.status;
}

it('sends a quote: 202, validity from the settings, the email with its link, and a second send refused', async () => {
  const documentId = await draftQuote();
  const before = Date.now();
  const sent = await tenant.call('POST', `/v1/documents/${documentId}/send`, { message: 'Bonne lecture !' });
  expect(sent.status).toBe(202);
  expect(sent.body.status).toBe('sent');

  const validUntil = new Date(sent.body.validUntil).getTime();
  expect(validUntil - before).toBeGreaterThanOrEqual(10 * 86_400_000 - 60_000);
  expect(validUntil - before).toBeLessThanOrEqual(10 * 86_400_000 + 60_000);

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

  const events = await tenant.call('GET', `/v1/documents/${documentId}/events`);
  expect(events.body.map((event: { type: string }) => event.type)).toContain('sent');

  const footprint = await tenantFootprint(stack.prisma, tenant.tenantId);
  const again = await tenant.call('POST', `/v1/documents/${documentId}/send`, {});
  expect(again.status).toBe(409);
  expect(again.contentType).toMatch(PROBLEM_JSON);
  expect(again.body.detail).toMatch(/remind/);
  expect(await tenantFootprint(stack.prisma, tenant.tenantId)).toEqual(footprint);
});

it('reminds a sent quote on demand, taking a retried request once', async () => {
  const documentId = await draftQuote();
  await tenant.call('POST', `/v1/documents/${documentId}/send`, {});
  await eventually(async () => ((await statusOf(documentId)) === 'sent' ? true : undefined), { what: 'the quote to be sent' });

  const reminded = await tenant.call('POST', `/v1/documents/${documentId}/remind`, undefined, { idempotencyKey: `remind-${documentId}` });
  expect(reminded.status).toBe(202);
  expect(reminded.body).toMatchObject({ status: 'sent', remindersSent: 1 });
  const replay = await tenant.call('POST', `/v1/documents/${documentId}/remind`, undefined, { idempotencyKey: `remind-${documentId}` });
  expect(replay.body).toEqual(reminded.body);

  await eventually(
    async () => {
      const events = await tenant.call('GET', `/v1/documents/${documentId}/events`);
      return events.body.some((event: { type: string }) => event.type === 'reminded') ? true : undefined;
    },
    { what: 'the reminder in the trail' },
  );
  const events = await tenant.call('GET', `/v1/documents/${documentId}/events`);
  expect(events.body.filter((event: { type: string }) => event.type === 'reminded')).toHaveLength(1);
});

it('takes a retried remind and cancel without Idempotency-Key once: the decision id is derived from the request', async () => {
  const documentId = await draftQuote();
  await tenant.call('POST', `/v1/documents/${documentId}/send`, {});
  await eventually(async () => ((await statusOf(documentId)) === 'sent' ? true : undefined), { what: 'the quote to be sent' });
  const typesOf = async () => (await tenant.call('GET', `/v1/documents/${documentId}/events`)).body.map((event: { type: string }) => event.type) as string[];

  const reminded = await tenant.call('POST', `/v1/documents/${documentId}/remind`);
  const remindedAgain = await tenant.call('POST', `/v1/documents/${documentId}/remind`);
  expect([reminded.status, remindedAgain.status]).toEqual([202, 202]);
  expect(reminded.body).toMatchObject({ status: 'sent', remindersSent: 1 });
  expect(remindedAgain.body).toEqual(reminded.body);

  const cancelled = await tenant.call('POST', `/v1/documents/${documentId}/cancel`, { reason: 'Doublon' });
  const cancelledAgain = await tenant.call('POST', `/v1/documents/${documentId}/cancel`, { reason: 'Doublon' });
  // Before, the retry was a second decision: 409 "The quote is cancelled".
  expect([cancelled.status, cancelledAgain.status]).toEqual([202, 202]);
  expect(cancelledAgain.body).toEqual(cancelled.body);

  await eventually(async () => ((await typesOf()).includes('cancelled') ? true : undefined), { what: 'the cancellation in the trail' });
  const types = await typesOf();
  expect(types.filter((type) => type === 'reminded')).toHaveLength(1);
  expect(types.filter((type) => type === 'cancelled')).toHaveLength(1);
});

it('cancels a sent quote through its workflow; a decision after that is refused with the reason', async () => {
  const documentId = await draftQuote();
  await tenant.call('POST', `/v1/documents/${documentId}/send`, {});
  await eventually(async () => ((await statusOf(documentId)) === 'sent' ? true : undefined), { what: 'the quote to be sent' });

  const cancelled = await tenant.call('POST', `/v1/documents/${documentId}/cancel`, { reason: 'Commande passée par téléphone' });
  expect(cancelled.status).toBe(202);
  expect(cancelled.body.status).toBe('cancelled');
  await eventually(async () => ((await statusOf(documentId)) === 'cancelled' ? true : undefined), { what: 'the read model to say cancelled' });

  const remindAfter = await tenant.call('POST', `/v1/documents/${documentId}/remind`);
  expect(remindAfter.status).toBe(409);
  expect(remindAfter.body.detail).toMatch(/cancelled/);
});

it("cancels a draft through its own workflow: Temporal shows it, the trail has one cancelled, a retry answers the same, and the draft can no longer be sent", async () => {
  const documentId = await draftQuote();
  const cancelled = await tenant.call('POST', `/v1/documents/${documentId}/cancel`, { reason: 'Client parti' });
  expect(cancelled.status).toBe(202);
  expect(cancelled.body.status).toBe('cancelled');
  const retried = await tenant.call('POST', `/v1/documents/${documentId}/cancel`, { reason: 'Client parti' });
  expect(retried.status).toBe(202);
  expect(retried.body).toEqual(cancelled.body);

  const handle = stack.client.workflow.getHandle(`quote-${documentId}`);
  expect((await handle.result()).status).toBe('cancelled');
  const described = await handle.describe();
  expect(described.status.name).toBe('COMPLETED');
  expect(described.memo).toMatchObject({ number: expect.any(String) });
  expect(await updatesAccepted(stack.client, `quote-${documentId}`)).toEqual(['cancel']);

  const events = (await tenant.call('GET', `/v1/documents/${documentId}/events`)).body as { type: string; actor: string; data: Record<string, unknown> }[];
  expect(events).toEqual([expect.objectContaining({ type: 'cancelled', actor: 'seller', data: { reason: 'Client parti' } })]);
  expect(await statusOf(documentId)).toBe('cancelled');
  // Nothing was sent (the trail says only cancelled), and nothing will be.
  expect((await tenant.call('POST', `/v1/documents/${documentId}/send`, {})).status).toBe(409);
});
