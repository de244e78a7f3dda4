/**
 * The customer's page over real HTTP, with the real stack: the quote in the customer's
 * language, opens, views and downloads recorded once, dead links answered without recording
 * anything, and the rate limit's readable answer.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import express from 'express';
import { createAccessLink } from '../../services/db/links';
import { formatMoney } from '../../domain/money';
import type { Locale } from '../../domain/documents';
import escapeHtml from 'escape-html';
import { MESSAGES } from '../../api/portal/i18n';
import { createPortalRouter } from '../../api/portal/router';
import { startStack, type Stack } from '../support/stack';
import { eventually } from '../support/eventually';
import { reportSeen, viewIdOf } from '../support/page-views';
import { backOffice, SAMPLE_LINES, type BackOffice, type SentQuote } from './portal-fixtures';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
});
afterAll(() => stack?.close());

async function sentQuote(locale: Locale, lines = SAMPLE_LINES): Promise<SentQuote> {
  const { documentId, contactEmail } = await office.createQuote({ locale, lines });
  return office.sendQuote(documentId, contactEmail);
}

/** The quote's audit rows: "nothing recorded" means this does not move. */
const eventCount = (documentId: string) => stack.prisma.auditEvent.count({ where: { documentId } });

describe.each([
  // 500 × 1.82 + 45.00 + 2.5 × 19.99 = 1 004.98 net; tax 191.00 at 20 % and 2.75 at 5.5 %.
  { locale: 'fr' as const, net: 100498, gross: 119873 },
  { locale: 'en' as const, net: 100498, gross: 119873 },
  { locale: 'sv' as const, net: 100498, gross: 119873 },
])('the quote page in $locale', ({ locale, net, gross }) => {
  it('shows seller, lines, optional line, tax per rate and totals in the customer language, and records the open', async () => {
    const quote = await sentQuote(locale);
    const t = MESSAGES[locale];
    const money = (amount: number) => formatMoney(amount, 'EUR', locale).replace(/ /g, '\u00a0');

    const response = await fetch(quote.url, { headers: { 'user-agent': 'PortalTest/1.0' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-robots-tag')).toContain('noindex');
    const page = await response.text();

    expect(page).toContain(`<html lang="${locale}">`);
    for (const line of SAMPLE_LINES) expect(page).toContain(line.description);
    expect(page).toContain(escapeHtml(t.optionalLine));
    expect(page).toContain(`${t.netTotal}</td><td class="num" data-total="net">${money(net)}`);
    expect(page).toContain(`${t.grossTotal}</td><td class="num" data-total="gross">${money(gross)}`);
    expect(page).toContain(escapeHtml(t.columns.description));
    expect(page).toContain(escapeHtml(t.accept));
    expect(page).toContain(escapeHtml(t.hold));
    expect(page).toContain(escapeHtml(t.refuse));
    expect(page).toContain(escapeHtml(t.downloadPdf));
    expect(page).toContain('Jeanne Martin');

    // A fetch is kept as a doubtful open with the time, IP and user agent, and changes nothing
    // else; the page's report of a person using it is the view (portal-views.test.ts).
    const event = await stack.prisma.auditEvent.findFirstOrThrow({ where: { documentId: quote.documentId, type: 'opened' } });
    expect(event.userAgent).toBe('PortalTest/1.0');
    expect(event.ip).toMatch(/127\.0\.0\.1/);
    expect(event.actor).toMatch(/^customer:lnk_/);
    expect(event.data).toMatchObject({ human: false, counted: false });
    expect(await office.document(quote.documentId)).toMatchObject({ status: 'sent', viewCount: 0 });

    expect(await reportSeen(quote.url, viewIdOf(page))).toEqual({ status: 200, body: { counted: true } });
    const viewed = await eventually(
      async () => {
        const document = await office.document(quote.documentId);
        return document.status === 'viewed' && document.viewCount === 1 ? document : undefined;
      },
      { what: 'the quote to be viewed' },
    );
    expect(viewed.lastViewedAt).not.toBeNull();
  });
});

it('escapes what the seller and the customer typed', async () => {
  const { documentId, contactEmail } = await office.createQuote({
    locale: 'en',
    customerName: '<img src=x onerror=alert(1)>',
    title: '"><script>alert(1)</script>',
    lines: [{ description: '<b>bold</b> & co', quantity: 1, unitPrice: 1000, taxRate: 20 }],
  });
  const quote = await office.sendQuote(documentId, contactEmail);
  const page = await (await fetch(quote.url)).text();
  expect(page).not.toContain('<script>alert');
  expect(page).not.toContain('<img src=x');
  expect(page).not.toContain('<b>bold</b>');
  expect(page).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; co');
  expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
});

describe('links that open nothing', () => {
  it('answers an unknown token with a 404 page in the visitor language and records nothing', async () => {
    const quote = await sentQuote('fr');
    const before = await eventCount(quote.documentId);

    // A well-formed token that is not one of ours, one close to a real one, and garbage.
    const lastChar = quote.token.at(-1) === 'A' ? 'B' : 'A';
    const impostors = [randomBytes(32).toString('base64url'), `${quote.token.slice(0, -1)}${lastChar}`, 'not-a-token'];
    for (const token of impostors) {
      const response = await fetch(`${stack.baseUrl}/d/${token}`, { headers: { 'accept-language': 'sv-SE,sv;q=0.9' } });
      expect(response.status).toBe(404);
      const page = await response.text();
      expect(page).toContain(escapeHtml(MESSAGES.sv.notFound.title));
      expect(page).not.toContain(escapeHtml(MESSAGES.fr.notFound.title));
      const pdf = await fetch(`${stack.baseUrl}/d/${token}/pdf`);
      expect(pdf.status).toBe(404);
    }
    // Without a language we speak, the page says it in all three.
    const page = await (await fetch(`${stack.baseUrl}/d/${impostors[0]}`, { headers: { 'accept-language': 'de' } })).text();
    for (const locale of ['fr', 'en', 'sv'] as const) expect(page).toContain(MESSAGES[locale].notFound.title);

    expect(await eventCount(quote.documentId)).toBe(before);
    expect((await office.document(quote.documentId)).viewCount).toBe(0);
  });

  it('answers a revoked link with 410 to pages, downloads and decisions, and records nothing', async () => {
    const quote = await sentQuote('en');
    await stack.prisma.accessLink.updateMany({ where: { documentId: quote.documentId }, data: { revokedAt: new Date() } });
    const before = await eventCount(quote.documentId);

    const page = await fetch(quote.url);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain(escapeHtml(MESSAGES.en.linkRevoked.title));
    expect((await fetch(`${quote.url}/pdf`)).status).toBe(410);
    const accept = await fetch(`${quote.url}/accept`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{}' });
    expect(accept.status).toBe(410);
    expect(accept.headers.get('content-type')).toContain('application/problem+json');

    expect(await eventCount(quote.documentId)).toBe(before);
    expect((await office.document(quote.documentId)).status).toBe('sent');
  });

  it('answers an expired link with 410, says whom to contact, and records nothing', async () => {
    const quote = await sentQuote('fr');
    await stack.prisma.accessLink.updateMany({ where: { documentId: quote.documentId }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const before = await eventCount(quote.documentId);

    const response = await fetch(quote.url);
    expect(response.status).toBe(410);
    const page = await response.text();
    expect(page).toContain(escapeHtml(MESSAGES.fr.linkExpired.title));
    expect(page).toContain('Jeanne Martin');
    expect(page).toMatch(/mailto:jeanne-[0-9a-f]+@lumiere\.test/);
    expect(await eventCount(quote.documentId)).toBe(before);
  });
});

describe('downloads', () => {
  it('serves the PDF, records the download and counts it', async () => {
    const quote = await sentQuote('sv');
    const response = await fetch(`${quote.url}/pdf`, { headers: { 'user-agent': 'PortalTest/1.0' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');

    const document = await eventually(
      async () => {
        const current = await office.document(quote.documentId);
        return current.downloadCount === 1 ? current : undefined;
      },
      { what: 'the download to be counted' },
    );
    expect(document.viewCount).toBe(0);
    const downloads = (await office.events(quote.documentId)).filter((event) => event.type === 'downloaded');
    expect(downloads).toHaveLength(1);
  });

  it('refuses the PDF to a link that may not download it', async () => {
    const { documentId } = await office.createQuote({ locale: 'en', lines: SAMPLE_LINES });
    const document = await stack.prisma.document.findUniqueOrThrow({ where: { id: documentId } });
    const { url } = await createAccessLink(stack.prisma, { tenantId: document.tenantId, documentId, recipient: { name: 'Colleague' }, actions: ['view'] }, stack.baseUrl);
    const page = await (await fetch(url)).text();
    expect(page).not.toContain(escapeHtml(MESSAGES.en.downloadPdf));
    expect(page).not.toContain(escapeHtml(MESSAGES.en.accept));
    expect((await fetch(`${url}/pdf`)).status).toBe(403);
    expect((await office.document(documentId)).downloadCount).toBe(0);
  });
});

it('records the opens and views of a draft straight in the trail (no workflow runs yet) and offers no decision', async () => {
  const { documentId } = await office.createQuote({ locale: 'en', lines: SAMPLE_LINES });
  const document = await stack.prisma.document.findUniqueOrThrow({ where: { id: documentId } });
  const { url } = await createAccessLink(
    stack.prisma,
    { tenantId: document.tenantId, documentId, recipient: { name: 'Preview' }, actions: ['view', 'download', 'accept', 'refuse', 'hold'] },
    stack.baseUrl,
  );

  const page = await (await fetch(url)).text();
  expect(page).toContain(escapeHtml(MESSAGES.en.banner.draft));
  expect(page).not.toContain('<form');

  expect(await reportSeen(url, viewIdOf(page))).toEqual({ status: 200, body: { counted: true } });

  const after = await office.document(documentId);
  expect(after).toMatchObject({ status: 'draft', viewCount: 1 });
  expect((await office.events(documentId)).map((event) => event.type)).toEqual(['opened', 'viewed']);
});

it('answers too many requests on one link with a readable 429 page', async () => {
  const quote = await sentQuote('fr');
  // A portal with tiny limits (and budgets of its own) in front of the same services.
  const app = express().use('/d', createPortalRouter({
    prisma: stack.prisma,
    temporal: stack.client,
    config: { ...stack.config, portalRateLimits: { perTokenPerMinute: 2, perIpPerMinute: 100 }, rateLimitScope: `${stack.taskQueue}-tiny` },
  }));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/d/${quote.token}`;
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url)).status).toBe(200);
    const limited = await fetch(url, { headers: { 'accept-language': 'fr' } });
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain(escapeHtml(MESSAGES.fr.rateLimited.title));
    const json = await fetch(url, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(429);
    expect(await json.json()).toMatchObject({ status: 429 });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
