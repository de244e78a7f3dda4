/**
 * The whole story of a quote over HTTP, as a print shop's back office and its customer live
 * it: the back office creates a customer, a contact, a salesperson and a quote, and sends
 * it; the customer gets the email, opens the link, reads and accepts; the back office sees the
 * quote accepted with its history, and the salesperson was told by email.
 */
import { documentEvents, type GreenlightClient, greenlightClient, succeeded } from '../support/api';
import { postPortalDecision } from '../support/http';
import { recipientsOf } from '../support/outbox';
import { createQuoteScenario, emailTo, portalLinkIn, type QuoteScenario } from '../support/quote-scenario';
import { eventually } from '../support/eventually';
import { PHONE_BROWSER_AGENT, reportSeen, viewIdOf } from '../support/page-views';
import { startStack, type Stack } from '../support/stack';
import { quoteRunOver } from '../support/quote-run';

describe('a quote from the API to the customer’s decision', () => {
  let stack: Stack;
  let api: GreenlightClient;
  let quote: QuoteScenario;

  beforeAll(async () => {
    stack = await startStack();
    const tenant = await stack.createTenant('Imprimerie Durand');
    api = greenlightClient(stack.baseUrl, tenant.apiKey);
    quote = await createQuoteScenario(api);
  }, 120_000);
  afterAll(() => stack?.close());

  const documentNow = () => succeeded(api.GET('/v1/documents/{id}', { params: { path: { id: quote.documentId } } }));

  it('is sent, opened, accepted, and recorded in order', async () => {
    expect(await documentNow()).toMatchObject({ status: 'draft', totals: { net: 20250, tax: 4050, gross: 24300, currency: 'EUR' } });

    const sent = await api.POST('/v1/documents/{id}/send', { params: { path: { id: quote.documentId } }, body: {} });
    expect(sent.response.status).toBe(202);

    // The customer reads the email the workflow sent, and follows its link.
    const email = await emailTo(stack.readOutbox, quote.contactEmail);
    expect(email.subject).toContain(quote.number);
    const link = portalLinkIn(email, stack.config.publicUrl);
    // The email goes out just before the workflow records the quote as sent.
    await eventually(async () => ((await documentNow()).status === 'sent' ? true : undefined), {
      what: 'the quote to be sent',
    });
    const page = await fetch(link, { headers: { 'user-agent': PHONE_BROWSER_AGENT } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Flyers A5 recto-verso, 135 g');
    // Opening is not reading (a mail scanner opens links too): the quote stays sent until the
    // page reports a person using it, as its script does on the first tap.
    expect(await documentNow()).toMatchObject({ status: 'sent', viewCount: 0 });
    expect(await reportSeen(link, viewIdOf(html))).toEqual({ status: 200, body: { counted: true } });
    await eventually(async () => ((await documentNow()).status === 'viewed' ? true : undefined), {
      what: 'the quote to be viewed',
    });

    const accepted = await postPortalDecision(link, 'accept', { decisionId: `story-${quote.documentId}` });
    expect(accepted).toEqual({ status: 200, body: { status: 'accepted', decisionId: `story-${quote.documentId}` } });
    // The answer is the decision's own; the run ends once its record is written.
    await quoteRunOver(stack, quote.documentId);

    const document = await documentNow();
    expect(document).toMatchObject({ status: 'accepted', viewCount: 1 });
    expect(document.lastViewedAt).not.toBeNull();

    const events = await documentEvents(api, quote.documentId);
    const story = events.filter((event) => ['sent', 'opened', 'viewed', 'accepted'].includes(event.type));
    expect(story.map((event) => event.type)).toEqual(['sent', 'opened', 'viewed', 'accepted']);
    expect(story.map((event) => event.seq)).toEqual([...story.map((event) => event.seq)].sort((a, b) => a - b));

    // The salesperson asked for emails on views and decisions: both arrive, the decision naming the quote.
    const notifications = await eventually(
      async () => {
        const mine = (await stack.readOutbox()).filter((message) => recipientsOf(message).includes(quote.userEmail));
        return mine.length >= 2 ? mine : undefined;
      },
      { what: 'the salesperson’s view and decision notifications' },
    );
    expect(notifications).toHaveLength(2);
    expect(notifications.every((message) => message.subject.includes(quote.number))).toBe(true);
  });
});
