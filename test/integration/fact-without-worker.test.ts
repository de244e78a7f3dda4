/**
 * A fact the API records through its own workflow (workflows/fact.ts) needs a worker. With none
 * up, the request answers 503 within its bound instead of hanging; once a worker is back, the
 * same request (same Idempotency-Key) gets its record, and the trail holds it once.
 */
import { randomUUID } from 'node:crypto';
import { eventually } from '../support/eventually';
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { createQuoteScenario, type QuoteScenario } from '../support/quote-scenario';
import { startStack, type Stack } from '../support/stack';
import { WorkerProcesses } from '../support/worker-process';

describe('a seller message while no worker runs', () => {
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

  it('answers 503 rather than hanging, and the resend is recorded once a worker is back', async () => {
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

    const events = await succeeded(api.GET('/v1/documents/{id}/events', { params: { path: { id: quote.documentId } } }));
    expect(events.filter((event) => event.type === 'message')).toHaveLength(1);
    expect(await succeeded(api.GET('/v1/documents/{id}/messages', { params: { path: { id: quote.documentId } } }))).toHaveLength(1);
  }, 180_000);
});
