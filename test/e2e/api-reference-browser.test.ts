/**
 * The API reference in a real browser (Debian's Chromium driven by playwright-core): GET /docs
 * renders the served OpenAPI document with Redoc — the operations listed, the webhooks too —
 * with every request staying on the machine (no CDN, no fonts, no telemetry) and nothing
 * refused by the page's Content-Security-Policy.
 */
import type { Browser, Request } from 'playwright-core';
import { launchChromium, keepScreenshot } from '../support/browser';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Where a request went: its origin, or its scheme for the ones that never leave the page (data:, blob:). */
function destination(request: Request): string {
  const url = new URL(request.url());
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}

it('renders the operations list from the served document, with every request staying on 127.0.0.1', async () => {
  const page = await browser.newPage();
  const requests: Request[] = [];
  const refused: string[] = [];
  page.on('request', (request) => requests.push(request));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) refused.push(message.text());
  });

  const answer = await page.goto(`${stack.baseUrl}/docs`);
  expect(answer?.status()).toBe(200);
  expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");

  // Redoc's menu lists each operation by its summary (collapsed under its tag); the webhooks have their own entries.
  const menuItem = (text: string) => page.locator('.menu-content').getByText(text, { exact: false }).first();
  const sendSummary = 'Send a quote, an order, a delivery note, an invoice or a proof';
  await menuItem(sendSummary).waitFor({ state: 'attached', timeout: 30_000 });
  await menuItem("Replace an endpoint's signing secret").waitFor({ state: 'attached' });
  await menuItem("A document's accepted event").waitFor({ state: 'attached' });
  expect(await page.locator('.menu-content li[data-item-id*="operation/"]').count()).toBeGreaterThanOrEqual(60);
  // Each operation's own section, shown: its summary as a heading, its method and path.
  const section = page.locator('h2', { hasText: sendSummary }).first();
  await section.scrollIntoViewIfNeeded();
  await section.waitFor();
  await page.getByText('/v1/documents/{id}/send').first().waitFor({ state: 'attached' });

  const origins = new Set(requests.map(destination));
  expect([...origins].filter((origin) => origin !== stack.baseUrl && origin !== 'blob:' && origin !== 'data:')).toEqual([]);
  expect(stack.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(requests.map((request) => new URL(request.url()).pathname)).toEqual(expect.arrayContaining(['/docs', '/docs/redoc.standalone.js', '/v1/openapi.json']));
  expect(refused).toEqual([]);
  await keepScreenshot(page, 'api-reference', { fullPage: false });
}, 120_000);
