/**
 * An online proof ("BAT en ligne", seed 000) checked by its customer in a real browser
 * (Debian's Chromium driven by playwright-core), from the seller's API to production:
 *
 * the seller sets terms of sale and an hourly rate, a webhook for document.approved and a
 * salesperson who wants decisions by email; uploads a 3-page PDF (a photo and a big coloured
 * label per page) and sends it. The customer opens the emailed link, sees the three pages in
 * order, zooms one (a larger, sharper image), downloads the watermarked PDF — checked
 * honestly: the watermark's colour across every page's diagonal, no image above ~150 dpi,
 * smaller than the original — and asks for changes with a comment pinned on a page. The
 * seller uploads revision 2 as three JPEGs; the customer sees it, revision 1's pin outlined
 * on it where it was asked (and can go back to 1), ticks the terms and approves it; the
 * salesperson's email and the signed webhook arrive, and the API lists the change request
 * with its pins beside revision 1.
 *
 * Screenshots are kept in .data/screenshots (proof-portal.png, proof-approved.png) for a person to look at.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, rgb } from 'pdf-lib';
import type { Browser, Locator } from 'playwright-core';
import sharp from 'sharp';
import { MESSAGES, PROOF_MESSAGES } from '../../api/portal/i18n';
import { launchChromium, keepScreenshot } from '../support/browser';
import { eventually } from '../support/eventually';
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { recipientsOf, type OutboxEmail } from '../support/outbox';
import { uploadRevision } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';
import { startReceiver, verifies, type Receiver } from '../support/webhook-receiver';

const run = promisify(execFile);
const DESKTOP_CHROME_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const t = PROOF_MESSAGES.fr;
const unique = () => randomBytes(4).toString('hex');
/** What the test reads of an <img> in the page (the test's TypeScript has no DOM types). */
type BrowserImage = { src: string; naturalWidth: number };
const TERMS = { version: '2026-04', text: 'Conditions générales de vente de l’Imprimerie : acompte de 30 % à la commande.' };
/** A4 in points. */
const A4 = { width: 595, height: 842 };
/** The labels' colours, page by page: each has one dominant channel, none is red (the watermark's). */
const LABELS = [
  { name: 'blue', color: { r: 30, g: 70, b: 215 } },
  { name: 'green', color: { r: 25, g: 160, b: 60 } },
  { name: 'yellow', color: { r: 235, g: 205, b: 30 } },
];

let stack: Stack;
let api: GreenlightClient;
let apiKey: string;
let browser: Browser;
let receiver: Receiver;
let workDir: string;

beforeAll(async () => {
  [stack, receiver, workDir] = await Promise.all([startStack(), startReceiver(), mkdtemp(path.join(tmpdir(), 'proof-browser-'))]);
  ({ apiKey } = await stack.createTenant(`Imprimerie Lumière ${unique()}`));
  api = greenlightClient(stack.baseUrl, apiKey);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await stack?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

// The whole story in one browser session (two revisions rendered, mail and webhook awaited): longer than the default.
it('takes a proof from upload to approval: pages, zoom, watermarked PDF, pinned changes, revision 2, terms, notification and webhook', async () => {
  // ---- the seller's setup, through the API
  expect((await api.PATCH('/v1/settings', { body: { allowPrivateWebhookUrls: true, termsOfSale: TERMS, hourlyRate: 6500 } })).response.status).toBe(200);
  const endpoint = await succeeded(api.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['document.approved'] } }));
  const assigneeEmail = `jeanne-${unique()}@lumiere.example`;
  const assignee = await succeeded(api.POST('/v1/users', { body: { name: 'Jeanne Martin', email: assigneeEmail, notify: { decided: ['email'] } } }));
  const contactEmail = `zoe-${unique()}@librairie.example`;
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Librairie Sève', locale: 'fr' } }));
  const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Zoë Dupré', email: contactEmail } }));
  const proof = await succeeded(
    api.POST('/v1/documents', {
      body: { kind: 'proof', customerId: customer.id, contactId: contact.id, assigneeId: assignee.id, title: 'Catalogue automne', number: `BAT-${unique()}` },
    }),
  );

  const original = await threePagePrintPdf();
  expect((await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'catalogue.pdf', bytes: original }])).status).toBe(201);
  await revisionReady(proof.id, 1);
  expect((await api.POST('/v1/documents/{id}/send', { params: { path: { id: proof.id } }, body: {} })).response.status).toBe(202);
  const firstEmail = await proofEmail(contactEmail, proof.number, 1);

  // ---- the customer opens the emailed link
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'fr-FR', userAgent: DESKTOP_CHROME_AGENT });
  await page.goto(portalLink(firstEmail));
  await page.getByRole('heading', { name: 'Catalogue automne' }).waitFor();
  expect(await page.locator('.banner').innerText()).toBe(t.status.sent(1));

  // Three pages, in order: each preview's label colour is its page's.
  const previews = page.locator('figure.proof-page img');
  await expect(previews.count()).resolves.toBe(3);
  const previewUrls = await previews.evaluateAll((images) => images.map((image) => (image as unknown as BrowserImage).src));
  for (const [index, url] of previewUrls.entries()) {
    expect(url).toContain(`/pages/${index + 1}?revision=1`);
    expect(dominantChannel(await labelColour(await download(url)))).toBe(LABELS[index]!.name);
  }
  await keepScreenshot(page, 'proof-portal');

  // Zoom on page 2: a larger image, sharper than the preview enlarged to its size.
  await previews.nth(1).click({ position: { x: 200, y: 200 } });
  const zoomed = page.locator('.zoom-view img');
  await zoomed.waitFor();
  await zoomed.evaluate((image) => (image as unknown as { decode(): Promise<void> }).decode());
  const [zoomWidth, previewWidth] = await Promise.all([
    zoomed.evaluate((image) => (image as unknown as BrowserImage).naturalWidth),
    previews.nth(1).evaluate((image) => (image as unknown as BrowserImage).naturalWidth),
  ]);
  expect(zoomWidth).toBeGreaterThan(previewWidth);
  const zoomBytes = await download(await zoomed.evaluate((image) => (image as unknown as BrowserImage).src));
  const previewBytes = await download(previewUrls[1]!);
  expect(await sharpness(zoomBytes, zoomWidth)).toBeGreaterThan(1.5 * (await sharpness(previewBytes, zoomWidth)));
  await page.keyboard.press('Escape');
  await expect(page.locator('.zoom-view').count()).resolves.toBe(0);

  // The watermarked PDF, checked honestly.
  const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: t.downloadPdf }).click()]);
  const watermarked = await readFile(await pdfDownload.path());
  await checkWatermarkedPdf(watermarked, original, previewUrls);

  // Changes, with a comment pinned on page 2 at 30 % across and 40 % down.
  await page.getByText(t.requestChanges(1)).click();
  await expect(page.locator('.cost').innerText()).resolves.toBe(t.changeCost('65,00\u00a0€'));
  await page.getByRole('button', { name: t.addPin }).click();
  const box = (await previews.nth(1).boundingBox())!;
  await previews.nth(1).click({ position: { x: box.width * 0.3, y: box.height * 0.4 } });
  await page.getByLabel(t.pinComment('1', '2')).fill('Agrandir le logo ici');
  await page.getByLabel(t.comment).fill('Merci de corriger la couleur du titre.');
  await page.getByRole('button', { name: t.sendChanges }).click();
  await page.getByText(MESSAGES.fr.decided['request-changes']).waitFor();
  expect(await page.locator('.banner').getAttribute('data-status')).toBe('changes_requested');

  // ---- revision 2: three JPEGs; the proof goes out again by itself
  const jpegs = await Promise.all(LABELS.map((label, index) => labelJpeg(label.color, `R2 · ${index + 1}`)));
  expect((await uploadRevision(stack.baseUrl, apiKey, proof.id, jpegs.map((bytes, index) => ({ name: `page-${index + 1}.jpg`, bytes, type: 'image/jpeg' })))).status).toBe(201);
  const secondEmail = await proofEmail(contactEmail, proof.number, 2);
  await page.goto(portalLink(secondEmail));
  expect(await page.locator('.banner').innerText()).toBe(t.status.sent(2));
  const secondPreviews = await page.locator('figure.proof-page img').evaluateAll((images) => images.map((image) => (image as unknown as BrowserImage).src));
  expect(secondPreviews.map((url) => new URL(url).search)).toEqual(['?revision=2', '?revision=2', '?revision=2']);
  for (const [index, url] of secondPreviews.entries()) expect(dominantChannel(await labelColour(await download(url)))).toBe(LABELS[index]!.name);

  // Revision 2 shows what was asked on revision 1, outlined where it was asked, to check it was done.
  await page.getByText(t.earlierPins(1)).waitFor();
  const asked = page.locator('figure[data-page="2"] .pin.earlier');
  expect(await asked.getAttribute('title')).toBe(`${t.revision(1)} — Agrandir le logo ici`);
  expect(await pinPosition(asked)).toEqual([expect.closeTo(30, 0), expect.closeTo(40, 0)]);

  // Revision 1 is still there, with the pin drawn where it was put.
  await page.locator('ul.revisions').getByRole('link', { name: t.revision(1), exact: true }).click();
  await page.getByText(t.olderRevision(1, 2)).waitFor();
  expect(await pinPosition(page.locator('figure[data-page="2"] .pin'))).toEqual([expect.closeTo(30, 0), expect.closeTo(40, 0)]);
  await expect(page.getByRole('button', { name: t.approve(1) }).count()).resolves.toBe(0);
  await page.getByRole('link', { name: t.openCurrent(2) }).click();

  // Terms ticked, revision 2 approved.
  await page.getByLabel(t.acceptTerms(TERMS.version)).check();
  await page.getByRole('button', { name: t.approve(2) }).click();
  await page.getByText(MESSAGES.fr.decided.approve).waitFor();
  expect(await page.locator('.banner').getAttribute('data-status')).toBe('approved');
  await keepScreenshot(page, 'proof-approved');
  await page.close();

  // ---- the seller hears of it: email, webhook, and the API
  await eventually(
    async () => (await stack.readOutbox()).find((email) => recipientsOf(email).includes(assigneeEmail) && email.subject.includes(proof.number) && email.subject.includes('approuvé')),
    { what: 'the salesperson’s approval email' },
  );
  // The change request reached the salesperson too (decided: ['email']), told after the decision's answer.
  await eventually(
    async () => (await stack.readOutbox()).find((email) => recipientsOf(email).includes(assigneeEmail) && email.subject.includes('renvoyé pour modifications')),
    { what: 'the salesperson’s change-request email' },
  );
  const hook = await eventually(async () => receiver.received.find((request) => JSON.parse(request.body).type === 'document.approved'), { what: 'the document.approved webhook' });
  expect(verifies(endpoint.secret, hook)).toBe(true);
  expect(JSON.parse(hook.body).data).toMatchObject({ document: { id: proof.id, status: 'approved' }, event: { type: 'approved', data: { revision: 2, termsAccepted: true } } });

  const document = await documentOf(proof.id);
  expect(document.status).toBe('approved');
  const [first, second] = document.revisions ?? [];
  expect(first?.changeRequests).toHaveLength(1);
  expect(first?.changeRequests[0]?.comment).toBe('Merci de corriger la couleur du titre.');
  expect(first?.changeRequests[0]?.pins).toEqual([
    { number: 1, page: 2, x: expect.closeTo(0.3, 2), y: expect.closeTo(0.4, 2), comment: 'Agrandir le logo ici', resolved: false, resolution: null },
  ]);
  expect(second?.changeRequests).toEqual([]);
}, 240_000);

// ---------------------------------------------------------------- the seller's files

/**
 * A print PDF: each A4 page a 300 dpi photo (a soft gradient with grain, never reddish) and a
 * big coloured label in its top third.
 */
async function threePagePrintPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (const [index, label] of LABELS.entries()) {
    const photo = await pdf.embedJpg(await grainyPhoto(2480, 3508, index));
    const page = pdf.addPage([A4.width, A4.height]);
    page.drawImage(photo, { x: 0, y: 0, width: A4.width, height: A4.height });
    const { r, g, b } = label.color;
    page.drawRectangle({ x: 60, y: 600, width: 475, height: 190, color: rgb(r / 255, g / 255, b / 255) });
    page.drawText(`PAGE ${index + 1}`, { x: 110, y: 660, size: 80, color: rgb(1, 1, 1) });
  }
  return pdf.save();
}

async function grainyPhoto(width: number, height: number, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = 0x2545f491 + seed;
  const noise = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % 48;
  };
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 3;
      pixels[offset] = 20 + noise();
      pixels[offset + 1] = 90 + Math.round((60 * y) / height) + noise();
      pixels[offset + 2] = 140 + Math.round((50 * x) / width) + noise();
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
}

/** A revision-2 page as a JPEG: a light page with the label's colour as a band and its name. */
async function labelJpeg(color: { r: number; g: number; b: number }, text: string): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><rect width="1240" height="1754" fill="#f2f4f7"/>` +
    `<rect x="120" y="150" width="1000" height="400" fill="rgb(${color.r},${color.g},${color.b})"/>` +
    `<text x="620" y="400" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" font-size="140" fill="#fff">${text}</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

// ---------------------------------------------------------------- what the checks read

const documentOf = (id: string) => succeeded(api.GET('/v1/documents/{id}', { params: { path: { id } } }));

async function revisionReady(documentId: string, number: number): Promise<void> {
  await eventually(
    async () => {
      const revision = (await documentOf(documentId)).revisions?.find((candidate) => candidate.number === number);
      if (revision?.status === 'failed') throw new Error(`revision ${number} failed: ${revision.failureReason}`);
      return revision?.status === 'ready' ? true : undefined;
    },
    { what: `revision ${number} rendered`, timeoutMs: 120_000 },
  );
}

/** The `count`-th email of the proof to the contact (the outbox lists the newest first). */
async function proofEmail(to: string, number: string, count: number): Promise<OutboxEmail> {
  return eventually(
    async () => {
      const emails = (await stack.readOutbox()).filter((email) => recipientsOf(email).includes(to) && email.subject.includes(number));
      return emails.length >= count ? emails[0] : undefined;
    },
    { what: `email ${count} of proof ${number}`, timeoutMs: 120_000 },
  );
}

function portalLink(email: OutboxEmail): string {
  const link = email.links.find((url) => url.startsWith(`${stack.baseUrl}/d/`));
  if (!link) throw new Error(`no portal link in "${email.subject}"`);
  return link;
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The mean colour of the label's area (in its band, below its text) of a page image. */
async function labelColour(image: Buffer): Promise<{ r: number; g: number; b: number }> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const area = await sharp(image)
    .extract({ left: Math.round(width * 0.3), top: Math.round(height * 0.235), width: Math.round(width * 0.4), height: Math.round(height * 0.045) })
    .png()
    .toBuffer();
  // stats() reads its input, not the pipeline's output: measure the extracted area as an image of its own.
  const { channels } = await sharp(area).stats();
  return { r: channels[0]!.mean, g: channels[1]!.mean, b: channels[2]!.mean };
}

/** Where a pin is drawn, in percent of its page: [left, top]. */
async function pinPosition(pin: Locator): Promise<number[]> {
  return [...((await pin.getAttribute('style')) ?? '').matchAll(/([\d.]+)%/g)].map((match) => Number(match[1]));
}

function dominantChannel({ r, g, b }: { r: number; g: number; b: number }): string {
  if (b > r && b > g) return 'blue';
  if (g > r && g > b) return 'green';
  return r > 150 && g > 150 && b < 100 ? 'yellow' : 'other';
}

/**
 * Detail at the zoom image's scale: the spread of a Laplacian over the grey image, the preview
 * first enlarged to the same width. An enlarged preview is smooth; the zoom keeps the grain.
 */
async function sharpness(image: Buffer, width: number): Promise<number> {
  const laplacian = await sharp(image)
    .resize({ width })
    .greyscale()
    .convolve({ width: 3, height: 3, kernel: [0, 1, 0, 1, -4, 1, 0, 1, 0], offset: 128 })
    .png()
    .toBuffer();
  const { channels } = await sharp(laplacian).stats();
  return channels[0]!.stdev;
}

/**
 * Pixels of the watermark (crimson, rgb(220, 20, 60) at 55 %): over white, the photo or any
 * label its red stands well above the green. Nothing on these pages is like that without it:
 * the photo and the labels all have more green than red, or nearly as much (yellow).
 */
function looksLikeWatermark(r: number, g: number): boolean {
  return r > g + 40;
}

/** The share of pixels along the rising diagonal (bottom left to top right, ±2 % of the height) that look like the watermark. */
async function watermarkShareOnDiagonal(image: Buffer | string, width?: number): Promise<number> {
  const raw = await sharp(image)
    .resize(width ? { width } : undefined)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = raw.info;
  let hits = 0;
  let samples = 0;
  const band = Math.round(h * 0.02);
  for (let x = Math.round(w * 0.1); x < w * 0.9; x += 1) {
    const centre = Math.round(h - (x * h) / w);
    for (let y = centre - band; y <= centre + band; y += 1) {
      if (y < 0 || y >= h) continue;
      const offset = (y * w + x) * 3;
      samples += 1;
      if (looksLikeWatermark(raw.data[offset]!, raw.data[offset + 1]!)) hits += 1;
    }
  }
  return hits / samples;
}

/**
 * Every page carries the watermark burnt in (rasterized by poppler, its colour found along the
 * diagonal where the preview of the same page has none), no embedded image is above about
 * 150 dpi, and the file is smaller than the original.
 */
async function checkWatermarkedPdf(watermarked: Buffer, original: Uint8Array, previewUrls: string[]): Promise<void> {
  expect(watermarked.subarray(0, 4).toString('latin1')).toBe('%PDF');
  expect(watermarked.length).toBeLessThan(original.length);
  const file = path.join(workDir, 'watermarked.pdf');
  await writeFile(file, watermarked);

  const { stdout: list } = await run('pdfimages', ['-list', file]);
  // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
  const images = list.split('\n').slice(2).filter((line) => line.trim()).map((line) => line.trim().split(/\s+/));
  expect(images.map((columns) => Number(columns[0]))).toEqual([1, 2, 3]);
  for (const columns of images) {
    expect(Number(columns[12])).toBeLessThanOrEqual(155);
    expect(Number(columns[13])).toBeLessThanOrEqual(155);
  }

  await run('pdftoppm', ['-r', '72', '-png', file, path.join(workDir, 'page')]);
  const rasters = (await readdir(workDir)).filter((name) => name.startsWith('page') && name.endsWith('.png')).sort();
  expect(rasters).toHaveLength(3);
  for (const [index, name] of rasters.entries()) {
    const raster = await readFile(path.join(workDir, name));
    const { width } = await sharp(raster).metadata();
    const onPage = await watermarkShareOnDiagonal(raster);
    const onPreview = await watermarkShareOnDiagonal(await download(previewUrls[index]!), width);
    expect(onPage).toBeGreaterThan(0.05);
    expect(onPreview).toBeLessThan(0.005);
  }
}
