/**
 * Service requests (seed 004) over HTTP end to end: the real API, worker and Temporal, the
 * official Stripe SDK talking to the local stand-in (which counts the money it takes). A "sur
 * devis" request is priced, accepted from the emailed link, confirmed and charged exactly once;
 * with a plan it starts a subscription. A declined card leaves it confirmed-unpaid with an event
 * and a notice to the assignee, after one attempt. Proposals are withdrawn and sent again; the
 * statistics leave out requests handled without a proposal; labels and notes stay in the team.
 * A decline and its reason are one decision of the request's workflow, however often retried.
 */
import { randomBytes } from 'node:crypto';
import { saveClosedHistory } from '../replay/record';
import { succeeded, type components } from '../support/api';
import { eventually } from '../support/eventually';
import { startPaymentStack, type PaymentStack } from '../support/payments';
import { recipientsOf } from '../support/outbox';
import { backOffice, formFields, type BackOffice } from './portal-fixtures';

let payments: PaymentStack;
let office: BackOffice;
let assignee: { id: string; email: string };

beforeAll(async () => {
  payments = await startPaymentStack();
  office = await backOffice(payments.stack);
  const email = `vendeur-${unique()}@lumiere.test`;
  const created = await succeeded(office.api.POST('/v1/users', { body: { name: 'Marc Vendeur', email, notify: { decided: ['email'] } } }), 201);
  assignee = { id: created.id, email };
});
afterAll(async () => {
  await payments?.close();
});

const unique = () => randomBytes(5).toString('hex');

const withId = (id: string) => ({ params: { path: { id } } });
const proposePrice = (id: string, amount: number) => succeeded(office.api.POST('/v1/requests/{id}/price-proposal', { ...withId(id), body: { amount } }), 200);
const confirm = (id: string, decisionId?: string) =>
  office.api.POST('/v1/requests/{id}/confirm', { params: { path: { id }, header: decisionId ? { 'Idempotency-Key': decisionId } : {} }, body: {} });
const stats = () => succeeded(office.api.GET('/v1/requests/stats'), 200);

/** A customer with an email and, when given, a saved test card (pm_card_visa, pm_card_chargeDeclined). */
async function customerWith(card?: string): Promise<{ id: string; email: string }> {
  const email = `client-${unique()}@customer.test`;
  const customer = await succeeded(office.api.POST('/v1/customers', { body: { name: 'Åsa Öberg AB', email, locale: 'fr' } }), 201);
  if (card) {
    const saved = await succeeded(office.api.PATCH('/v1/customers/{id}', { ...withId(customer.id), body: { savedCard: { paymentMethodId: card } } }), 200);
    expect(saved.savedCard).toEqual({ paymentMethodId: card });
  }
  return { id: customer.id, email };
}

async function newRequest(customerId: string, extra: Partial<components['schemas']['CreateServiceRequest']> = {}) {
  const body = { customerId, product: 'Shooting photo produit', options: { photos: 20, fond: 'blanc' }, priceOnQuote: true, assigneeId: assignee.id, ...extra };
  return succeeded(office.api.POST('/v1/requests', { body }), 201);
}

const requestOf = (id: string) => succeeded(office.api.GET('/v1/requests/{id}', withId(id)), 200);

/** Waits until the request's workflow has received it (its `created`: the row says pending from the start). */
const received = (id: string) => eventually(async () => ((await office.events(id)).some((event) => event.type === 'created') ? true : undefined), { what: 'the request received by its workflow' });

/** The link of the newest proposal email to `email` (one per proposal: `count` of them). */
async function proposalLink(email: string, count = 1): Promise<string> {
  return eventually(
    async () => {
      const emails = (await payments.stack.readOutbox()).filter((candidate) => recipientsOf(candidate).some((to) => to.includes(email)));
      if (emails.length < count) return undefined;
      return emails[0]?.links.find((link) => link.startsWith(`${payments.stack.baseUrl}/d/`));
    },
    { what: `proposal email ${count} to ${email}` },
  );
}

async function answer(link: string, decision: 'accept' | 'refuse'): Promise<Response> {
  return fetch(`${link}/${decision}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{}' });
}

it('price on quote: proposal, accepted by link, confirmed, the card charged exactly once, and the plan subscribed', async () => {
  const customer = await customerWith('pm_card_visa');
  const created = await newRequest(customer.id, { plan: { name: 'Entretien mensuel', amount: 2900, period: 'monthly' } });
  expect(created).toMatchObject({ box: 'inbox', priceOnQuote: true, proposal: null });
  await received(created.id);
  expect((await succeeded(office.api.GET('/v1/requests', { params: { query: { box: 'inbox' } } }), 200)).data.map((request) => request.id)).toContain(created.id);

  const started = await succeeded(office.api.POST('/v1/requests/{id}/status', { ...withId(created.id), body: { status: 'in_progress' } }), 200);
  expect(started).toMatchObject({ status: 'in_progress', box: 'in_progress' });

  const proposed = await proposePrice(created.id, 15000);
  expect(proposed).toMatchObject({ status: 'awaiting_response', box: 'awaiting_response', proposal: { seq: 1, amount: 15000, status: 'sent' } });
  expect(proposed.labels).toContain('awaiting_response');
  // Confirming before the customer answered is refused with the reason.
  const early = await confirm(created.id);
  expect(early.response.status).toBe(409);
  expect(early.error?.detail).toMatch(/withdraw it before confirming/);

  const link = await proposalLink(customer.email);
  const accepted = await answer(link, 'accept');
  expect(accepted.status).toBe(200);
  const answered = await requestOf(created.id);
  expect(answered).toMatchObject({ status: 'proposal_accepted', box: 'inbox', unread: true, outcome: 'accepted', proposal: { status: 'accepted' } });
  // The assignee hears of the answer.
  await eventually(async () => ((await payments.stack.readOutbox()).some((email) => recipientsOf(email).includes(assignee.email)) ? true : undefined), { what: 'the assignee told of the answer' });

  const before = (await payments.charges()).count;
  const confirmed = await succeeded(confirm(created.id), 200);
  expect(confirmed).toMatchObject({ status: 'confirmed', box: 'closed', unread: false, handledWithoutProposal: false });
  const paid = await eventually(async () => {
    const seen = await requestOf(created.id);
    return seen.paymentStatus && seen.subscriptionId ? seen : undefined;
  }, { what: 'the charge and the subscription' });
  expect(paid.paymentStatus).toBe('paid');
  expect(paid.payments).toEqual([expect.objectContaining({ attempt: 1, status: 'succeeded', amount: 15000 })]);
  // The assignee hears of the payment (on by default), and the customer of the confirmation.
  await eventually(
    async () => ((await payments.stack.readOutbox()).some((email) => recipientsOf(email).includes(assignee.email) && email.subject === `Paiement reçu pour ${created.number}`) ? true : undefined),
    { what: 'the assignee told of the payment' },
  );
  await eventually(
    async () => ((await payments.stack.readOutbox()).some((email) => recipientsOf(email).includes(customer.email) && email.subject.startsWith(`Votre demande ${created.number} est confirmée`)) ? true : undefined),
    { what: 'the customer told of the confirmation' },
  );
  // The same confirm again is its retry, answered the same; another confirm is refused: never charged twice.
  expect(await succeeded(confirm(created.id), 200)).toMatchObject({ status: 'confirmed' });
  expect((await confirm(created.id, `again-${created.id}`)).response.status).toBe(409);

  // The plan's subscription bills its first period in advance, on its own charge: its row is
  // written pending before the provider is asked, so wait for the outcome, not the row.
  const subscription = await eventually(async () => {
    const seen = await succeeded(office.api.GET('/v1/subscriptions/{id}', withId(paid.subscriptionId ?? '')), 200);
    const settled = seen.payments.length > 0 && seen.payments.every((payment) => payment.status !== 'pending');
    return seen.status === 'active' && settled ? seen : undefined;
  }, { what: 'the subscription active, its first period charged' });
  expect(subscription.payments).toEqual([expect.objectContaining({ status: 'succeeded' })]);
  // At the provider: the request's charge once, the first period once — nothing more.
  expect((await payments.charges()).count - before).toBe(2);
  // A request priced, accepted, confirmed, charged and subscribed: the history CI replays (test/replay/record.ts).
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    await saveClosedHistory(payments.stack.client.workflow, `request-${created.id}`, 'request-confirmed-charged');
  }
});

it('a declined card on confirm: confirmed-unpaid, an event and a notice to the assignee, one attempt', async () => {
  const customer = await customerWith('pm_card_chargeDeclined');
  const created = await newRequest(customer.id);
  await received(created.id);
  await proposePrice(created.id, 9900);
  expect((await answer(await proposalLink(customer.email), 'accept')).status).toBe(200);

  await succeeded(confirm(created.id), 200);
  const unpaid = await eventually(async () => {
    const seen = await requestOf(created.id);
    return seen.paymentStatus ? seen : undefined;
  }, { what: 'the charge outcome' });
  expect(unpaid).toMatchObject({ status: 'confirmed', paymentStatus: 'unpaid' });
  expect(unpaid.payments).toEqual([expect.objectContaining({ attempt: 1, status: 'failed', failureCode: expect.stringMatching(/decline/) })]);

  // The event is recorded just after the charge's outcome: wait for it, then count.
  const events = await eventually(async () => {
    const trail = await office.events(created.id);
    return trail.some((event) => event.type === 'payment_failed') ? trail : undefined;
  }, { what: 'the payment_failed event' });
  expect(events.filter((event) => event.type === 'payment_failed')).toHaveLength(1);
  await eventually(
    async () => ((await payments.stack.readOutbox()).some((email) => recipientsOf(email).includes(assignee.email) && /refus|declined/i.test(email.subject)) ? true : undefined),
    { what: 'the assignee told of the declined card' },
  );
});

it("a declined confirm charge is charged again by the seller's retry, one attempt at a time, never once paid", async () => {
  const customer = await customerWith('pm_card_chargeDeclined');
  const created = await newRequest(customer.id);
  await received(created.id);
  await proposePrice(created.id, 9900);
  expect((await answer(await proposalLink(customer.email), 'accept')).status).toBe(200);
  await succeeded(confirm(created.id), 200);
  await eventually(async () => ((await requestOf(created.id)).paymentStatus === 'unpaid' ? true : undefined), { what: 'the first charge declined' });

  // The customer gives another card; the seller charges again.
  await succeeded(office.api.PATCH('/v1/customers/{id}', { ...withId(customer.id), body: { savedCard: { paymentMethodId: 'pm_card_visa' } } }), 200);
  const before = (await payments.charges()).count;
  const retry = (key = `retry-${unique()}`) => office.api.POST('/v1/requests/{id}/charge', { params: { path: { id: created.id }, header: { 'Idempotency-Key': key } }, body: {} });
  // The row says declined a moment before the workflow hears the outcome: until then the charge is in flight.
  const [first, second] = await eventually(async () => {
    const answers = await Promise.all([retry(), retry()]);
    return answers.every((answer) => answer.response.status === 409 && /in flight/.test(answer.error?.detail ?? '')) ? undefined : answers;
  }, { what: 'the retry taken' });
  // Two at once: one is taken, the other refused, while the first is in flight or once it paid
  // (the stand-in answers in milliseconds; the machine's test pins the in-flight refusal).
  const statuses = [first.response.status, second.response.status].sort();
  expect(statuses).toEqual([202, 409]);
  expect((first.error ?? second.error)?.detail).toMatch(/^(Charge attempt 2 is still in flight: wait for its outcome|The request is already paid)$/);

  const paid = await eventually(async () => {
    const seen = await requestOf(created.id);
    return seen.paymentStatus === 'paid' ? seen : undefined;
  }, { what: 'the second attempt paid' });
  expect(paid).toMatchObject({ status: 'confirmed' });
  expect(paid.payments).toEqual([
    expect.objectContaining({ attempt: 1, status: 'failed', amount: 9900 }),
    expect.objectContaining({ attempt: 2, status: 'succeeded', amount: 9900 }),
  ]);
  expect((await payments.charges()).count - before).toBe(1);
  const trail = await eventually(async () => {
    const events = await office.events(created.id);
    return events.some((event) => event.type === 'paid') ? events : undefined;
  }, { what: 'the paid event' });
  expect(trail.filter((event) => event.type === 'payment_failed' || event.type === 'paid').map((event) => [event.type, event.data.attempt])).toEqual([
    ['payment_failed', 1],
    ['paid', 2],
  ]);
  // Paid, the request's story ends; another retry is refused with the reason.
  await payments.stack.client.workflow.getHandle(`request-${created.id}`).result();
  const again = await retry();
  expect(again.response.status).toBe(409);
  expect(again.error?.detail).toBe('The request is already paid');
  // A declined charge retried and paid (patch request-charge-retry): the history CI replays (test/replay/record.ts).
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    await saveClosedHistory(payments.stack.client.workflow, `request-${created.id}`, 'request-charge-retried');
  }
});

it('a charge is retried only for a confirmed request whose card was declined', async () => {
  const customer = await customerWith('pm_card_visa');
  const created = await newRequest(customer.id);
  await received(created.id);
  const early = await office.api.POST('/v1/requests/{id}/charge', { ...withId(created.id), body: {} });
  expect(early.response.status).toBe(409);
  expect(early.error?.detail).toMatch(/charged once confirmed/);
});

it('billing card without a saved card: confirm answers 409 with the reason, and the request waits unconfirmed', async () => {
  const customer = await customerWith();
  const created = await newRequest(customer.id, { plan: { name: 'Entretien mensuel', amount: 2900, period: 'monthly' } });
  await received(created.id);
  await proposePrice(created.id, 9900);
  expect((await answer(await proposalLink(customer.email), 'accept')).status).toBe(200);
  const before = (await payments.charges()).count;

  const refused = await confirm(created.id);
  expect(refused.response.status).toBe(409);
  expect(refused.error?.detail).toMatch(/^The customer has no saved card to charge/);
  expect(await requestOf(created.id)).toMatchObject({ status: 'proposal_accepted', payments: [], subscriptionId: null, paymentStatus: null });
  expect((await payments.charges()).count).toBe(before);

  // Once billed by invoice, it confirms (nothing charged on confirm), and its plan is billed by invoice too: period 1's is issued at once.
  await succeeded(office.api.POST('/v1/requests/{id}/status', { ...withId(created.id), body: { billing: 'invoice' } }), 200);
  expect(await succeeded(confirm(created.id), 200)).toMatchObject({ status: 'confirmed', payments: [] });
  const subscriptionId = await eventually(async () => (await requestOf(created.id)).subscriptionId ?? undefined, { what: 'the subscription started' });
  const subscription = await eventually(async () => {
    const seen = await succeeded(office.api.GET('/v1/subscriptions/{id}', withId(subscriptionId)), 200);
    return seen.invoices[0]?.status === 'sent' ? seen : undefined;
  }, { what: "period 1's invoice sent" });
  expect(subscription).toMatchObject({ billing: 'invoice', status: 'active', payments: [], invoices: [expect.objectContaining({ period: 1, amount: 2900 })] });
  expect((await payments.charges()).count).toBe(before);
  await succeeded(office.api.POST('/v1/subscriptions/{id}/cancel', { ...withId(subscriptionId), body: {} }), 200);
});

/** A request for a product not on quote, at its price. */
const pricedRequest = (customerId: string, price: number) => newRequest(customerId, { priceOnQuote: false, price });

it('a request at its price (not on quote) with billing card: confirming charges the price once, as a proposal is charged', async () => {
  const customer = await customerWith('pm_card_visa');
  const statsBefore = await stats();
  const created = await pricedRequest(customer.id, 4900);
  expect(created).toMatchObject({ priceOnQuote: false, price: 4900, billing: 'card', proposal: null });
  await received(created.id);

  const before = (await payments.charges()).count;
  const key = `confirm-${unique()}`;
  expect(await succeeded(confirm(created.id, key), 200)).toMatchObject({ status: 'confirmed', box: 'closed', handledWithoutProposal: false });
  const paid = await eventually(async () => {
    const seen = await requestOf(created.id);
    return seen.paymentStatus ? seen : undefined;
  }, { what: 'the charge of the price' });
  expect(paid).toMatchObject({ status: 'confirmed', paymentStatus: 'paid' });
  expect(paid.payments).toEqual([expect.objectContaining({ attempt: 1, status: 'succeeded', amount: 4900, currency: 'EUR' })]);
  // The same records, webhook and notice as a proposal's charge.
  const trail = await eventually(async () => {
    const events = await office.events(created.id);
    return events.some((event) => event.type === 'paid') ? events : undefined;
  }, { what: 'the paid event' });
  expect(trail.filter((event) => event.type === 'paid').map((event) => event.data)).toEqual([expect.objectContaining({ amount: 4900, currency: 'EUR', attempt: 1 })]);
  await eventually(
    async () => ((await payments.stack.readOutbox()).some((email) => recipientsOf(email).includes(assignee.email) && email.subject === `Paiement reçu pour ${created.number}`) ? true : undefined),
    { what: 'the assignee told of the payment' },
  );
  // The confirm's retry is answered the same; another confirm is refused: charged once.
  expect(await succeeded(confirm(created.id, key), 200)).toMatchObject({ status: 'confirmed' });
  expect((await confirm(created.id, `again-${created.id}`)).response.status).toBe(409);
  await payments.stack.client.workflow.getHandle(`request-${created.id}`).result();
  expect((await payments.charges()).count - before).toBe(1);
  // Counted in the statistics at its price.
  const statsAfter = await stats();
  expect(statsAfter.confirmed).toBe(statsBefore.confirmed + 1);
  expect(statsAfter.confirmedAmounts.EUR).toBe((statsBefore.confirmedAmounts.EUR ?? 0) + 4900);
  // A request confirmed and charged at its price: the history CI replays (test/replay/record.ts).
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    await saveClosedHistory(payments.stack.client.workflow, `request-${created.id}`, 'request-priced-charged');
  }
});

it("a request at its price whose card is declined on confirm is charged again by the seller's retry", async () => {
  const customer = await customerWith('pm_card_chargeDeclined');
  const created = await pricedRequest(customer.id, 3500);
  await received(created.id);
  await succeeded(confirm(created.id), 200);
  await eventually(async () => ((await requestOf(created.id)).paymentStatus === 'unpaid' ? true : undefined), { what: 'the first charge declined' });

  await succeeded(office.api.PATCH('/v1/customers/{id}', { ...withId(customer.id), body: { savedCard: { paymentMethodId: 'pm_card_visa' } } }), 200);
  const before = (await payments.charges()).count;
  // Until the workflow hears of the decline, the first attempt is in flight.
  await eventually(async () => {
    const retried = await office.api.POST('/v1/requests/{id}/charge', { params: { path: { id: created.id }, header: { 'Idempotency-Key': `retry-${unique()}` } }, body: {} });
    return retried.response.status === 202 ? true : undefined;
  }, { what: 'the retry taken' });
  const paid = await eventually(async () => {
    const seen = await requestOf(created.id);
    return seen.paymentStatus === 'paid' ? seen : undefined;
  }, { what: 'the second attempt paid' });
  expect(paid.payments.map(({ attempt, status, amount }) => ({ attempt, status, amount }))).toEqual([
    { attempt: 1, status: 'failed', amount: 3500 },
    { attempt: 2, status: 'succeeded', amount: 3500 },
  ]);
  expect((await payments.charges()).count - before).toBe(1);
});

it('a request at its price with billing card and no saved card: confirm answers 409 with the reason; a price on quote is bad input', async () => {
  const customer = await customerWith();
  const created = await pricedRequest(customer.id, 2500);
  await received(created.id);
  const refused = await confirm(created.id);
  expect(refused.response.status).toBe(409);
  expect(refused.error?.detail).toMatch(/^The customer has no saved card to charge/);
  expect(await requestOf(created.id)).toMatchObject({ status: 'pending', payments: [], paymentStatus: null });

  const onQuote = await office.api.POST('/v1/requests', { body: { customerId: customer.id, product: 'Sur devis', priceOnQuote: true, price: 2500 } });
  expect(onQuote.response.status).toBe(400);
  expect(onQuote.error?.errors).toEqual([expect.objectContaining({ path: 'price' })]);
});

it('withdraws a proposal and sends a new one; the old link answers the new proposal only', async () => {
  const customer = await customerWith('pm_card_visa');
  const created = await newRequest(customer.id);
  await received(created.id);
  await proposePrice(created.id, 20000);
  const withdrawn = await succeeded(office.api.POST('/v1/requests/{id}/price-proposal/cancel', { ...withId(created.id), body: {} }), 200);
  expect(withdrawn).toMatchObject({ status: 'in_progress', proposal: { seq: 1, status: 'withdrawn' } });
  expect(withdrawn.labels).not.toContain('awaiting_response');
  // Nothing waits for an answer now.
  expect((await answer(await proposalLink(customer.email), 'accept')).status).toBe(409);

  const resent = await proposePrice(created.id, 17500);
  expect(resent.proposals.map((proposal) => [proposal.seq, proposal.amount, proposal.status])).toEqual([
    [1, 20000, 'withdrawn'],
    [2, 17500, 'sent'],
  ]);
  expect((await answer(await proposalLink(customer.email, 2), 'refuse')).status).toBe(200);
  expect(await requestOf(created.id)).toMatchObject({ status: 'proposal_declined', outcome: 'declined', unread: true, box: 'inbox' });
});

it("declines with the seller's reason in one decision of the request's workflow, however often retried", async () => {
  const customer = await customerWith();
  const created = await newRequest(customer.id);
  await received(created.id);
  const key = `decline-${unique()}`;
  const decline = () =>
    succeeded(office.api.POST('/v1/requests/{id}/decline', { params: { path: { id: created.id }, header: { 'Idempotency-Key': key } }, body: { reason: 'Hors zone' } }), 200);
  expect(await decline()).toMatchObject({ status: 'declined', declineReason: 'Hors zone' });
  // As after a first attempt whose answer was lost: the retry reaches the workflow again, under the same decision id.
  await payments.stack.prisma.idempotentRequest.deleteMany({ where: { key } });
  expect(await decline()).toMatchObject({ status: 'declined', declineReason: 'Hors zone' });
  const trail = (await office.events(created.id)).filter((event) => event.type === 'declined');
  expect(trail).toEqual([expect.objectContaining({ data: expect.objectContaining({ reason: 'Hors zone' }) })]);
  // The customer is told, with the reason, once.
  const told = await eventually(async () => {
    const emails = (await payments.stack.readOutbox()).filter((email) => recipientsOf(email).includes(customer.email));
    return emails.length > 0 ? emails : undefined;
  }, { what: 'the customer told of the decline' });
  await payments.stack.client.workflow.getHandle(`request-${created.id}`).result();
  expect((await payments.stack.readOutbox()).filter((email) => recipientsOf(email).includes(customer.email))).toHaveLength(1);
  expect(told[0]?.subject).toMatch(new RegExp(`^Votre demande ${created.number} — Imprimerie Lumière `));
  expect(told[0]?.text).toContain('Motif\u202f: «\u202fHors zone\u202f»');
  // A request declined and its customer told (patch customer-confirmations): the history CI replays (test/replay/record.ts).
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    await saveClosedHistory(payments.stack.client.workflow, `request-${created.id}`, 'request-declined-confirmed');
  }
});

it("without assignee: the tenant's notification address hears of the answered proposal, and the customer of the confirmation", async () => {
  const notifyEmail = `ventes-${unique()}@lumiere.test`;
  // Bad input is refused and changes nothing; a good address is kept and shown.
  const bad = await office.api.PATCH('/v1/settings', { body: { notifyEmail: 'ventes at lumiere' } });
  expect(bad.response.status).toBe(400);
  expect(bad.error?.errors).toEqual([expect.objectContaining({ path: 'notifyEmail' })]);
  expect((await succeeded(office.api.GET('/v1/settings'), 200)).notifyEmail).toBeNull();
  expect((await succeeded(office.api.PATCH('/v1/settings', { body: { notifyEmail } }), 200)).notifyEmail).toBe(notifyEmail);

  try {
    const customer = await customerWith();
    const created = await newRequest(customer.id, { assigneeId: undefined, billing: 'invoice' });
    expect((await payments.stack.prisma.document.findUniqueOrThrow({ where: { id: created.id } })).assigneeId).toBeNull();
    await received(created.id);
    await proposePrice(created.id, 12000);
    expect((await answer(await proposalLink(customer.email), 'accept')).status).toBe(200);
    const notice = await eventually(
      async () => (await payments.stack.readOutbox()).find((email) => recipientsOf(email).includes(notifyEmail)),
      { what: "the tenant's address told of the answer" },
    );
    expect(notice.subject).toBe(`Demande ${created.number} acceptée au prix proposé par Åsa Öberg AB`);

    await succeeded(confirm(created.id), 200);
    const confirmation = await eventually(
      async () => (await payments.stack.readOutbox()).find((email) => recipientsOf(email).includes(customer.email) && email.subject.includes('confirmée')),
      { what: 'the customer told of the confirmation' },
    );
    expect(confirmation.subject).toMatch(new RegExp(`^Votre demande ${created.number} est confirmée — Imprimerie Lumière `));
  } finally {
    expect((await succeeded(office.api.PATCH('/v1/settings', { body: { notifyEmail: null } }), 200)).notifyEmail).toBeNull();
  }
});

it('statistics leave out requests handled without a price proposal', async () => {
  const before = await stats();
  const customer = await customerWith();
  const blind = await newRequest(customer.id, { billing: 'invoice' });
  await received(blind.id);
  const confirmed = await succeeded(confirm(blind.id), 200);
  expect(confirmed).toMatchObject({ status: 'confirmed', handledWithoutProposal: true, paymentStatus: null });
  const after = await stats();
  expect(after.confirmed).toBe(before.confirmed);
  expect(after.excludedWithoutProposal).toBe(before.excludedWithoutProposal + 1);
});

it("a customer's message marks the request unread, until the seller's next move", async () => {
  const customer = await customerWith();
  const created = await newRequest(customer.id);
  await received(created.id);
  await proposePrice(created.id, 5000);
  const link = await proposalLink(customer.email);
  expect((await requestOf(created.id)).unread).toBe(false);

  const written = await fetch(`${link}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ body: 'Pouvez-vous venir jeudi plutôt ?' }),
  });
  expect(written.status).toBe(201);
  const unread = await eventually(async () => {
    const seen = await requestOf(created.id);
    return seen.unread ? seen : undefined;
  }, { what: 'the request unread' });
  // Still waiting for the answer to the proposal: the message changes the mark, not the box.
  expect(unread).toMatchObject({ status: 'awaiting_response', box: 'awaiting_response' });

  const answered = await succeeded(office.api.POST('/v1/requests/{id}/messages', { ...withId(created.id), body: { body: 'Jeudi nous convient.' } }), 200);
  expect(answered).toMatchObject({ status: 'awaiting_response', unread: false });
});

it('labels and internal notes stay in the team; the conversation reaches the customer and takes the request in hand', async () => {
  const customer = await customerWith();
  const created = await newRequest(customer.id);
  await received(created.id);
  const labelled = await succeeded(office.api.POST('/v1/requests/{id}/labels', { ...withId(created.id), body: { add: ['client-vip-secret'] } }), 200);
  expect(labelled.labels).toEqual(['client-vip-secret']);
  const noted = await succeeded(office.api.POST('/v1/requests/{id}/notes', { ...withId(created.id), body: { body: 'Note interne : marge faible' } }), 200);
  expect(noted.notes.map((note) => note.body)).toEqual(['Note interne : marge faible']);
  expect(noted.status).toBe('pending');

  const written = await succeeded(office.api.POST('/v1/requests/{id}/messages', { ...withId(created.id), body: { body: 'Nous préparons votre devis.' } }), 200);
  expect(written).toMatchObject({ status: 'in_progress', box: 'in_progress' });
  await proposePrice(created.id, 5000);

  const link = await proposalLink(customer.email);
  const page = await fetch(link);
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(html).not.toContain('client-vip-secret');
  expect(html).not.toContain('marge faible');
  expect(html).not.toContain('undefined');
  // The customer answers a price proposal, not a quote (the customer's locale here: fr).
  expect(html).toContain('Accepter la proposition de prix');
  const conversation = (await (await fetch(`${link}/messages`, { headers: { accept: 'application/json' } })).json()) as { data: { body: string }[] };
  expect(conversation.data.map((message) => message.body)).toEqual(['Nous préparons votre devis.']);

  // The page offers the answer as plain forms (no JavaScript needed): refusing by form works too.
  expect(Object.keys(formFields(html, 'accept')).length).toBeGreaterThan(0);
  const refused = await fetch(`${link}/refuse`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(formFields(html, 'refuse')) });
  expect(refused.status).toBe(200);
  const after = await refused.text();
  expect(after).not.toContain('client-vip-secret');
  expect(after).not.toContain('undefined');
  expect(await requestOf(created.id)).toMatchObject({ status: 'proposal_declined', outcome: 'declined' });
});
