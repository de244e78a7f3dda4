/**
 * Signing in a real browser (Debian's Chromium driven by playwright-core): a quote with two
 * optional lines, sent with a signature required. The customer downloads the PDF, ticks one
 * option and sees the total follow at once (the page's one script, admitted by the CSP),
 * draws a signature, ticks the consent and signs; the certificate downloads and holds the
 * SHA-256 this test computes itself from the PDF it downloaded. The tenant converts accepted
 * quotes by itself (autoConvertToOrder): the order exists with the chosen option and not the
 * other, and the chain shows both documents from the quote's link and from the order's own.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { formatMoney } from '../../domain/money';
import { CHAIN_WORDS } from '../../api/portal/chain-and-conversation';
import { MESSAGES } from '../../api/portal/i18n';
import { SIGNING_MESSAGES } from '../../api/portal/sign-form';
import { launchChromium, onAPhone, keepScreenshot } from '../support/browser';
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { recipientsOf } from '../support/outbox';
import { startStack, type Stack } from '../support/stack';
import { pdfText } from '../support/pdf-text';
import { backOffice, type BackOffice, type LineInput } from '../integration/portal-fixtures';

let stack: Stack;
let office: BackOffice;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
  await succeeded(office.api.PATCH('/v1/settings', { body: { autoConvertToOrder: true } }), 200);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const LINES: LineInput[] = [
  { description: 'Affiches A2, 170 g', quantity: 100, unitPrice: 300, taxRate: 20 },
  { description: 'Pelliculage mat', quantity: 100, unitPrice: 50, taxRate: 20, optional: true },
  { description: 'Pose en magasin', quantity: 1, unitPrice: 8000, taxRate: 20, optional: true },
];

it('ticks an option, sees the total follow, draws and signs; the certificate holds the hash of the PDF; the order follows in the chain', async () => {
  const t = MESSAGES.fr;
  const s = SIGNING_MESSAGES.fr;
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: LINES, title: 'Affiches de la rentrée' });
  const { url } = await office.sendQuote(documentId, contactEmail, { requireSignature: true });

  const page = await browser.newPage(onAPhone('fr-FR'));
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
  });
  await page.goto(url);

  const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: t.downloadPdf }).click()]);
  const shownPdf = await readFile(await pdfDownload.path());
  const shownSha256 = createHash('sha256').update(shownPdf).digest('hex');

  const grossCell = page.locator('table.totals [data-total="gross"]');
  const gross = async () => (await grossCell.innerText()).replace(/\s+/g, ' ');
  const plain = (amount: number) => formatMoney(amount, 'EUR', 'fr').replace(/\s+/g, ' ');
  expect(await gross()).toBe(plain(36000)); // 300,00 € + 20 %, no option
  await expect(page.getByRole('button', { name: t.accept }).count()).resolves.toBe(0);

  await page.getByRole('checkbox', { name: /Pelliculage mat/ }).check();
  expect(await gross()).toBe(plain(42000)); // + 50,00 € + 20 %
  expect(await page.getByRole('checkbox', { name: /Pose en magasin/ }).isChecked()).toBe(false);

  expect(await page.getByLabel(s.signerName).inputValue()).toBe('Zoë Dupré');
  const canvas = page.locator('canvas.signature-pad');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the signature pad is not shown');
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let step = 1; step <= 12; step += 1) await page.mouse.move(box.x + 20 + step * 20, box.y + box.height / 2 + (step % 2 ? -25 : 25));
  await page.mouse.up();
  await page.getByRole('checkbox', { name: /J’ai lu le devis/ }).check();
  await page.getByRole('button', { name: s.sign }).click();

  await page.getByText(t.decided.sign).waitFor({ state: 'visible' });
  await page.locator('.banner.accepted').waitFor({ state: 'visible' });
  expect(await gross()).toBe(plain(42000)); // the signed page shows the chosen option counted
  await keepScreenshot(page, 'portal-signed');
  expect(blocked).toEqual([]);

  const [certificateDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: s.downloadCertificate }).click()]);
  // The evidence page first (pdftotext separates pages with form feeds), then the quote's pages.
  const [evidencePage, ...quotePages] = pdfText(await readFile(await certificateDownload.path())).split('\f');
  expect(evidencePage).toContain(shownSha256);
  expect(evidencePage).toContain('Pelliculage mat');
  expect(evidencePage).not.toContain('Pose en magasin');
  expect(quotePages.join('')).toContain('Pose en magasin');

  const evidence = await stack.prisma.quoteSignature.findFirstOrThrow({ where: { documentId } });
  expect(evidence.pdfSha256).toBe(shownSha256);
  expect(Buffer.from(evidence.drawnSignature ?? []).subarray(1, 4).toString('latin1')).toBe('PNG');
  const document = await office.document(documentId);
  expect(document.status).toBe('accepted');
  expect(document.totals.gross).toBe(42000);

  // Signing made the order by itself, with the chosen option as a firm line and not the other.
  const quote = await eventually(
    async () => {
      const answer = await office.document(documentId);
      return answer.chain.length === 2 ? answer : undefined;
    },
    { what: 'the order made on signing' },
  );
  const orderLink = quote.chain.find((member) => member.kind === 'order');
  if (!orderLink) throw new Error('the chain has no order');
  const order = await office.document(orderLink.id);
  expect(order.lines.map((line) => [line.description, line.optional])).toEqual([
    ['Affiches A2, 170 g', false],
    ['Pelliculage mat', false],
  ]);

  // Sent (a draft is not the customer's to see), from the quote's link: the order is listed at the bottom and opens from there.
  expect((await office.api.POST('/v1/documents/{id}/send', { params: { path: { id: orderLink.id } }, body: {} })).response.status).toBe(202);
  await eventually(async () => ((await office.document(orderLink.id)).status === 'sent' ? true : undefined), { what: 'the order to be sent' });
  const words = CHAIN_WORDS.fr;
  await page.goto(url);
  await page.getByRole('link', { name: `${words.kinds.order} ${order.number}` }).click();
  await page.waitForURL(`${url}/chain/${orderLink.id}`);
  expect(await page.locator('.eyebrow').innerText()).toContain(order.number);
  expect(await page.getByText(words.readOnly).count()).toBe(1);

  // From the order's own link (its email): the quote is listed and opens from there.
  const orderUrl = await eventually(
    async () => {
      const email = (await stack.readOutbox()).find((candidate) => recipientsOf(candidate).includes(contactEmail) && candidate.subject.includes(order.number));
      return email?.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`));
    },
    { what: 'the email carrying the order' },
  );
  await page.goto(orderUrl);
  expect(await page.locator('.eyebrow').innerText()).toContain(order.number);
  await page.getByRole('link', { name: `${words.kinds.quote} ${quote.number}` }).click();
  await page.waitForURL(`${orderUrl}/chain/${documentId}`);
  expect(await page.locator('.eyebrow').innerText()).toContain(quote.number);
  await page.close();
});
