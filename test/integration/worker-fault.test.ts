/**
 * The worker dies the hard way (SIGKILL: no shutdown, tasks in flight lost) after the quote
 * is sent and before the customer decides. The customer's view and accept arrive while no
 * worker runs; once a new worker process is up, the accept is answered, and the history
 * holds each fact exactly once: Temporal kept the workflow, nothing was lost or doubled.
 * Then no worker at all: a fact the API records through its own workflow (workflows/fact.ts)
 * answers 503 within its bound instead of hanging, and the same request once a worker is back
 * gets its record, kept once.
 *
 * And the fast path: a decision answers once the workflow took it, its record, notices and
 * webhooks behind the answer (workflows/story.ts). Twenty accepts at once (double clicks on one
 * form, and two forms of one quote) with the worker killed as the first answers come back: each
 * quote accepted once, one `accepted` event, one webhook delivery, its trail in order.
 */
import { randomUUID } from 'node:crypto';
import { eventually } from '../support/eventually';
import { documentEvents, documentMessages, greenlightClient, type GreenlightClient, succeeded } from '../support/api';
import { postPortalDecision } from '../support/http';
import { recipientsOf } from '../support/outbox';
import { createQuoteScenario, emailTo, portalLinkIn, type QuoteScenario } from '../support/quote-scenario';
import { startStack, type Stack } from '../support/stack';
import { startReceiver, type Receiver } from '../support/webhook-receiver';
import { killHard, WorkerProcesses } from '../support/worker-process';
import { quoteRunOver } from '../support/quote-run';

describe('a worker killed between the send and the customer’s decision', () => {
  let stack: Stack;
  let api: GreenlightClient;
  let quote: QuoteScenario;
  const workers = new WorkerProcesses();

  beforeAll(async () => {
    stack = await startStack({ inProcessWorker: false });
    api = greenlightClient(stack.baseUrl, (await stack.createTenant('Imprimerie Durand')).apiKey);
    quote = await createQuoteScenario(api);
  }, 120_000);
  afterAll(async () => {
    await workers.stopAll();
    await stack?.close();
  });

  const eventsNow = () => documentEvents(api, quote.documentId);

  it('loses nothing and doubles nothing: the accept succeeds once a worker is back', async () => {
    const first = workers.start(stack, 'first');
    expect((await api.POST('/v1/documents/{id}/send', { params: { path: { id: quote.documentId } }, body: {} })).response.status).toBe(202);
    const email = await emailTo(stack.readOutbox, quote.contactEmail);
    // Sent means recorded too: the worker is idle then, waiting for the customer. (Killed in the
    // middle of an activity instead, the activity would be retried after its timeout.)
    await eventually(async () => (await eventsNow()).find((event) => event.type === 'sent'), {
      what: 'the sent event',
    });

    await killHard(first);

    const link = portalLinkIn(email, stack.config.publicUrl);
    expect((await fetch(link)).status).toBe(200);
    const decisionId = `fault-${quote.documentId}`;
    const accepting = postPortalDecision(link, 'accept', { decisionId });
    workers.start(stack, 'second');

    expect(await accepting).toEqual({ status: 200, body: { status: 'accepted', decisionId } });
    // The answer is the decision's; its record follows, and the run ends once it is written.
    await quoteRunOver(stack, quote.documentId);
    expect((await succeeded(api.GET('/v1/documents/{id}', { params: { path: { id: quote.documentId } } }))).status).toBe('accepted');

    const events = await eventsNow();
    const count = (type: string) => events.filter((event) => event.type === type).length;
    // The open is kept as it came (doubtful); accepting from it made it the customer's view.
    expect({ sent: count('sent'), opened: count('opened'), viewed: count('viewed'), accepted: count('accepted') }).toEqual({ sent: 1, opened: 1, viewed: 1, accepted: 1 });

    // The quote once and the confirmation of the acceptance once, though a worker died between them.
    const toCustomer = (await stack.readOutbox()).filter((message) => recipientsOf(message).includes(quote.contactEmail));
    expect(toCustomer.map((message) => message.subject).sort()).toEqual([expect.stringMatching(/^Devis .* accepté/), expect.stringMatching(/^Devis [^ ]+ — /)]);
  }, 180_000);

  it('answers a seller message 503 rather than hanging while no worker runs, and records the resend once a worker is back', async () => {
    await workers.stopAll();
    const key = randomUUID();
    const write = () =>
      api.POST('/v1/documents/{id}/messages', {
        params: { path: { id: quote.documentId }, header: { 'Idempotency-Key': key } },
        body: { body: 'Les épreuves arrivent demain.', internal: true },
      });

    const unanswered = await write();
    expect(unanswered.response.status).toBe(503);
    expect(unanswered.error).toMatchObject({ detail: expect.stringMatching(/retry the same request/) });

    workers.start(stack, 'late');
    const message = await eventually(async () => {
      const { data, response } = await write();
      return response.status === 201 ? data : undefined;
    }, { what: 'the message once a worker is up', timeoutMs: 120_000 });
    expect(message).toMatchObject({ body: 'Les épreuves arrivent demain.', internal: true });

    expect((await eventsNow()).filter((event) => event.type === 'message')).toHaveLength(1);
    expect(await documentMessages(api, quote.documentId)).toHaveLength(1);
  }, 180_000);
});

describe('a worker killed while accepts are answered ahead of their records', () => {
  let stack: Stack;
  let api: GreenlightClient;
  let receiver: Receiver;
  const workers = new WorkerProcesses();

  beforeAll(async () => {
    stack = await startStack({ inProcessWorker: false });
    api = greenlightClient(stack.baseUrl, (await stack.createTenant('Imprimerie Rapide')).apiKey);
    // The receiver listens on loopback, which a tenant must allow for its webhooks.
    await succeeded(api.PATCH('/v1/settings', { body: { allowPrivateWebhookUrls: true } }));
    receiver = await startReceiver();
  }, 120_000);
  afterAll(async () => {
    await workers.stopAll();
    await receiver?.close();
    await stack?.close();
  });

  const eventsOf = (documentId: string) => documentEvents(api, documentId);

  /** A click as a browser (or a client) makes it: the same decision id again when the answer was a server error. */
  async function click(link: string, decisionId: string): Promise<{ status: number; body: unknown }> {
    return eventually(
      async () => {
        const answer = await postPortalDecision(link, 'accept', { decisionId });
        return answer.status < 500 ? answer : undefined;
      },
      { what: `an answer to ${decisionId}`, timeoutMs: 120_000 },
    );
  }

  it('accepts each quote once: one accepted event, one webhook delivery, the trail in order', async () => {
    const endpoint = await succeeded(api.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['document.accepted'] } }));
    const first = workers.start(stack, 'fast-first');
    const quotes = await Promise.all(
      Array.from({ length: 10 }, async (_, index) => {
        const quote = await createQuoteScenario(api, `fast${index}-${randomUUID().slice(0, 6)}`);
        expect((await api.POST('/v1/documents/{id}/send', { params: { path: { id: quote.documentId } }, body: {} })).response.status).toBe(202);
        const link = portalLinkIn(await emailTo(stack.readOutbox, quote.contactEmail), stack.config.publicUrl);
        await eventually(async () => (await eventsOf(quote.documentId)).find((event) => event.type === 'sent'), { what: 'the sent event' });
        return { ...quote, link };
      }),
    );

    // Even quotes: one form submitted twice (one decision id). Odd ones: two forms (two ids), one of them too late.
    const clicks = quotes.flatMap((quote, index) => {
      const ids = index % 2 === 0 ? [`double-${quote.documentId}`, `double-${quote.documentId}`] : [`tab1-${quote.documentId}`, `tab2-${quote.documentId}`];
      return ids.map((decisionId) => click(quote.link, decisionId).then((answer) => ({ quote, decisionId, answer })));
    });
    // Killed as the first answers come back: decisions taken, their records still behind them.
    await Promise.race(clicks);
    await killHard(first);
    workers.start(stack, 'fast-second');
    const answers = await Promise.all(clicks);

    for (const quote of quotes) {
      const mine = answers.filter((answer) => answer.quote === quote);
      // Every answer says accepted: the decision's own, or the reason the other form came too late.
      for (const { answer, decisionId } of mine) {
        if (answer.status === 200) expect(answer.body).toEqual({ status: 'accepted', decisionId });
        else expect(answer).toMatchObject({ status: 409, body: { detail: 'The quote is already accepted' } });
      }
      expect(mine.some(({ answer }) => answer.status === 200)).toBe(true);
    }

    // Each run ends once everything behind its answer is written.
    await Promise.all(quotes.map((quote) => quoteRunOver(stack, quote.documentId)));
    for (const quote of quotes) {
      expect((await succeeded(api.GET('/v1/documents/{id}', { params: { path: { id: quote.documentId } } }))).status).toBe('accepted');
      const events = await eventsOf(quote.documentId);
      // Numbered in order, without gaps or doubles: sent first, one acceptance.
      expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
      expect(events[0]?.type).toBe('sent');
      expect(events.filter((event) => event.type === 'accepted')).toHaveLength(1);
      expect(events.filter((event) => event.type === 'refused')).toHaveLength(0);
    }

    // One delivery per acceptance, each delivered; the receiver heard each quote under one webhook id.
    const deliveries = await eventually(
      async () => {
        const listed = (await succeeded(api.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: endpoint.id } } }))).data;
        return listed.length >= quotes.length && listed.every((delivery) => delivery.status === 'delivered') ? listed : undefined;
      },
      { what: 'every acceptance delivered' },
    );
    expect(deliveries).toHaveLength(quotes.length);
    const heard = new Map<string, Set<string>>();
    for (const request of receiver.received) {
      const documentId = (JSON.parse(request.body) as { data: { document: { id: string } } }).data.document.id;
      heard.set(documentId, (heard.get(documentId) ?? new Set()).add(String(request.headers['webhook-id'])));
    }
    expect(new Set(heard.keys())).toEqual(new Set(quotes.map((quote) => quote.documentId)));
    for (const ids of heard.values()) expect(ids.size).toBe(1);
  }, 300_000);
});
