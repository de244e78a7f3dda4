/**
 * The customer's pages are axe-clean (WCAG 2.1 A and AA rules of axe-core, through
 * @axe-core/playwright): a quote before and after its answer, on a phone and a desktop, and a
 * 16-page proof with its thumbnails, zoom and decision bar. axe is injected by the test's own
 * browser context, which may bypass the portal's CSP for that (the pages keep theirs).
 */
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { MESSAGES } from '../../api/portal/i18n';
import { onADesktop, onAPhone } from '../support/browser';
import { sentTextProof } from '../support/proof-uploads';
import { proofBrowserWorld } from '../support/proof-viewer';
import { backOffice, SAMPLE_LINES } from '../integration/portal-fixtures';

const world = proofBrowserWorld('Imprimerie Accessible');

/** A page in a context of its own (axe asks for one), which lets the test inject axe past the portal's CSP. */
async function openPage(options: BrowserContextOptions): Promise<Page> {
  const context = await world.browser.newContext({ ...options, bypassCSP: true });
  return context.newPage();
}

/** What axe finds against WCAG 2.1 A/AA on the page as it is now: each rule broken, with where. */
async function violations(page: Page): Promise<string[]> {
  const { violations: found, passes } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  // axe did check the page: rules such as contrast, names and landmarks passed on it.
  expect(passes.map((rule) => rule.id)).toEqual(expect.arrayContaining(['color-contrast', 'document-title', 'html-has-lang']));
  return found.map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

it.each([
  ['a phone', onAPhone('fr-FR')],
  ['a desktop', onADesktop('fr-FR')],
] as const)('a quote reads axe-clean on %s, before and after it is accepted', async (_screen, screen) => {
  const office = await backOffice(world.stack);
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: SAMPLE_LINES });
  const { url } = await office.sendQuote(documentId, contactEmail);
  const page = await openPage(screen);
  await page.goto(url);
  await page.getByRole('button', { name: MESSAGES.fr.accept }).waitFor({ state: 'visible' });
  expect(await violations(page)).toEqual([]);

  await page.getByRole('button', { name: MESSAGES.fr.accept }).click();
  await page.getByText(MESSAGES.fr.decided.accept).waitFor({ state: 'visible' });
  expect(await violations(page)).toEqual([]);
  await page.context().close();
});

it('a 16-page proof reads axe-clean, its zoom view open too', async () => {
  const proof = await sentTextProof(world.stack, world.apiKey, world.recipient, 16);
  const page = await openPage(onADesktop('fr-FR'));
  await page.goto(proof.url);
  await page.locator('figure[data-page="1"] img').first().waitFor({ state: 'visible' });
  expect(await violations(page)).toEqual([]);

  await page.locator('figure[data-page="1"] img').first().click();
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  expect(await violations(page)).toEqual([]);
  await page.context().close();
});
