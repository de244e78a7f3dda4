/**
 * Views as people make them, in a real browser (Debian's Chromium driven by playwright-core):
 * a reader at a desk who only moves the mouse while reading is counted as having viewed the
 * quote; a page left alone, or a pointer placed by a script in one jump and a quick burst,
 * stays an open (api/portal/view-beacon.ts says where the lines are). The seller sees both:
 * openCount beside viewCount, and each open in the trail confirmed or not.
 */
import type { Page } from 'playwright-core';
import { onADesktop } from '../support/browser';
import { customerBrowserWorld } from '../support/customer-browser-world';
import { eventually } from '../support/eventually';
import { SAMPLE_LINES, type SentQuote } from '../integration/portal-fixtures';

const world = customerBrowserWorld();

async function sentQuote(): Promise<SentQuote> {
  const { documentId, contactEmail } = await world.office.createQuote({ locale: 'en', lines: SAMPLE_LINES });
  const quote = await world.office.sendQuote(documentId, contactEmail);
  // Opened an hour after sending, as a person does: not the "seconds after sending" of a scanner.
  await world.stack.prisma.document.update({ where: { id: documentId }, data: { sentAt: new Date(Date.now() - 3600_000) } });
  return quote;
}

/** The quote read on a desktop, with every report the page sends that a person uses it. */
async function openOnADesktop(quote: SentQuote): Promise<{ page: Page; reports: string[] }> {
  const page = await world.browser.newPage(onADesktop('en-GB'));
  const reports: string[] = [];
  page.on('request', (request) => {
    if (request.url() === `${quote.url}/seen`) reports.push(request.postData() ?? '');
  });
  await page.goto(quote.url);
  await page.getByRole('heading', { name: 'Brochures de printemps' }).waitFor({ state: 'visible' });
  return { page, reports };
}

const opensOf = async (quote: SentQuote) => (await world.office.events(quote.documentId)).filter((event) => event.type === 'opened');

it('counts a desktop reader who only moves the mouse while reading as having viewed the quote', async () => {
  const quote = await sentQuote();
  const { page, reports } = await openOnADesktop(quote);
  const viewId = await page.locator('script[data-view]').getAttribute('data-view');
  expect(await world.office.document(quote.documentId)).toMatchObject({ status: 'sent', openCount: 1, viewCount: 0 });

  // A hand moving the mouse down the lines: a move every other frame, 24 of them, about 0.7 s, 270 px.
  await page.mouse.move(300, 200);
  for (let step = 1; step <= 24; step += 1) {
    await page.mouse.move(300 + step * 10, 200 + step * 5);
    await page.waitForTimeout(30);
  }

  const viewed = await eventually(
    async () => {
      const document = await world.office.document(quote.documentId);
      return document.status === 'viewed' && document.viewCount === 1 ? document : undefined;
    },
    { what: 'the mouse movement to count as a view' },
  );
  expect(viewed).toMatchObject({ openCount: 1, viewCount: 1 });
  expect(reports).toEqual([JSON.stringify({ viewId })]);
  expect((await opensOf(quote)).map((event) => [event.data.viewId, event.data.reason, event.confirmed])).toEqual([[viewId, 'unconfirmed', true]]);
  await page.close();
});

it('keeps a page nobody used, or whose pointer a script placed, as an open the seller sees unconfirmed', async () => {
  const quote = await sentQuote();

  // Opened and left alone, then closed: nothing reported.
  const idle = await openOnADesktop(quote);
  await idle.page.waitForTimeout(1_000);
  await idle.page.close();

  // A script placing the pointer: one jump, then a burst of five moves sent at once.
  const placed = await openOnADesktop(quote);
  await placed.page.mouse.move(640, 400);
  await placed.page.mouse.move(900, 600, { steps: 5 });
  await placed.page.waitForTimeout(1_000);
  await placed.page.close();

  // The page reports through `fetch` as it happens: none started means none will arrive.
  expect([...idle.reports, ...placed.reports]).toEqual([]);
  expect(await world.office.document(quote.documentId)).toMatchObject({ status: 'sent', openCount: 2, viewCount: 0, lastViewedAt: null });
  expect((await opensOf(quote)).map((event) => [event.data.human, event.data.reason, event.confirmed])).toEqual([
    [false, 'unconfirmed', false],
    [false, 'unconfirmed', false],
  ]);
});
