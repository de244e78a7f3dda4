/**
 * The local Stripe stand-in retries a webhook its endpoint did not take (as Stripe does, there
 * over days, here over seconds): an API that answered 503 under load still hears of the payment.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startStripeStandIn, type StripeStandIn } from '../../devtools/stripe/server';
import { eventually } from '../support/eventually';

let receiver: http.Server;
let standIn: StripeStandIn;
const received: { eventId: string; status: number }[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      // The first delivery of each event finds the endpoint down.
      const eventId = (JSON.parse(body) as { id: string }).id;
      const status = received.some((delivery) => delivery.eventId === eventId) ? 200 : 503;
      received.push({ eventId, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
  standIn = await startStripeStandIn({ port: 0, webhooks: [{ url, secret: 'whsec_test' }] });
});

afterAll(async () => {
  await standIn?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

it('delivers an event again after a 503, until its endpoint takes it, and then no more', async () => {
  const created = await fetch(`${standIn.url}/v1/payment_intents`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk_test_standin', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ amount: '1200', currency: 'eur', payment_method: 'pm_card_visa', confirm: 'true', off_session: 'true' }).toString(),
  });
  expect(created.status).toBe(200);
  const taken = await eventually(async () => received.find((delivery) => delivery.status === 200), { what: 'the event taken on a retry', timeoutMs: 20_000 });
  const attempts = received.filter((delivery) => delivery.eventId === taken.eventId);
  expect(attempts.map((delivery) => delivery.status)).toEqual([503, 200]);
  // Taken: nothing more is sent for it.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(received.filter((delivery) => delivery.eventId === taken.eventId)).toHaveLength(2);
});
