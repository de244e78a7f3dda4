/**
 * Webhook URLs never reach loopback, link-local or private addresses, however the address is
 * spelt (an IPv4 address written as IPv6, carried by a NAT64 or 6to4 prefix), whatever the
 * host resolves to when the delivery connects, and whatever a receiver redirects to.
 */
import { eventually } from '../support/eventually';
import { ApiClient } from '../support/http';
import { createQuoteScenario } from '../support/quote-scenario';
import { startStack, type Stack } from '../support/stack';
import { startReceiver } from '../support/webhook-receiver';

process.env.WEBHOOK_RETRY_DELAYS = 'PT1S';

interface Attempt {
  statusCode: number | null;
  error: string | null;
}

let stack: Stack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startStack();
  // A tenant with the default settings: private addresses are off limits.
  api = new ApiClient(stack.baseUrl, (await stack.createTenant('Strict tenant')).apiKey);
});

afterAll(async () => {
  await stack?.close();
});

/** The attempts of the endpoint's one delivery, once it has failed for good. */
function failedAttempts(client: ApiClient, endpointId: string): Promise<Attempt[]> {
  return eventually(
    async () => {
      const { body } = await client.get<{ data: { status: string; attempts: Attempt[] }[] }>(`/v1/webhook-endpoints/${endpointId}/deliveries`);
      const [delivery] = body.data;
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
  const answer = await api.post<{ detail: string; errors: { path: string; message: string }[] }>('/v1/webhook-endpoints', { url, events: ['document.*'] });
  expect(answer.status).toBe(422);
  expect(answer.body.detail).toContain(`a ${reason} address`);
  expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'url' })]);
  expect((await api.get<{ data: unknown[] }>('/v1/webhook-endpoints')).body.data).toEqual([]);
});

test('a host that resolves to loopback when the delivery connects is refused, and nothing reaches it', async () => {
  const receiver = await startReceiver();
  const tenant = new ApiClient(stack.baseUrl, (await stack.createTenant('Rebinding tenant')).apiKey);
  try {
    // Registered while private addresses were allowed, then the tenant turned them off: at
    // delivery, the connection's own lookup of "localhost" finds loopback (as a rebinding
    // DNS answer would) and refuses it.
    expect((await tenant.patch('/v1/settings', { allowPrivateWebhookUrls: true })).status).toBe(200);
    const endpoint = await tenant.create<{ id: string }>('/v1/webhook-endpoints', { url: receiver.url.replace('127.0.0.1', 'localhost'), events: ['document.sent'] });
    expect((await tenant.patch('/v1/settings', { allowPrivateWebhookUrls: false })).status).toBe(200);

    const quote = await createQuoteScenario(tenant);
    expect((await tenant.post(`/v1/documents/${quote.documentId}/send`, {})).status).toBe(202);

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
  const developer = new ApiClient(stack.baseUrl, (await stack.createTenant('Developer tenant')).apiKey);
  try {
    expect((await developer.patch('/v1/settings', { allowPrivateWebhookUrls: true })).status).toBe(200);
    const endpoint = await developer.create<{ id: string }>('/v1/webhook-endpoints', { url: redirecting.url, events: ['document.sent'] });
    const quote = await createQuoteScenario(developer);
    expect((await developer.post(`/v1/documents/${quote.documentId}/send`, {})).status).toBe(202);

    const attempts = await failedAttempts(developer, endpoint.id);
    expect(attempts.map((attempt) => attempt.statusCode)).toEqual([302, 302]);
    expect(redirecting.received).toHaveLength(2);
    expect(target.received).toEqual([]);
  } finally {
    await Promise.all([target.close(), redirecting.close()]);
  }
});
