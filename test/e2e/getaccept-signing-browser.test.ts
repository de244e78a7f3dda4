/**
 * The signer in a real browser (Debian's Chromium driven by playwright-core) on the GetAccept
 * stand-in's signing page: signing accepts the quote in Greenlight's API (through the
 * webhook, the signature workflow and the quote's own workflow) and the signed PDF downloads;
 * rejecting, in another run, refuses it. Screenshots are kept in .data/screenshots for a person to look at.
 */
import type { Browser } from 'playwright-core';
import { launchChromium, keepScreenshot } from '../support/browser';
import { eventually } from '../support/eventually';
import { startSigningStack, type SigningOffice, type SigningStack } from '../support/getaccept';
import { pdfText } from '../support/pdf-text';
import type { Stack } from '../support/stack';

let signing: SigningStack;
let stack: Stack;
let office: SigningOffice;
let browser: Browser;

beforeAll(async () => {
  signing = await startSigningStack({ webhooks: true });
  ({ stack, office } = signing);
  // An hour between polls: what the browser does reaches Greenlight through GetAccept's webhook.
  await office.settings({ signaturePollInterval: 'PT1H' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await signing?.close();
});

async function openSigningPage(documentId: string) {
  const sent = await office.sendForSignature(documentId);
  const page = await browser.newPage({ locale: 'sv-SE' });
  await page.goto(sent.recipients[0]?.document_url as string);
  await office.waitForDigitalStatus(documentId, 'viewed');
  return page;
}

it('signs on the signing page: the quote is accepted in the API and the signed PDF downloads', async () => {
  const { documentId } = await office.createDocument();
  const page = await openSigningPage(documentId);
  await keepScreenshot(page, 'getaccept-signing', { fullPage: false });

  await page.locator('#fullname').fill('Åsa Öberg');
  await page.locator('#sign').click();
  await page.locator('#done').waitFor();
  expect(await page.locator('#status').textContent()).toBe('signed');
  await keepScreenshot(page, 'getaccept-signed', { fullPage: false });

  await eventually(async () => ((await office.document(documentId)).status === 'accepted' ? true : undefined), { what: 'the quote accepted' });
  expect((await office.document(documentId)).digitalStatus).toBe('signed');
  const signed = await fetch(`${stack.baseUrl}/v1/documents/${documentId}/signature/signed.pdf`, { headers: { authorization: `Bearer ${office.apiKey}` } });
  expect(signed.status).toBe(200);
  expect(pdfText(new Uint8Array(await signed.arrayBuffer()))).toContain('Signed by ?sa ?berg');
});

it('rejects on the signing page: the quote is refused', async () => {
  const { documentId } = await office.createDocument();
  const page = await openSigningPage(documentId);
  await page.locator('#reject').click();
  await page.locator('#done').waitFor();
  expect(await page.locator('#status').textContent()).toBe('rejected');

  await eventually(async () => ((await office.document(documentId)).status === 'refused' ? true : undefined), { what: 'the quote refused' });
  expect((await office.document(documentId)).digitalStatus).toBe('rejected');
  expect((await office.events(documentId)).map((event) => event.type)).toEqual(expect.arrayContaining(['signature_rejected', 'refused']));
});
