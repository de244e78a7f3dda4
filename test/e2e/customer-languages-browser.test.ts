/**
 * The customer's side in each language (issue 14), in a real browser: a quote sent to a French,
 * an English and a Swedish customer is read on a phone in their language, accepted, and
 * answered with the one banner that says where it stands — then confirmed by email in the
 * same language. Screenshots are kept in .data/screenshots (languages-<locale>-quote.png,
 * languages-<locale>-accepted.png) for a person to look at.
 */
import { MESSAGES } from '../../api/portal/i18n';
import { DEFAULT_TEMPLATES } from '../../services/notify/templates';
import { keepScreenshot, onAPhone, PHONE } from '../support/browser';
import { customerBrowserWorld } from '../support/customer-browser-world';
import { eventually } from '../support/eventually';
import { readOutbox, recipientsOf } from '../support/outbox';
import { type LineInput } from '../integration/portal-fixtures';

const world = customerBrowserWorld();

const READERS = [
  { locale: 'fr', browserLocale: 'fr-FR', title: 'Affiches du salon', line: 'Affiches A2, papier satiné' },
  { locale: 'en', browserLocale: 'en-GB', title: 'Trade fair posters', line: 'A2 posters, satin paper' },
  { locale: 'sv', browserLocale: 'sv-SE', title: 'Mässaffischer', line: 'A2-affischer, satinpapper' },
] as const;

it.each(READERS)('a $locale customer reads the quote in their language on a phone, accepts it and is confirmed in it', async ({ locale, browserLocale, title, line }) => {
  const words = MESSAGES[locale];
  const lines: LineInput[] = [{ description: line, quantity: 25, unitPrice: 450, taxRate: 20 }];
  const { documentId, contactEmail } = await world.office.createQuote({ locale, title, lines });
  const { url } = await world.office.sendQuote(documentId, contactEmail);
  const { number } = await world.office.document(documentId);

  const page = await world.browser.newPage(onAPhone(browserLocale));
  await page.goto(url);
  await page.getByRole('heading', { name: title }).waitFor({ state: 'visible' });
  expect(await page.locator('html').getAttribute('lang')).toBe(locale);
  await page.getByText(line).waitFor({ state: 'visible' });
  await page.getByRole('row', { name: new RegExp(words.grossTotal) }).waitFor({ state: 'visible' });
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  await keepScreenshot(page, `languages-${locale}-quote`);

  await page.getByRole('button', { name: words.accept }).click();
  await page.getByText(words.decided.accept).waitFor({ state: 'visible' });
  // One banner says where the quote stands and what happens next.
  await expect(page.locator('.banner').count()).resolves.toBe(1);
  await keepScreenshot(page, `languages-${locale}-accepted`);
  await page.close();

  // The confirmation reaches the customer in their language, once.
  const subjectStart = DEFAULT_TEMPLATES.confirmation_accepted[locale].subject.split('{{seller}}')[0]?.replace('{{number}}', number) as string;
  const confirmations = await eventually(
    async () => {
      const found = (await readOutbox(world.stack.outboxUrl)).filter((email) => recipientsOf(email).includes(contactEmail) && email.subject.startsWith(subjectStart));
      return found.length > 0 ? found : undefined;
    },
    { what: `the ${locale} confirmation of ${number}` },
  );
  expect(confirmations).toHaveLength(1);
});
