/**
 * Webhooks out, end to end: a real receiver on loopback (the tenant allows private URLs,
 * as in development), real workflows, real retries — one second apart here, through
 * WEBHOOK_RETRY_DELAYS, instead of three days.
 */
import { webhookPayloadSchema } from '../../api/backoffice/webhooks';
import { recordAuditEvent } from '../../services/db/audit';
import { factWorkflowId, type FactInput, type factWorkflow } from '../../workflows/fact';
import { saveClosedHistory } from '../replay/record';
import { eventually } from '../support/eventually';
import { abandonClaim } from '../support/idempotency';
import { greenlightClient, succeeded, type components, type GreenlightClient } from '../support/api';
import { createQuoteScenario, emailTo, portalLinkIn } from '../support/quote-scenario';
import { startStack, type Stack } from '../support/stack';
import { startReceiver, verifies, type Received } from '../support/webhook-receiver';

process.env.WEBHOOK_RETRY_DELAYS = 'PT1S,PT1S,PT1S';

let stack: Stack;
let api: GreenlightClient;

beforeAll(async () => {
  stack = await startStack();
  const tenant = await stack.createTenant();
  api = greenlightClient(stack.baseUrl, tenant.apiKey);
  const settings = await api.PATCH('/v1/settings', { body: { allowPrivateWebhookUrls: true } });
  expect(settings.response.status).toBe(200);
});

afterAll(async () => {
  await stack?.close();
});

async function deliveriesOf(endpointId: string): Promise<components['schemas']['WebhookDelivery'][]> {
  return (await succeeded(api.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: endpointId } } }), 200)).data;
}

const sendQuote = (documentId: string) => api.POST('/v1/documents/{id}/send', { params: { path: { id: documentId } }, body: {} });

test('an event reaches its endpoint through two failures, signed, once, with every attempt listed', async () => {
  const receiver = await startReceiver([500, 503]);
  try {
    const endpoint = await succeeded(api.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['document.sent'] } }));
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/);

    const quote = await createQuoteScenario(api);
    expect((await sendQuote(quote.documentId)).response.status).toBe(202);

    const [delivery] = await eventually(
      async () => {
        const deliveries = await deliveriesOf(endpoint.id);
        return deliveries[0]?.status === 'delivered' ? deliveries : undefined;
      },
      { what: 'the delivery of document.sent' },
    );
    // Its workflow is over: nothing can send it again.
    expect(await stack.client.workflow.getHandle(`webhook-${delivery?.id}`).result()).toBe('delivered');

    expect(delivery).toMatchObject({ type: 'document.sent', status: 'delivered' });
    expect(delivery?.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 503, 200]);
    expect(receiver.received.map((request) => request.answeredWith)).toEqual([500, 503, 200]);

    // The same message three times: same webhook-id and body, each signed for its own timestamp.
    expect(new Set(receiver.received.map((request) => request.headers['webhook-id']))).toEqual(new Set([delivery?.id]));
    expect(new Set(receiver.received.map((request) => request.body)).size).toBe(1);
    for (const request of receiver.received) expect(verifies(endpoint.secret, request)).toBe(true);
    expect(verifies('whsec_' + Buffer.alloc(32, 7).toString('base64'), receiver.received[0] as Received)).toBe(false);

    const body = JSON.parse(receiver.received[0]?.body ?? '{}') as {
      type: string;
      timestamp: string;
      createdAt: string;
      data: { document: { id: string; status: string }; event: { id: string; type: string; at: string } };
    };
    expect(body.type).toBe('document.sent');
    // The standard's `timestamp`, and `createdAt` beside it for receivers written against the previous release.
    expect(body.timestamp).toBe(body.data.event.at);
    expect(body.createdAt).toBe(body.timestamp);
    // The body is what the document's `webhooks` section says it is.
    expect(webhookPayloadSchema.safeParse(body).error).toBeUndefined();
    expect(body.data.document).toMatchObject({ id: quote.documentId, status: 'sent' });
    expect(body.data.event).toMatchObject({ id: delivery?.eventId, type: 'sent' });

    // Delivered is final: a replay by hand is refused, and the receiver heard it once with success.
    expect((await api.POST('/v1/webhook-deliveries/{id}/replay', { params: { path: { id: delivery?.id ?? '' } } })).response.status).toBe(409);
    expect(receiver.received.filter((request) => request.answeredWith === 200)).toHaveLength(1);
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(stack.client.workflow, `webhook-${delivery?.id}`, 'webhook-delivery-retried');
  } finally {
    await receiver.close();
  }
});

test('events recorded outside a running workflow are delivered by whoever recorded them, also after a crash between commit and dispatch', async () => {
  const receiver = await startReceiver();
  try {
    const endpoint = await succeeded(api.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['document.message', 'document.created'] } }));
    // A draft has no workflow: its duplicate's `created` and a message on it are facts of their own.
    const quote = await createQuoteScenario(api);
    const copy = await succeeded(api.POST('/v1/documents/{id}/duplicate', { params: { path: { id: quote.documentId } } }));
    await succeeded(api.POST('/v1/documents/{id}/messages', { params: { path: { id: quote.documentId } }, body: { body: 'Checked the sizes.', internal: true } }), 201);

    // A recorder that died after its commit: the event and its delivery are there, nothing started.
    const { tenantId } = await stack.prisma.document.findUniqueOrThrow({ where: { id: quote.documentId } });
    const fact: FactInput = { tenantId, documentId: quote.documentId, dedupeKey: `test:crashed:${quote.documentId}`, type: 'message', at: Date.now(), actor: 'seller' };
    const { event } = await recordAuditEvent(stack.prisma, { ...fact, at: new Date(fact.at) });
    expect(await stack.prisma.webhookDelivery.findMany({ where: { auditEventId: event.id } })).toEqual([expect.objectContaining({ dispatchedAt: null })]);
    // Its retry finds the event recorded and starts the delivery still pending.
    const retried = await stack.client.workflow.execute<typeof factWorkflow>('factWorkflow', { taskQueue: stack.taskQueue, workflowId: factWorkflowId(fact.dedupeKey), args: [fact] });
    expect(retried).toEqual({ eventId: event.id, created: false });

    const deliveries = await eventually(
      async () => {
        const all = await deliveriesOf(endpoint.id);
        return all.length === 3 && all.every((delivery) => delivery.status === 'delivered') ? all : undefined;
      },
      { what: 'the three deliveries delivered' },
    );
    expect(deliveries.map((delivery) => delivery.type).sort()).toEqual(['document.created', 'document.message', 'document.message']);
    expect(deliveries.map((delivery) => delivery.eventId)).toContain(event.id);
    const createdEvent = (await stack.prisma.auditEvent.findFirstOrThrow({ where: { documentId: copy.id, type: 'created' } })).id;
    expect(deliveries.map((delivery) => delivery.eventId)).toContain(createdEvent);
    expect(receiver.received).toHaveLength(3);
  } finally {
    await receiver.close();
  }
});

test("a portal page's open, which the API records itself, reaches an endpoint that wants it", async () => {
  const receiver = await startReceiver();
  try {
    const endpoint = await succeeded(api.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['document.opened'] } }));
    const quote = await createQuoteScenario(api);
    await sendQuote(quote.documentId);
    const link = portalLinkIn(await emailTo(stack.readOutbox, quote.contactEmail), stack.baseUrl);
    expect((await fetch(link, { headers: { 'user-agent': 'Mozilla/5.0 (webhook test) Firefox/140.0' } })).status).toBe(200);

    const [delivery] = await eventually(
      async () => {
        const deliveries = await deliveriesOf(endpoint.id);
        return deliveries[0]?.status === 'delivered' ? deliveries : undefined;
      },
      { what: 'the delivery of document.opened' },
    );
    const opened = await stack.prisma.auditEvent.findFirstOrThrow({ where: { documentId: quote.documentId, type: 'opened' } });
    expect(delivery).toMatchObject({ type: 'document.opened', eventId: opened.id });
    const body = JSON.parse(receiver.received[0]?.body ?? '{}') as { data: { document: { openCount: number }; event: { seq: number; type: string } } };
    expect(body.data.document.openCount).toBe(1);
    expect(body.data.event).toMatchObject({ type: 'opened', seq: opened.seq });
  } finally {
    await receiver.close();
  }
});

test('410 Gone disables the endpoint; a replay by hand re-enables it and delivers', async () => {
  const receiver = await startReceiver([410]);
  try {
    const endpoint = await succeeded(api.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['document.*'] } }));
    const quote = await createQuoteScenario(api);
    await sendQuote(quote.documentId);

    const disabled = await eventually(
      async () => {
        const endpoints = await succeeded(api.GET('/v1/webhook-endpoints'));
        return endpoints.data.find((candidate) => candidate.id === endpoint.id && candidate.disabledAt);
      },
      { what: 'the endpoint disabled' },
    );
    expect(disabled.disabledReason).toContain('410');
    const [failed] = await eventually(
      async () => {
        const deliveries = await deliveriesOf(endpoint.id);
        const gone = deliveries.filter((delivery) => delivery.status === 'failed' && delivery.attempts[0]?.statusCode === 410);
        return gone.length ? gone : undefined;
      },
      { what: 'the failed delivery' },
    );
    expect(failed?.attempts.map((attempt) => attempt.statusCode)).toEqual([410]);
    expect(receiver.received).toHaveLength(1);

    const replay = await api.POST('/v1/webhook-deliveries/{id}/replay', { params: { path: { id: failed?.id ?? '' } } });
    expect(replay.response.status).toBe(202);
    expect(await stack.client.workflow.getHandle(`webhook-${failed?.id}`).result()).toBe('delivered');
    const replayed = (await deliveriesOf(endpoint.id)).find((delivery) => delivery.id === failed?.id);
    expect(replayed?.attempts.map((attempt) => [attempt.number, attempt.statusCode])).toEqual([
      [1, 410],
      [2, 200],
    ]);
  } finally {
    await receiver.close();
  }
});

test('a rotated secret: both secrets verify a delivery during the overlap, only the new one after it', async () => {
  const receiver = await startReceiver();
  try {
    const endpoint = await succeeded(api.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['document.sent'] } }));
    const rotated = await succeeded(api.POST('/v1/webhook-endpoints/{id}/rotate-secret', { params: { path: { id: endpoint.id } } }), 200);
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    const overlapHours = (Date.parse(rotated.previousSecretExpiresAt) - Date.now()) / 3_600_000;
    expect(overlapHours).toBeGreaterThan(23.9);
    expect(overlapHours).toBeLessThanOrEqual(24);

    const receivedAfterSend = async (count: number) => {
      const quote = await createQuoteScenario(api);
      expect((await sendQuote(quote.documentId)).response.status).toBe(202);
      return eventually(async () => receiver.received[count - 1], { what: `delivery ${count} at the receiver` });
    };

    const duringOverlap = await receivedAfterSend(1);
    expect(String(duringOverlap.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifies(endpoint.secret, duringOverlap)).toBe(true);
    expect(verifies(rotated.secret, duringOverlap)).toBe(true);

    // Twenty-four hours later, as the database sees it: the overlap is over.
    await stack.prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { previousSecretExpiresAt: new Date(Date.now() - 1000) } });
    const afterOverlap = await receivedAfterSend(2);
    expect(String(afterOverlap.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifies(rotated.secret, afterOverlap)).toBe(true);
    expect(verifies(endpoint.secret, afterOverlap)).toBe(false);

    expect((await api.POST('/v1/webhook-endpoints/{id}/rotate-secret', { params: { path: { id: 'whe_missing' } } })).response.status).toBe(404);
  } finally {
    await receiver.close();
  }
});

test('with an Idempotency-Key, creating an endpoint and rotating its secret replay the same secret, kept only sealed', async () => {
  const receiver = await startReceiver();
  try {
    const key = `endpoint-${Date.now()}`;
    const body: components['schemas']['CreateWebhookEndpoint'] = { url: receiver.url, events: ['document.sent'] };
    const create = { body, params: { header: { 'Idempotency-Key': key } } };
    const created = await succeeded(api.POST('/v1/webhook-endpoints', create), 201);
    const createdAgain = await api.POST('/v1/webhook-endpoints', create);
    expect(createdAgain.data).toEqual(created);

    const rotateKey = `${key}-rotate`;
    const rotate = { params: { path: { id: created.id }, header: { 'Idempotency-Key': rotateKey } } };
    const rotated = await succeeded(api.POST('/v1/webhook-endpoints/{id}/rotate-secret', rotate), 200);
    const rotatedAgain = await api.POST('/v1/webhook-endpoints/{id}/rotate-secret', rotate);
    expect(rotatedAgain.data).toEqual(rotated);

    const kept = await stack.prisma.idempotentRequest.findMany({ where: { key: { in: [key, rotateKey] } } });
    expect(kept).toHaveLength(2);
    expect(JSON.stringify(kept)).not.toContain(created.secret);
    expect(JSON.stringify(kept)).not.toContain(rotated.secret);
  } finally {
    await receiver.close();
  }
});

test('a rotation resent after its API died gives its secret anew and keeps the first secret until its overlap ends', async () => {
  const receiver = await startReceiver();
  try {
    const endpoint = await succeeded(api.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['document.sent'] } }));
    const rotate = { params: { path: { id: endpoint.id }, header: { 'Idempotency-Key': `rotate-${endpoint.id}` } } };
    const first = await succeeded(api.POST('/v1/webhook-endpoints/{id}/rotate-secret', rotate), 200);
    // Its API SIGKILLed before the answer was stored.
    await abandonClaim(stack.prisma, `rotate-${endpoint.id}`);

    const resent = await succeeded(api.POST('/v1/webhook-endpoints/{id}/rotate-secret', rotate), 200);
    expect(resent.secret).not.toBe(first.secret);
    expect(resent.previousSecretExpiresAt).toBe(first.previousSecretExpiresAt);
    const quote = await createQuoteScenario(api);
    expect((await sendQuote(quote.documentId)).response.status).toBe(202);
    const delivery = await eventually(async () => receiver.received[0], { what: 'the delivery at the receiver' });
    // Signed with the secret the receiver held before the rotation, and with the one the resend showed; the unseen one is gone.
    expect([verifies(endpoint.secret, delivery), verifies(resent.secret, delivery), verifies(first.secret, delivery)]).toEqual([true, true, false]);
  } finally {
    await receiver.close();
  }
});

describe('endpoint URLs', () => {
  let strictApi: GreenlightClient;
  let strictKey: string;

  beforeAll(async () => {
    // A tenant with the default settings: private addresses are off limits.
    const tenant = await stack.createTenant('Strict tenant');
    strictKey = tenant.apiKey;
    strictApi = greenlightClient(stack.baseUrl, strictKey);
  });

  test.each([
    ['http://127.0.0.1:9/hooks', 'loopback'],
    ['http://localhost:9/hooks', 'loopback'],
    ['http://169.254.169.254/latest/meta-data', 'link-local'],
    ['http://10.1.2.3/hooks', 'private'],
    ['http://[::1]:9/hooks', 'loopback'],
  ])('%s is refused as a %s address', async (url, reason) => {
    const answer = await strictApi.POST('/v1/webhook-endpoints', { body: { url, events: ['document.*'] } });
    expect(answer.response.status).toBe(422);
    expect(answer.error?.detail).toContain(`a ${reason} address`);
    expect(answer.error?.errors).toEqual([expect.objectContaining({ path: 'url' })]);
    expect((await strictApi.GET('/v1/webhook-endpoints')).data?.data).toEqual([]);
  });

  test('unknown event types and non-http URLs are bad input', async () => {
    // An event type the document does not list cannot be typed: this one request goes raw.
    const teleported = await fetch(`${stack.baseUrl}/v1/webhook-endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${strictKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/h', events: ['document.teleported'] }),
    });
    expect(teleported.status).toBe(400);
    expect((await strictApi.POST('/v1/webhook-endpoints', { body: { url: 'ftp://example.com/h', events: ['document.*'] } })).response.status).toBe(400);
  });
});
