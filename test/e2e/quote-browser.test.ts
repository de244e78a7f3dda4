/**
 * A customer in a real browser (Debian's Chromium driven by playwright-core): the quote
 * created and sent through the API, the link read from the email in the outbox, the page
 * read on a phone (its first tap the one counted view), the PDF downloaded, the quote
 * accepted, and the accepted state shown.
 * Screenshots are kept in .data/screenshots (portal.png before deciding, portal-accepted.png after) for a
 * person to look at.
 */
import { readFile } from 'node:fs/promises';
import { formatMoney } from '../../domain/money';
import { MESSAGES } from '../../api/portal/i18n';
import { onAPhone, PHONE, keepScreenshot } from '../support/browser';
import { customerBrowserWorld } from '../support/customer-browser-world';
import { eventually } from '../support/eventually';
import { SAMPLE_LINES } from '../integration/portal-fixtures';

const world = customerBrowserWorld();

it('opens the emailed link on a phone, downloads the PDF, accepts, and sees the quote accepted', async () => {
  const t = MESSAGES.fr;
  const { documentId, contactEmail } = await world.office.createQuote({ locale: 'fr', lines: SAMPLE_LINES });
  const { url } = await world.office.sendQuote(documentId, contactEmail);

  const page = await world.browser.newPage(onAPhone('fr-FR'));
  await page.goto(url);

  await expectVisible(page.getByRole('heading', { name: 'Brochures de printemps' }));
  for (const line of SAMPLE_LINES) await expectVisible(page.getByText(line.description, { exact: false }).first());
  // 1 004,98 € net + 191,00 € + 2,75 € of tax.
  const gross = formatMoney(119873, 'EUR', 'fr');
  await expectVisible(page.getByRole('row', { name: new RegExp(`${t.grossTotal}`) }));
  expect((await page.getByRole('row', { name: new RegExp(t.grossTotal) }).innerText()).replace(/\s+/g, ' ')).toContain(gross);
  // Nothing is wider than the phone: no sideways scrolling to read a quote.
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  await keepScreenshot(page, 'portal');
  // Shown but not touched yet: an open, not a view (a scanner running the script gets this far).
  const viewId = await page.locator('script[data-view]').getAttribute('data-view');
  expect(await world.office.document(documentId)).toMatchObject({ status: 'sent', viewCount: 0 });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: t.downloadPdf }).click()]);
  const pdf = await readFile(await download.path());
  expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);

  await page.getByRole('button', { name: t.accept }).click();
  await expectVisible(page.getByText(t.decided.accept));
  await expectVisible(page.locator('.banner.accepted'));
  await expect(page.getByRole('button', { name: t.accept }).count()).resolves.toBe(0);
  await keepScreenshot(page, 'portal-accepted');

  // The answer stands at the address the form posted to; opening the link again shows the
  // same accepted state, as the back office sees it.
  expect(page.url()).toBe(`${url}/accept`);
  await page.goto(`${url}/accept`);
  expect(page.url()).toBe(url);
  await expectVisible(page.locator('.banner.accepted'));
  // The first tap made the first page a view; the second page was only opened. The accept
  // taken from the first page confirms nothing more: one human view.
  const counted = await eventually(
    async () => {
      const current = await world.office.document(documentId);
      return current.downloadCount === 1 && current.viewCount === 1 ? current : undefined;
    },
    { what: 'the human view and the download to be counted' },
  );
  expect(counted.status).toBe('accepted');
  const events = await world.office.events(documentId);
  expect(events.filter((event) => event.type === 'opened')).toHaveLength(2);
  expect(events.filter((event) => event.type === 'viewed').map((event) => event.data.eventId)).toEqual([viewId]);
  await page.close();
});

async function expectVisible(locator: { isVisible(): Promise<boolean>; waitFor(options: { state: 'visible' }): Promise<void> }): Promise<void> {
  await locator.waitFor({ state: 'visible' });
  expect(await locator.isVisible()).toBe(true);
}
