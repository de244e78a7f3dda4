/**
 * The worker dies the hard way (SIGKILL: no shutdown, tasks in flight lost) after the quote
 * is sent and before the customer decides. The customer's view and accept arrive while no
 * worker runs; once a new worker process is up, the accept is answered, and the history
 * holds each fact exactly once: Temporal kept the workflow, nothing was lost or doubled.
 * Then no worker at all: a fact the API records through its own workflow (workflows/fact.ts)
 * answers 503 within its bound instead of hanging, and the same request once a worker is back
 * gets its record, kept once.
 */
import { randomUUID } from 'node:crypto';
import { eventually } from '../support/eventually';
import { documentEvents, documentMessages, greenlightClient, type GreenlightClient, succeeded } from '../support/api';
import { postPortalDecision } from '../support/http';
import { recipientsOf } from '../support/outbox';
import { createQuoteScenario, emailTo, portalLinkIn, type QuoteScenario } from '../support/quote-scenario';
import { startStack, type Stack } from '../support/stack';
import { killHard, WorkerProcesses } from '../support/worker-process';

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
    expect((await succeeded(api.GET('/v1/documents/{id}', { params: { path: { id: quote.documentId } } }))).status).toBe('accepted');

    const events = await eventsNow();
    const count = (type: string) => events.filter((event) => event.type === type).length;
    // The open is kept as it came (doubtful); accepting from it made it the customer's view.
    expect({ sent: count('sent'), opened: count('opened'), viewed: count('viewed'), accepted: count('accepted') }).toEqual({ sent: 1, opened: 1, viewed: 1, accepted: 1 });

    const toCustomer = (await stack.readOutbox()).filter((message) => recipientsOf(message).includes(quote.contactEmail));
    expect(toCustomer).toHaveLength(1);
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
