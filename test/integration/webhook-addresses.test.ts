/**
 * Webhook URLs never reach loopback, link-local or private addresses, however the address is
 * spelt (an IPv4 address written as IPv6, carried by a NAT64 or 6to4 prefix), whatever the
 * host resolves to when the delivery connects, and whatever a receiver redirects to.
 */
import { eventually } from '../support/eventually';
import { greenlightClient, succeeded, type components, type GreenlightClient } from '../support/api';
import { createQuoteScenario } from '../support/quote-scenario';
import { startStack, type Stack } from '../support/stack';
import { startReceiver } from '../support/webhook-receiver';

process.env.WEBHOOK_RETRY_DELAYS = 'PT1S';

type Attempt = components['schemas']['WebhookAttempt'];

let stack: Stack;
let api: GreenlightClient;

beforeAll(async () => {
  stack = await startStack();
  // A tenant with the default settings: private addresses are off limits.
  api = greenlightClient(stack.baseUrl, (await stack.createTenant('Strict tenant')).apiKey);
});

afterAll(async () => {
  await stack?.close();
});

/** The attempts of the endpoint's one delivery, once it has failed for good. */
function failedAttempts(client: GreenlightClient, endpointId: string): Promise<Attempt[]> {
  return eventually(
    async () => {
      const deliveries = await succeeded(client.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: endpointId } } }));
      const [delivery] = deliveries.data;
      return delivery?.status === 'failed' ? delivery.attempts : undefined;
    },
    { what: 'the failed delivery' },
  );
}

test.each([
  ['http://[::ffff:127.0.0.1]:4600/h', 'loopback'],
  ['http://[::ffff:7f00:1]:4600/h', 'loopback'],
  ['http://[0:0:0:0:0:ffff:127.0.0.1]:4600/h', 'loopback'],
  ['http://[::127.0.0.1]:4600/h', 'loopback'],
  ['http://[64:ff9b::7f00:1]:4600/h', 'loopback'],
  ['http://[2002:7f00:1::1]:4600/h', 'loopback'],
  ['http://[::ffff:169.254.169.254]/latest/meta-data', 'link-local'],
  ['http://[::ffff:10.0.0.1]/h', 'private'],
])('%s is refused at registration as a %s address', async (url, reason) => {
  const answer = await api.POST('/v1/webhook-endpoints', { body: { url, events: ['document.*'] } });
  expect(answer.response.status).toBe(422);
  expect(answer.error?.detail).toContain(`a ${reason} address`);
  expect(answer.error?.errors).toEqual([expect.objectContaining({ path: 'url' })]);
  expect((await api.GET('/v1/webhook-endpoints')).data?.data).toEqual([]);
});

test('a host that resolves to loopback when the delivery connects is refused, and nothing reaches it', async () => {
  const receiver = await startReceiver();
  const tenant = greenlightClient(stack.baseUrl, (await stack.createTenant('Rebinding tenant')).apiKey);
  try {
    // Registered while private addresses were allowed, then the tenant turned them off: at
    // delivery, the connection's own lookup of "localhost" finds loopback (as a rebinding
    // DNS answer would) and refuses it.
    expect((await tenant.PATCH('/v1/settings', { body: { allowPrivateWebhookUrls: true } })).response.status).toBe(200);
    const endpoint = await succeeded(tenant.POST('/v1/webhook-endpoints', { body: { url: receiver.url.replace('127.0.0.1', 'localhost'), events: ['document.sent'] } }));
    expect((await tenant.PATCH('/v1/settings', { body: { allowPrivateWebhookUrls: false } })).response.status).toBe(200);

    const quote = await createQuoteScenario(tenant);
    expect((await tenant.POST('/v1/documents/{id}/send', { params: { path: { id: quote.documentId } }, body: {} })).response.status).toBe(202);

    const attempts = await failedAttempts(tenant, endpoint.id);
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt.statusCode).toBeNull();
      expect(attempt.error).toMatch(/localhost resolves to .*, a loopback address/);
    }
    expect(receiver.received).toEqual([]);
  } finally {
    await receiver.close();
  }
});

test('a redirect is not followed, not even to an address the tenant may reach', async () => {
  const target = await startReceiver();
  const redirecting = await startReceiver([302, 302], { location: target.url });
  const developer = greenlightClient(stack.baseUrl, (await stack.createTenant('Developer tenant')).apiKey);
  try {
    expect((await developer.PATCH('/v1/settings', { body: { allowPrivateWebhookUrls: true } })).response.status).toBe(200);
    const endpoint = await succeeded(developer.POST('/v1/webhook-endpoints', { body: { url: redirecting.url, events: ['document.sent'] } }));
    const quote = await createQuoteScenario(developer);
    expect((await developer.POST('/v1/documents/{id}/send', { params: { path: { id: quote.documentId } }, body: {} })).response.status).toBe(202);

    const attempts = await failedAttempts(developer, endpoint.id);
    expect(attempts.map((attempt) => attempt.statusCode)).toEqual([302, 302]);
    expect(redirecting.received).toHaveLength(2);
    expect(target.received).toEqual([]);
  } finally {
    await Promise.all([target.close(), redirecting.close()]);
  }
});
