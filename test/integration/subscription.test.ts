/**
 * A subscription over HTTP end to end, with periods of seconds: the real API, worker and
 * Temporal, the official Stripe SDK talking to the local stand-in (which counts the money it
 * takes). Two periods charged, a plan change applied from the next period, then the card is
 * replaced by one that declines: payment_failed, retried on the schedule, inactive (cancelled)
 * after the last retry, every attempt listed. A scheduled subscription is terminated. Billed by
 * invoice, each period issues one invoice document, emailed to the customer and payable online;
 * billed by card without a saved card, it is refused at once.
 */
import { randomBytes } from 'node:crypto';
import { issueSubscriptionInvoice } from '../../activities/subscriptions/invoice';
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { recipientsOf } from '../support/outbox';
import { startPaymentStack, type PaymentStack } from '../support/payments';
import { createSubscription } from '../../services/subscriptions/create';
import { MachineRunner } from '../../workflows/machine-runner';
import { subscriptionMachine } from '../../workflows/machines/subscription';
import { saveClosedHistory, saveReplayHistory, saveReplayRuns } from '../replay/record';
import { subscriptionWorkflowId } from '../../workflows/messages/subscription';
import { subscribeWorkflowId } from '../../workflows/subscribe';
import { backOffice, type BackOffice } from './portal-fixtures';

let payments: PaymentStack;
let office: BackOffice;

beforeAll(async () => {
  payments = await startPaymentStack();
  office = await backOffice(payments.stack);
}, 120_000);
afterAll(async () => {
  await payments?.close();
});

const subscriptionOf = (id: string) => succeeded(office.api.GET('/v1/subscriptions/{id}', { params: { path: { id } } }));
const listed = async (filter: 'scheduled' | 'active' | 'payment_failed' | 'inactive') =>
  (await succeeded(office.api.GET('/v1/subscriptions', { params: { query: { filter } } }))).data.map((row) => row.id);
const bySubscription = (id: string) => ({ params: { path: { id } } });

async function customerWithCard(paymentMethodId: string): Promise<string> {
  const customer = await succeeded(office.api.POST('/v1/customers', { body: { name: 'Blackbell Studio', email: 'billing@blackbell.test' } }), 201);
  await saveCard(customer.id, paymentMethodId);
  return customer.id;
}

async function saveCard(customerId: string, paymentMethodId: string): Promise<void> {
  const saved = await office.api.PATCH('/v1/customers/{id}', { params: { path: { id: customerId } }, body: { savedCard: { paymentMethodId } } });
  expect(saved.response.status).toBe(200);
}

it('charges each period, applies a plan change next period, then fails, retries and ends cancelled', async () => {
  const chargesBefore = (await payments.charges()).count;
  const customerId = await customerWithCard('pm_card_visa');
  const { id } = await succeeded(
    office.api.POST('/v1/subscriptions', { body: { customerId, plan: { name: 'Basic', amount: 1500, currency: 'EUR', period: 'PT6S' }, retryDelays: ['PT2S', 'PT2S'] } }),
    201,
  );
  expect(await listed('active')).toContain(id);

  await eventually(async () => (await subscriptionOf(id)).payments.find((payment) => payment.period === 1 && payment.status === 'succeeded'), { what: 'period 1 charged' });
  // Effective next period, no proration: the period running keeps its price.
  const changed = await office.api.POST('/v1/subscriptions/{id}/plan', { ...bySubscription(id), body: { plan: { name: 'Plus', amount: 2500, period: 'PT6S' } } });
  expect(changed.response.status).toBe(200);
  expect(changed.data).toMatchObject({ status: 'active', plan: { name: 'Basic' }, nextPlan: { name: 'Plus' } });

  await eventually(async () => (await subscriptionOf(id)).payments.find((payment) => payment.period === 2 && payment.status === 'succeeded'), { what: 'period 2 charged' });
  await saveCard(customerId, 'pm_card_chargeDeclined');
  // The payment row is written by the charge, the subscription's state just after it by the workflow.
  const second = await eventually(async () => {
    const subscription = await subscriptionOf(id);
    return subscription.currentPeriod === 2 && subscription.status === 'active' ? subscription : undefined;
  }, { what: 'period 2 recorded' });
  expect(second).toMatchObject({ plan: { name: 'Plus', amount: 2500 }, nextPlan: null });

  await eventually(async () => ((await subscriptionOf(id)).status === 'payment_failed' ? true : undefined), { what: 'payment_failed', everyMs: 200 });
  expect(await listed('payment_failed')).toContain(id);
  const ended = await eventually(async () => {
    const subscription = await subscriptionOf(id);
    return subscription.status === 'inactive' ? subscription : undefined;
  }, { what: 'inactive' });

  expect(ended).toMatchObject({ status: 'inactive', statusReason: 'cancelled', currentPeriod: 3, failures: 3 });
  expect(ended.payments.map(({ period, attempt, status, amount, failureCode }) => ({ period, attempt, status, amount, failureCode }))).toEqual([
    { period: 1, attempt: 1, status: 'succeeded', amount: 1500, failureCode: null },
    { period: 2, attempt: 1, status: 'succeeded', amount: 2500, failureCode: null },
    { period: 3, attempt: 1, status: 'failed', amount: 2500, failureCode: 'generic_decline' },
    { period: 3, attempt: 2, status: 'failed', amount: 2500, failureCode: 'generic_decline' },
    { period: 3, attempt: 3, status: 'failed', amount: 2500, failureCode: 'generic_decline' },
  ]);
  expect((await payments.charges()).count - chargesBefore).toBe(2);
  expect(await listed('inactive')).toContain(id);
  expect(await listed('active')).not.toContain(id);

  const refused = await office.api.POST('/v1/subscriptions/{id}/cancel', { ...bySubscription(id), body: {} });
  expect(refused.response.status).toBe(409);
  // test/replay/: one run per period; the plan change and the declined retries are in runs of their own.
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    await payments.stack.client.workflow.getHandle(subscriptionWorkflowId(id)).result();
    await saveReplayRuns(payments.stack.client.workflow, subscriptionWorkflowId(id), 'subscription-plan-change-declined');
  }
}, 120_000);

it('a subscription starting later is scheduled; cancelling terminates it, once', async () => {
  const customerId = await customerWithCard('pm_card_visa');
  const startsAt = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
  const subscribe = () => office.api.POST('/v1/subscriptions', { body: { customerId, plan: { name: 'Yearly', amount: 12000, period: 'yearly', startsAt } } });
  const { id } = await succeeded(subscribe(), 201);
  // The same request again (no Idempotency-Key): a retry, answered with the subscription it made, never a second one.
  const retried = await subscribe();
  expect(retried.response.status).toBe(201);
  expect(retried.data?.id).toBe(id);
  expect(await payments.stack.prisma.subscription.count({ where: { customerId } })).toBe(1);
  expect((await payments.stack.client.workflow.getHandle(`subscribe-${id}`).result()).subscriptionId).toBe(id);
  await eventually(async () => ((await subscriptionOf(id)).status === 'scheduled' ? true : undefined), { what: 'scheduled' });
  expect(await listed('scheduled')).toContain(id);

  // While scheduled nothing was charged: a plan change applies at once.
  const changed = await office.api.POST('/v1/subscriptions/{id}/plan', { ...bySubscription(id), body: { plan: { name: 'Monthly', amount: 1200, period: 'monthly', startsAt } } });
  expect(changed.data).toMatchObject({ status: 'scheduled', plan: { name: 'Monthly', amount: 1200, currency: 'EUR' }, nextPlan: null });

  const cancelled = await office.api.POST('/v1/subscriptions/{id}/cancel', { ...bySubscription(id), body: { reason: 'customer left' } });
  expect(cancelled.response.status).toBe(200);
  expect(cancelled.data).toMatchObject({ status: 'inactive', statusReason: 'terminated', payments: [] });
  expect((await office.api.POST('/v1/subscriptions/{id}/cancel', { ...bySubscription(id), body: {} })).response.status).toBe(409);
  expect((await office.api.POST('/v1/subscriptions/{id}/plan', { ...bySubscription(id), body: { plan: { name: 'X', amount: 1, period: 'monthly' } } })).response.status).toBe(409);
  expect((await office.api.GET('/v1/subscriptions/{id}', bySubscription('sub_nope'))).response.status).toBe(404);
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    await saveClosedHistory(payments.stack.client.workflow, subscriptionWorkflowId(id), 'subscription-scheduled-terminated');
    await saveClosedHistory(payments.stack.client.workflow, subscribeWorkflowId(id), 'subscribe-scheduled');
  }
}, 60_000);

it("hands a run carrying the old loop's state over to the story: every period charged once, the row numbered on", async () => {
  const customerId = await customerWithCard('pm_card_visa');
  const { tenantId } = await payments.stack.prisma.customer.findUniqueOrThrow({ where: { id: customerId } });
  const created = await createSubscription(payments.stack.prisma, { tenantId, customerId, plan: { name: 'Basic', amount: 900, period: 'PT3S' }, retryDelays: ['PT1S'] });
  const { plan, startAt, retryDelaysMs } = created.workflowInput;
  // What the loop carried once period 1 was charged: its machine as the interpreter saves it, one write made.
  const period1 = MachineRunner.start(subscriptionMachine, { now: startAt, plan, startAt, retryDelaysMs }, {
    chargeCard: async ({ params }) => ({ type: 'CHARGE_SUCCEEDED', period: params.period, attempt: params.attempt, at: startAt }),
    issueInvoice: () => Promise.reject(new Error('billed by card')),
  });
  await period1.entered();
  const workflowId = subscriptionWorkflowId(created.subscriptionId);
  const loopResume = { machine: period1.save(), transitionSeq: 1, decisionIds: [] };
  const handle = await payments.stack.client.workflow.start('subscriptionWorkflow', {
    taskQueue: payments.stack.taskQueue,
    workflowId,
    args: [{ ...created.workflowInput, periodsPerRun: 1, resume: loopResume }],
  });

  // The loop bills period 2 and continues as new; the story bills period 3.
  await eventually(async () => {
    const subscription = await subscriptionOf(created.subscriptionId);
    return subscription.payments.some((payment) => payment.period === 3 && payment.status === 'succeeded') ? true : undefined;
  }, { what: 'period 3 charged by the story' });
  // The newest run records the story's patch in its first workflow task: on a busy machine that task may still be queued.
  await eventually(
    async () => {
      const { events } = await payments.stack.client.workflow.getHandle(workflowId).fetchHistory();
      return events?.some((event) => event.markerRecordedEventAttributes?.markerName === 'core_patch') ? true : undefined;
    },
    { what: "the story's patch marker in the newest run" },
  );
  expect((await payments.stack.client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');

  expect((await office.api.POST('/v1/subscriptions/{id}/cancel', { ...bySubscription(created.subscriptionId), body: {} })).response.status).toBe(200);
  // The row takes the story's writes: numbered after the loop's, none is taken for a late one.
  const ended = await subscriptionOf(created.subscriptionId);
  expect(ended).toMatchObject({ status: 'inactive', statusReason: 'terminated' });
  const attempts = ended.payments.map(({ period, attempt, status }) => `${period}/${attempt} ${status}`);
  expect(attempts.slice(0, 2)).toEqual(['2/1 succeeded', '3/1 succeeded']);
  expect(new Set(attempts).size).toBe(attempts.length);
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    await payments.stack.client.workflow.getHandle(workflowId).result();
    await saveReplayRuns(payments.stack.client.workflow, workflowId, 'subscription-loop-to-story');
  }
}, 60_000);

it('billed by invoice: each period issues one invoice, emailed to the customer and payable online, and nothing is charged', async () => {
  const chargesBefore = (await payments.charges()).count;
  const { payOnline } = await succeeded(office.api.GET('/v1/settings'));
  await succeeded(office.api.PATCH('/v1/settings', { body: { payOnline: true } }));
  const email = `compta-${randomBytes(4).toString('hex')}@blackbell.test`;
  const customer = await succeeded(office.api.POST('/v1/customers', { body: { name: 'Blackbell Studio', email } }), 201);
  const plan = { name: 'Entretien', amount: 2900, currency: 'EUR', period: 'PT5S' };
  // Billed by card (the default), a customer without a saved card is refused at once, with the reason.
  const refused = await office.api.POST('/v1/subscriptions', { body: { customerId: customer.id, plan } });
  expect(refused.response.status).toBe(409);
  expect(refused.error?.detail).toMatch(/^The customer has no saved card to charge/);

  // Billed by invoice, a customer without an email address to send them to is refused likewise.
  const unreachable = await succeeded(office.api.POST('/v1/customers', { body: { name: 'Sans Courriel' } }), 201);
  const noAddress = await office.api.POST('/v1/subscriptions', { body: { customerId: unreachable.id, plan, billing: 'invoice' } });
  expect(noAddress.response.status).toBe(409);
  expect(noAddress.error?.detail).toMatch(/^The customer has no email address/);

  const { id } = await succeeded(office.api.POST('/v1/subscriptions', { body: { customerId: customer.id, plan, billing: 'invoice' } }), 201);
  // The invoice's row comes with its document; its workflow sends it a moment later.
  const invoiced = await eventually(async () => {
    const subscription = await subscriptionOf(id);
    return subscription.invoices.length >= 2 && subscription.invoices.every((invoice) => invoice.status !== 'draft') ? subscription : undefined;
  }, { what: 'two periods invoiced and sent', timeoutMs: 30_000 });
  await succeeded(office.api.POST('/v1/subscriptions/{id}/cancel', { ...bySubscription(id), body: {} }));
  const ended = await subscriptionOf(id);
  expect(ended).toMatchObject({ billing: 'invoice', status: 'inactive', statusReason: 'terminated', payments: [] });
  expect(ended.invoices.map((invoice) => invoice.period)).toEqual(ended.invoices.map((_, index) => index + 1));
  expect(invoiced.invoices.slice(0, 2).map(({ period, amount, currency, status }) => ({ period, amount, currency, status }))).toEqual([
    { period: 1, amount: 2900, currency: 'EUR', status: 'sent' },
    { period: 2, amount: 2900, currency: 'EUR', status: 'sent' },
  ]);

  for (const invoice of invoiced.invoices.slice(0, 2)) {
    const document = await office.document(invoice.documentId);
    expect(document).toMatchObject({ kind: 'invoice', number: invoice.number, customerId: customer.id, totals: { gross: 2900 } });
    expect(document.dueDate).toBe(invoice.dueDate);
    // Recorded as made from the subscription's period (document.created), then sent.
    const trail = await office.events(invoice.documentId);
    expect(trail.filter((event) => event.type === 'created').map((event) => event.data)).toEqual([{ from: { subscriptionId: id, period: invoice.period } }]);
    expect(trail.filter((event) => event.type === 'sent')).toHaveLength(1);
    // Emailed once, with its link, where the customer pays online.
    const emails = (await payments.stack.readOutbox()).filter((sent) => recipientsOf(sent).includes(email) && sent.subject.includes(invoice.number));
    expect(emails).toHaveLength(1);
    const link = emails[0]?.links.find((candidate) => candidate.startsWith(`${payments.stack.baseUrl}/d/`));
    const pay = await fetch(`${link}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(pay.status).toBe(200);
    expect(((await pay.json()) as { url: string }).url).toMatch(new RegExp(`^${payments.stripe.url}/c/pay/cs_test_`));
  }

  // Issued again (a retried activity, a restarted worker): the same invoice, nothing new written.
  const [first] = invoiced.invoices;
  const again = await issueSubscriptionInvoice(payments.stack.prisma, {
    tenantId: (await payments.stack.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).tenantId,
    subscriptionId: id,
    customerId: customer.id,
    period: 1,
    from: Date.now(),
    to: Date.now(),
    planName: plan.name,
    amount: plan.amount,
    currency: plan.currency,
    at: Date.now(),
  });
  expect(again.issued).toMatchObject({ documentId: first?.documentId, number: first?.number });
  expect(await payments.stack.prisma.subscriptionInvoice.count({ where: { subscriptionId: id } })).toBe(ended.invoices.length);
  expect((await office.events(first?.documentId ?? '')).filter((event) => event.type === 'created')).toHaveLength(1);
  expect((await payments.charges()).count).toBe(chargesBefore);
  await succeeded(office.api.PATCH('/v1/settings', { body: { payOnline } }));
  // A subscription billed by invoice over a few periods (one run each), then terminated: the histories CI replays.
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    await payments.stack.client.workflow.getHandle(subscriptionWorkflowId(id)).result();
    await saveReplayRuns(payments.stack.client.workflow, subscriptionWorkflowId(id), 'subscription-invoiced');
  }
}, 90_000);

it('bad input changes nothing', async () => {
  const customerId = await customerWithCard('pm_card_visa');
  const bad = await office.api.POST('/v1/subscriptions', { body: { customerId, plan: { name: 'X', amount: 0, period: 'weekly' } } });
  expect(bad.response.status).toBe(400);
  expect(bad.error?.errors?.map((error) => error.path).sort()).toEqual(['plan.amount', 'plan.period']);
  // A filter the document does not list: sent outside the typed client.
  expect((await office.raw('GET', '/v1/subscriptions?filter=nope')).status).toBe(400);
});

it('records a history of a few periods for replay (RECORD_REPLAY_HISTORIES=1)', async () => {
  if (process.env.RECORD_REPLAY_HISTORIES !== '1') return;
  const customerId = await customerWithCard('pm_card_visa');
  const created = await createSubscription(payments.stack.prisma, {
    tenantId: (await payments.stack.prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).tenantId,
    customerId,
    plan: { name: 'Basic', amount: 900, period: 'PT2S' },
    retryDelays: ['PT1S'],
  });
  const handle = await payments.stack.client.workflow.start('subscriptionWorkflow', {
    taskQueue: payments.stack.taskQueue,
    workflowId: subscriptionWorkflowId(created.subscriptionId),
    args: [{ ...created.workflowInput, periodsPerRun: 3 }],
  });
  // The first run bills three periods, then continues as new: that run is the history kept.
  const firstRun = payments.stack.client.workflow.getHandle(subscriptionWorkflowId(created.subscriptionId), handle.firstExecutionRunId);
  await eventually(async () => ((await firstRun.describe()).status.name === 'CONTINUED_AS_NEW' ? true : undefined), { what: 'three periods, then continue-as-new' });
  await saveReplayHistory(firstRun, 'subscription-three-periods');
  expect((await office.api.POST('/v1/subscriptions/{id}/cancel', { ...bySubscription(created.subscriptionId), body: {} })).response.status).toBe(200);
}, 60_000);
