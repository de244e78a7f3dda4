/**
 * Views the seller can trust: opening a link records a doubtful open and changes nothing
 * else; mail scanners (known user agents, HEAD requests) stay doubtful whatever they do; the
 * page's report of a person using it, or the customer acting, is the one counted view.
 */
import { randomUUID } from 'node:crypto';
import escapeHtml from 'escape-html';
import { MESSAGES } from '../../api/portal/i18n';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../support/eventually';
import { succeeded } from '../support/api';
import { postPortalDecision } from '../support/http';
import { PHONE_BROWSER_AGENT, reportSeen, viewIdOf } from '../support/page-views';
import { backOffice, formFields, SAMPLE_LINES, type BackOffice, type SentQuote } from './portal-fixtures';

const SAFE_LINKS_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) BingPreview/1.0b';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
});
afterAll(() => stack?.close());

async function sentQuote(options: { sentSecondsAgo: number }): Promise<SentQuote> {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'en', lines: SAMPLE_LINES });
  const quote = await office.sendQuote(documentId, contactEmail);
  // When the quote went out decides whether an open is "seconds after sending".
  await stack.prisma.document.update({ where: { id: documentId }, data: { sentAt: new Date(Date.now() - options.sentSecondsAgo * 1000) } });
  return quote;
}

async function open(quote: SentQuote, userAgent: string, method: 'GET' | 'HEAD' = 'GET'): Promise<Response> {
  const response = await fetch(quote.url, { method, headers: { 'user-agent': userAgent } });
  expect(response.status).toBe(200);
  return response;
}

const eventsOf = async (quote: SentQuote, type: string) => (await office.events(quote.documentId)).filter((event) => event.type === type);

it('keeps an open as doubtful and counts the view once the page reports a person, once per page view', async () => {
  const quote = await sentQuote({ sentSecondsAgo: 3600 });
  const response = await open(quote, PHONE_BROWSER_AGENT);
  expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
  const viewId = viewIdOf(await response.text());

  // The open is in the history with its time, address and browser, and moves nothing.
  const [opened, ...more] = await stack.prisma.auditEvent.findMany({ where: { documentId: quote.documentId, type: 'opened' } });
  expect(more).toHaveLength(0);
  expect(opened).toMatchObject({ userAgent: PHONE_BROWSER_AGENT, actor: expect.stringMatching(/^customer:lnk_/) });
  expect(opened?.data).toMatchObject({ viewId, human: false, counted: false, reason: 'unconfirmed' });
  expect(await office.document(quote.documentId)).toMatchObject({ status: 'sent', openCount: 1, viewCount: 0, lastViewedAt: null });
  expect((await eventsOf(quote, 'opened')).map((event) => event.confirmed)).toEqual([false]);

  expect(await reportSeen(quote.url, viewId)).toEqual({ status: 200, body: { counted: true } });
  const viewed = await eventually(
    async () => {
      const document = await office.document(quote.documentId);
      return document.status === 'viewed' && document.viewCount === 1 ? document : undefined;
    },
    { what: 'the human view to move the quote to viewed' },
  );
  expect(viewed.lastViewedAt).not.toBeNull();
  const [human] = await eventsOf(quote, 'viewed');
  expect(human?.data).toMatchObject({ eventId: viewId });

  // The same page reporting again, and two reports of another page at once: one view each.
  expect(await reportSeen(quote.url, viewId)).toEqual({ status: 200, body: { counted: false } });
  const secondViewId = viewIdOf(await (await open(quote, PHONE_BROWSER_AGENT)).text());
  const racing = await Promise.all([reportSeen(quote.url, secondViewId), reportSeen(quote.url, secondViewId)]);
  expect(racing.map((answer) => (answer.body as { counted: boolean }).counted).sort()).toEqual([false, true]);
  await eventually(async () => ((await office.document(quote.documentId)).viewCount === 2 ? true : undefined), { what: 'the second human view' });
  expect((await eventsOf(quote, 'viewed')).map((event) => event.data.eventId)).toEqual([viewId, secondViewId]);

  // A third open nobody used: three opens, two of them confirmed, in the document, the list and the trail.
  await open(quote, PHONE_BROWSER_AGENT);
  const { customerId } = await office.document(quote.documentId);
  expect(await office.document(quote.documentId)).toMatchObject({ openCount: 3, viewCount: 2 });
  const listed = await succeeded(office.api.GET('/v1/documents', { params: { query: { customerId } } }), 200);
  expect(listed.data).toEqual([expect.objectContaining({ id: quote.documentId, openCount: 3, viewCount: 2 })]);
  expect((await eventsOf(quote, 'opened')).map((event) => [event.data.viewId === viewId || event.data.viewId === secondViewId, event.confirmed])).toEqual([
    [true, true],
    [true, true],
    [false, false],
  ]);
});

it('keeps scanners, HEAD requests and opens seconds after sending as doubtful, never counted', async () => {
  const quote = await sentQuote({ sentSecondsAgo: 2 });
  const scannerViewId = viewIdOf(await (await open(quote, SAFE_LINKS_AGENT)).text());
  await open(quote, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36', 'HEAD');
  await open(quote, PHONE_BROWSER_AGENT);
  // Some scanners run the page's script; one that even reports is still a scanner.
  expect(await reportSeen(quote.url, scannerViewId, SAFE_LINKS_AGENT)).toEqual({ status: 200, body: { counted: false } });
  // A scanner following the PDF link: kept as such, not counted, not a customer's download.
  expect((await fetch(`${quote.url}/pdf`, { headers: { 'user-agent': 'curl/8.5.0' } })).status).toBe(200);

  const opens = await eventsOf(quote, 'opened');
  expect(opens.map((event) => [event.data.reason, event.data.human, event.data.counted, event.confirmed])).toEqual([
    ['known-scanner', false, false, false],
    ['head', false, false, false],
    ['just-sent', false, false, false],
  ]);
  const downloads = await eventsOf(quote, 'downloaded');
  expect(downloads.map((event) => event.data)).toEqual([expect.objectContaining({ human: false, reason: 'known-scanner', counted: false })]);
  expect(await eventsOf(quote, 'viewed')).toHaveLength(0);
  expect(await office.document(quote.documentId)).toMatchObject({ status: 'sent', openCount: 3, viewCount: 0, downloadCount: 0, lastViewedAt: null });
});

it('counts the page a customer decides on as viewed first, without any script', async () => {
  const quote = await sentQuote({ sentSecondsAgo: 3600 });
  const page = await (await open(quote, PHONE_BROWSER_AGENT)).text();
  const response = await fetch(`${quote.url}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': PHONE_BROWSER_AGENT },
    body: new URLSearchParams(formFields(page, 'accept')).toString(),
  });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain(escapeHtml(MESSAGES.en.decided.accept));

  const types = (await office.events(quote.documentId)).map((event) => event.type).filter((type) => type !== 'notified');
  expect(types).toEqual(['sent', 'opened', 'viewed', 'accepted']);
  expect(await office.document(quote.documentId)).toMatchObject({ status: 'accepted', openCount: 1, viewCount: 1 });
  expect((await eventsOf(quote, 'opened')).map((event) => event.confirmed)).toEqual([true]);
  // The view the decision confirmed is taken: the page's late report counts nothing more.
  expect(await reportSeen(quote.url, viewIdOf(page))).toEqual({ status: 200, body: { counted: false } });
});

it('counts the page a customer decides on also when the decision is refused', async () => {
  const quote = await sentQuote({ sentSecondsAgo: 3600 });
  await open(quote, PHONE_BROWSER_AGENT);
  expect(await postPortalDecision(quote.url, 'hold')).toMatchObject({ status: 200, body: { status: 'on_hold' } });
  // Recorded behind the answer: the trail has it before the page is opened again.
  await eventually(async () => ((await office.document(quote.documentId)).status === 'on_hold' ? true : undefined), { what: 'the hold recorded' });
  // Opened again, and put on hold again: the quote refuses, and the page read is still a view.
  await open(quote, PHONE_BROWSER_AGENT);
  expect(await postPortalDecision(quote.url, 'hold', { decisionId: randomUUID() })).toMatchObject({ status: 409, body: { detail: 'The quote is already on hold' } });

  const counted = await eventually(
    async () => {
      const document = await office.document(quote.documentId);
      return document.viewCount === 2 ? document : undefined;
    },
    { what: 'both pages counted as viewed' },
  );
  expect(counted).toMatchObject({ status: 'on_hold', openCount: 2 });
  expect((await eventsOf(quote, 'opened')).map((event) => event.confirmed)).toEqual([true, true]);
  const types = (await office.events(quote.documentId)).map((event) => event.type).filter((type) => type !== 'notified');
  expect(types).toEqual(['sent', 'opened', 'viewed', 'put_on_hold', 'opened', 'viewed']);
});

it('refuses reports of views that were not opened through the link', async () => {
  const quote = await sentQuote({ sentSecondsAgo: 3600 });
  const other = await sentQuote({ sentSecondsAgo: 3600 });
  const othersViewId = viewIdOf(await (await open(other, PHONE_BROWSER_AGENT)).text());

  expect((await reportSeen(quote.url, randomUUID())).status).toBe(404);
  expect((await reportSeen(quote.url, othersViewId)).status).toBe(404);
  const notJson = await fetch(`${quote.url}/seen`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `viewId=${othersViewId}` });
  expect(notJson.status).toBe(415);
  expect((await reportSeen(quote.url, 'not-a-view-id')).status).toBe(400);

  expect(await office.document(quote.documentId)).toMatchObject({ status: 'sent', viewCount: 0 });
  expect(await office.document(other.documentId)).toMatchObject({ status: 'sent', viewCount: 0 });
});
