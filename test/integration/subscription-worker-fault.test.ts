/**
 * The worker dies the hard way (SIGKILL) between a subscription's charge and its record: the
 * provider took the money, the worker never heard the answer, the payment row says pending.
 * A fault-injecting relay in front of the Stripe stand-in (an outside service) lets the charge
 * through, then kills the worker before passing the answer back. Once a new worker is up, the
 * activity is retried after its timeout, asks again with the same idempotency key, and gets the
 * first answer: the card is charged once, and the subscription ends active with its payment.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { startPaymentStack, type PaymentStack } from '../support/payments';
import { killHard, WorkerProcesses } from '../support/worker-process';
import { backOffice, type BackOffice } from './portal-fixtures';

let payments: PaymentStack;
let office: BackOffice;
const workers = new WorkerProcesses();

/** Relays to the stand-in; when armed, the next charge is made, then `onCharged` runs and the answer is never delivered. */
function faultyRelay(target: string, onCharged: () => Promise<void>) {
  let armed = true;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const answer = await fetch(`${target}${request.url ?? '/'}`, {
          method: request.method ?? 'GET',
          headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)).map(([name, value]) => [name, String(value)])),
          ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
        });
        const body = Buffer.from(await answer.arrayBuffer());
        if (armed && request.method === 'POST' && request.url?.startsWith('/v1/payment_intents')) {
          armed = false;
          await onCharged();
          request.socket.destroy();
          return;
        }
        response.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
        response.end(body);
      })();
    });
  });
  return new Promise<{ url: string; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

beforeAll(async () => {
  payments = await startPaymentStack({ inProcessWorker: false });
  office = await backOffice(payments.stack);
}, 120_000);
afterAll(async () => {
  await workers.stopAll();
  await payments?.close();
});

it('charges the card once and ends active when the worker dies between charge and record', async () => {
  const customer = await succeeded(office.api.POST('/v1/customers', { body: { name: 'Blackbell Studio' } }));
  const savedCard = await office.api.PATCH('/v1/customers/{id}', { params: { path: { id: customer.id } }, body: { savedCard: { paymentMethodId: 'pm_card_visa' } } });
  expect(savedCard.response.status).toBe(200);
  const chargesBefore = (await payments.charges()).count;

  let first: ChildProcess | undefined;
  let killed = false;
  const relay = await faultyRelay(payments.stripe.url, async () => {
    if (first) await killHard(first);
    killed = true;
  });
  const throughRelay = { ...payments.stack, env: { ...payments.stack.env, STRIPE_API_URL: relay.url } };
  try {
    first = workers.start(throughRelay, 'first');
    const { id } = await succeeded(
      office.api.POST('/v1/subscriptions', { body: { customerId: customer.id, plan: { name: 'Basic', amount: 1500, currency: 'EUR', period: 'P1M' } } }),
      201,
    );
    const subscriptionOf = () => succeeded(office.api.GET('/v1/subscriptions/{id}', { params: { path: { id } } }));

    await eventually(async () => (killed ? true : undefined), { what: 'the charge made and the worker killed' });
    expect((await payments.charges()).count - chargesBefore).toBe(1);
    const pending = await subscriptionOf();
    expect(pending.payments.map((payment) => payment.status)).toEqual(['pending']);

    workers.start(throughRelay, 'second');
    const settled = await eventually(
      async () => {
        const subscription = await subscriptionOf();
        // The charge writes its row, the workflow its state just after.
        return subscription.payments[0]?.status === 'succeeded' && subscription.currentPeriod === 1 ? subscription : undefined;
      },
      { what: 'the retried charge recorded', timeoutMs: 120_000 },
    );
    expect(settled).toMatchObject({ status: 'active', currentPeriod: 1 });
    expect(settled.payments).toEqual([expect.objectContaining({ period: 1, attempt: 1, status: 'succeeded', paymentIntentId: expect.stringMatching(/^pi_/) })]);
    expect((await payments.charges()).count - chargesBefore).toBe(1);

    expect((await office.api.POST('/v1/subscriptions/{id}/cancel', { params: { path: { id } }, body: {} })).response.status).toBe(200);
  } finally {
    await relay.close();
  }
}, 180_000);
