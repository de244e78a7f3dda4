/**
 * `npm run bench` (phone proof, issue 13): a 17-page print proof opened from its email on a
 * phone over a slow mobile network, against the real stack (API, worker with the real render,
 * PostgreSQL, a Temporal dev server unless TEMPORAL_ADDRESS names one).
 *
 * The proof is a 17-page A4 catalogue, a photo over every page (bench/print-pdf.ts), uploaded and
 * sent; once its email came (the revision is rendered), Debian's Chromium opens the emailed
 * link as a phone (test/support/browser.ts: 390×844 CSS px at 2×), throttled through the
 * DevTools protocol as DevTools' "Slow 4G" preset and a CPU 4× slower, BENCH_PHONE_RUNS (3)
 * times, each in a fresh context (a cold cache). Each run measures:
 * - the Largest Contentful Paint (PerformanceObserver, buffered), read before any scroll;
 * - the bytes transferred (DevTools' encodedDataLength, headers included) until the page has
 *   loaded and the network has been idle for a second, without scrolling;
 * - the bytes once scrolled to the end, a screen at a time as a reader would;
 * and what it downloaded: the page, each image size, anything else. Each figure is printed beside its goal, PASS or MISS.
 * Prints figures; asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { greenlightClient, succeeded } from '../test/support/api';
import { launchChromium, onAPhone } from '../test/support/browser';
import { uploadRevision } from '../test/support/proof-uploads';
import { startStack } from '../test/support/stack';
import { CapturingMailer, inBenchEnvironment, intFromEnv, percentile, runBench } from './harness';
import { photoPrintPdf } from './print-pdf';

const PAGES = 17;
const RUNS = intFromEnv('BENCH_PHONE_RUNS', 3);

/** Issue 13's goals, over the median run. */
const GOALS = { lcpMs: 2500, bytesBeforeScroll: 1_000_000 };

/**
 * DevTools' "Slow 4G" preset, as its Network panel applies it (Chromium's devtools-frontend,
 * front_end/core/sdk/NetworkManager.ts, `Slow4GConditions`): ~1.6 Mbps down and 0.75 Mbps up,
 * each at 90 %, and a 150 ms target round trip applied as 150 × 3.75 ms of latency per request.
 */
const SLOW_4G = {
  offline: false,
  downloadThroughput: (1.6 * 1000 * 1000) / 8 * 0.9,
  uploadThroughput: (750 * 1000) / 8 * 0.9,
  latency: 150 * 3.75,
};
/** Lighthouse's and DevTools' mid-range phone: a CPU four times slower than the machine's. */
const CPU_SLOWDOWN = 4;
/** How long no request may be in flight for the network to count as idle. */
const IDLE_MS = 1000;

/** Decimal megabytes, as DevTools' Network panel counts what it transferred. */
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const verdict = (met: boolean) => (met ? 'PASS' : 'MISS');

/** What the DevTools protocol saw of the page's requests: bytes, each response's address, and whether any is still in flight. */
class NetworkMeter {
  bytes = 0;
  /** Each response finished, in order: its address and size. */
  readonly responses: { url: string; bytes: number }[] = [];
  private readonly inFlight = new Map<string, string>();
  private quietSince = Date.now();

  constructor(session: CDPSession) {
    session.on('Network.requestWillBeSent', ({ requestId, request }) => this.inFlight.set(requestId, request.url));
    const ended = (requestId: string) => {
      this.inFlight.delete(requestId);
      if (this.inFlight.size === 0) this.quietSince = Date.now();
    };
    session.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
      this.bytes += encodedDataLength;
      this.responses.push({ url: this.inFlight.get(requestId) ?? '', bytes: encodedDataLength });
      ended(requestId);
    });
    session.on('Network.loadingFailed', ({ requestId }) => ended(requestId));
  }

  /** Resolves once no request has been in flight for IDLE_MS. */
  async idle(): Promise<void> {
    for (;;) {
      const quietFor = this.inFlight.size === 0 ? Date.now() - this.quietSince : 0;
      if (quietFor >= IDLE_MS) return;
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS - quietFor));
    }
  }
}

/** What the browser runs for the bench: no DOM types in this Node project, so each names what it reads. */
interface LcpEntry {
  startTime: number;
  url: string;
  size: number;
}
interface BrowserWindow {
  PerformanceObserver: new (callback: (list: { getEntries(): LcpEntry[] }) => void) => { observe(options: { type: string; buffered: boolean }): void };
  innerHeight: number;
  scrollY: number;
  scrollBy(x: number, y: number): void;
  document: { documentElement: { scrollHeight: number } };
}

/** The page's Largest Contentful Paint so far (ms after navigation) and what it painted: a function, the portal's CSP forbids strings. */
function largestContentfulPaint(page: Page): Promise<LcpEntry> {
  return page.evaluate(
    () =>
      new Promise<LcpEntry>((resolve, reject) => {
        const window = globalThis as unknown as BrowserWindow;
        new window.PerformanceObserver((list) => {
          const last = list.getEntries().at(-1);
          if (last) resolve({ startTime: last.startTime, url: last.url, size: last.size });
        }).observe({ type: 'largest-contentful-paint', buffered: true });
        setTimeout(() => reject(new Error('no largest-contentful-paint entry')), 5000);
      }),
  );
}

/** Scrolls one screen down; true once at the end. */
function scrollAScreen(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const window = globalThis as unknown as BrowserWindow;
    window.scrollBy(0, window.innerHeight);
    return window.scrollY + window.innerHeight >= window.document.documentElement.scrollHeight - 1;
  });
}

/** A response, named by what it is: "page" (the HTML), a page image's size ("small", "thumbnail"…), or "other". */
interface Transfer {
  kind: string;
  bytes: number;
}

interface PhoneRun {
  lcpMs: number;
  /** What the LCP painted: "page n, size" for a page image. */
  lcpElement: string;
  bytesBeforeScroll: number;
  bytesScrolled: number;
  beforeScroll: Transfer[];
  scrolled: Transfer[];
}

/** A page image's page and size (`size` of its address, "preview" without one); undefined for any other address. */
function pageImage(url: string): { page: number; size: string } | undefined {
  const address = new URL(url);
  const page = address.pathname.match(/\/pages\/(\d+)$/)?.[1];
  return page ? { page: Number(page), size: address.searchParams.get('size') ?? 'preview' } : undefined;
}

async function openOnAPhone(context: BrowserContext, link: string): Promise<PhoneRun> {
  const page = await context.newPage();
  const session = await context.newCDPSession(page);
  await session.send('Network.enable');
  await session.send('Network.emulateNetworkConditions', SLOW_4G);
  await session.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const meter = new NetworkMeter(session);
  await page.goto(link, { waitUntil: 'load', timeout: 120_000 });
  await meter.idle();
  const lcp = await largestContentfulPaint(page);
  const bytesBeforeScroll = meter.bytes;
  const responses = () => meter.responses.map(({ url, bytes }) => ({ kind: url === link ? 'page' : (pageImage(url)?.size ?? 'other'), bytes }));
  const beforeScroll = responses();
  while (!(await scrollAScreen(page))) await new Promise((resolve) => setTimeout(resolve, 300));
  await meter.idle();
  const lcpImage = lcp.url ? pageImage(lcp.url) : undefined;
  return {
    lcpMs: lcp.startTime,
    lcpElement: lcpImage ? `page ${lcpImage.page}, ${lcpImage.size}` : 'text',
    bytesBeforeScroll,
    bytesScrolled: meter.bytes,
    beforeScroll,
    scrolled: responses().slice(beforeScroll.length),
  };
}

/** How many responses of each kind, and their bytes ("page ×1 0.06 MB, small ×4 0.18 MB"). */
function kindsOf(responses: Transfer[]): string {
  const counts = new Map<string, { count: number; bytes: number }>();
  for (const { kind, bytes } of responses) {
    const tally = counts.get(kind) ?? { count: 0, bytes: 0 };
    counts.set(kind, { count: tally.count + 1, bytes: tally.bytes + bytes });
  }
  return [...counts].map(([kind, { count, bytes }]) => `${kind} ×${count} ${mb(bytes)}`).join(', ') || 'none';
}

async function main(): Promise<void> {
  await inBenchEnvironment({ database: 'greenlight_bench_phone' }, async () => {
    const mailer = new CapturingMailer('buyer.bench');
    const stack = await startStack({ mailer });
    const browser = await launchChromium();
    try {
      const { apiKey } = await stack.createTenant('Bench Print Shop');
      const api = greenlightClient(stack.baseUrl, apiKey);
      const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Bench Customer', locale: 'fr' } }));
      const contactEmail = 'buyer@buyer.bench';
      const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Bench Buyer', email: contactEmail } }));
      const proof = await succeeded(
        api.POST('/v1/documents', { body: { kind: 'proof', customerId: customer.id, contactId: contact.id, title: 'Catalogue', number: `BAT-${randomBytes(4).toString('hex')}` } }),
      );

      console.log(`[bench] making a ${PAGES}-page print PDF (a photo over every page), uploading and sending it; the email comes once it is rendered…`);
      const email = mailer.nextFor(contactEmail);
      const upload = await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'catalogue.pdf', bytes: await photoPrintPdf(PAGES, { fullPage: true }) }], { send: true });
      if (upload.status !== 201) throw new Error(`the upload answered ${upload.status}`);
      const link = (await email).html.match(new RegExp(`${stack.config.publicUrl}/d/[A-Za-z0-9_-]+`))?.[0];
      if (!link) throw new Error('no portal link in the email');

      console.log(`[bench] opening it ${RUNS} times on a phone (390×844 at 2×), Slow 4G, CPU ${CPU_SLOWDOWN}× slower, a cold cache each time`);
      const runs: PhoneRun[] = [];
      for (let index = 0; index < RUNS; index += 1) {
        const context = await browser.newContext(onAPhone('fr-FR'));
        try {
          const run = await openOnAPhone(context, link);
          runs.push(run);
          console.log(
            `  run ${index + 1}: LCP ${(run.lcpMs / 1000).toFixed(2)} s (${run.lcpElement}), before scrolling ${mb(run.bytesBeforeScroll)} ` +
              `(${kindsOf(run.beforeScroll)}), scrolled to the end ${mb(run.bytesScrolled)} (then: ${kindsOf(run.scrolled)})`,
          );
        } finally {
          await context.close();
        }
      }
      const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 0.5);
      const lcp = median(runs.map((run) => run.lcpMs));
      const before = median(runs.map((run) => run.bytesBeforeScroll));
      const scrolled = median(runs.map((run) => run.bytesScrolled));
      console.log(
        `A ${PAGES}-page proof on a phone, Slow 4G, CPU ${CPU_SLOWDOWN}× slower (median of ${RUNS} cold runs)\n` +
          `  LCP ${(lcp / 1000).toFixed(2)} s   goal ≤ ${GOALS.lcpMs / 1000} s   ${verdict(lcp <= GOALS.lcpMs)}\n` +
          `  transferred before the first scroll ${mb(before)}   goal ≤ ${mb(GOALS.bytesBeforeScroll)}   ${verdict(before <= GOALS.bytesBeforeScroll)}\n` +
          `  transferred once scrolled to the end ${mb(scrolled)}`,
      );
    } finally {
      await browser.close();
      await stack.close();
    }
  });
}

runBench(main);
