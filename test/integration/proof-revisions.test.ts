/**
 * Proof revisions over HTTP with the real stack: upload, content checks, rendering by the
 * worker (previews, zoom, watermarked PDF), and a hostile PDF that fails only its revision.
 * The back office is the typed client; uploads stay raw multipart (see test/support/proof-uploads.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import { PDFDocument, PDFName, rgb } from 'pdf-lib';
import sharp from 'sharp';
import { openFileStore } from '../../services/files/store';
import { revisionRenderWorkflowId } from '../../services/render/render-start';
import { WATERMARK_RGB } from '../../services/render/watermark';
import { saveClosedHistory } from '../replay/record';
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let apiKey: string;
let api: GreenlightClient;
let customerId: string;

beforeAll(async () => {
  // A hostile file must be stopped quickly in this test; production keeps the default.
  process.env.RENDER_TIMEOUT_MS = '15000';
  stack = await startStack();
  ({ apiKey } = await stack.createTenant('Imprimerie Proof'));
  api = greenlightClient(stack.baseUrl, apiKey);
  customerId = (await succeeded(api.POST('/v1/customers', { body: { name: 'Client BAT' } }))).id;
});

afterAll(async () => {
  await stack?.close();
  delete process.env.RENDER_TIMEOUT_MS;
});

const byId = (id: string) => ({ params: { path: { id } } });
const documentOf = (id: string) => succeeded(api.GET('/v1/documents/{id}', byId(id)));

/** A page of revision 1 at zoom size, as bytes. */
async function zoomOf(documentId: string, page: number): Promise<{ status: number; bytes: Buffer }> {
  const answer = await api.GET('/v1/documents/{id}/revisions/{number}/pages/{page}', {
    params: { path: { id: documentId, number: 1, page }, query: { size: 'zoom' } },
    parseAs: 'arrayBuffer',
  });
  return { status: answer.response.status, bytes: Buffer.from(answer.data ?? new ArrayBuffer(0)) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function upload(documentId: string, files: { name: string; bytes: Uint8Array; type?: string }[]): Promise<{ status: number; body: any }> {
  const form = new FormData();
  for (const file of files) form.append('files', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  const response = await fetch(`${stack.baseUrl}/v1/documents/${documentId}/revisions`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
  return { status: response.status, body: await response.json() };
}

async function newProof(): Promise<string> {
  return (await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId, title: 'Flyer A5', lines: [] } }), 201)).id;
}

/** A print-like PDF: a green page with a large grey photo (3000×2000, full resolution) on it. */
async function printPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const photo = await pdf.embedJpg(
    await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 4 } } }).jpeg({ quality: 95 }).toBuffer(),
  );
  for (let index = 0; index < pages; index += 1) {
    const page = pdf.addPage([595, 842]);
    page.drawRectangle({ x: 40, y: 40, width: 515, height: 762, color: rgb(0.1, 0.5, 0.2) });
    page.drawImage(photo, { x: 60, y: 420, width: 475, height: 317 });
    page.drawText(`Page ${index + 1}`, { x: 60, y: 780, size: 24, color: rgb(1, 1, 1) });
  }
  return pdf.save();
}

async function revisionRendered(documentId: string, number: number) {
  return eventually(
    async () => {
      const revision = await stack.prisma.revision.findFirst({ where: { documentId, number }, include: { pages: { orderBy: { position: 'asc' } } } });
      return revision && revision.status !== 'rendering' ? revision : undefined;
    },
    { what: `revision ${number} of ${documentId} rendered` },
  );
}

/** GET /v1/documents/:id/pdf: the seller's PDF of the document, and the name it is saved under. */
async function sellerPdf(documentId: string): Promise<{ bytes: Buffer; filename: string }> {
  const { data, response } = await api.GET('/v1/documents/{id}/pdf', { ...byId(documentId), parseAs: 'arrayBuffer' });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pdf');
  return { bytes: Buffer.from(data ?? new ArrayBuffer(0)), filename: /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? '' };
}

/** Share of pixels close to the watermark colour along the image's rising diagonal. */
async function watermarkShareOnDiagonal(image: Buffer): Promise<number> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let hits = 0;
  const samples = 400;
  for (let step = 0; step < samples; step += 1) {
    const x = Math.floor(((step + 0.5) / samples) * info.width);
    const y = Math.floor((1 - (step + 0.5) / samples) * info.height);
    const offset = (y * info.width + x) * info.channels;
    const [r, g, b] = [data[offset]!, data[offset + 1]!, data[offset + 2]!];
    // The watermark is translucent: red clearly dominates where it covers the green page.
    if (r > g + 40 && r > b + 20 && r > WATERMARK_RGB.r * 0.4) hits += 1;
  }
  return hits / samples;
}

describe('proof revisions', () => {
  it('renders a 3-page PDF, then three JPEGs as revision 2 in the order given', async () => {
    const documentId = await newProof();
    const original = await printPdf(3);
    const first = await upload(documentId, [{ name: 'flyer.pdf', bytes: original, type: 'application/pdf' }]);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ pages: 3, revision: { number: 1, status: 'rendering', pages: 3 } });

    const revision1 = await revisionRendered(documentId, 1);
    expect(revision1.status).toBe('ready');
    const store = openFileStore(stack.config);
    for (const page of revision1.pages) {
      expect(page.width).toBe(1600);
      const widths = await Promise.all([page.previewKey, page.mediumKey, page.smallKey, page.thumbnailKey].map(async (key) => (await sharp(await store.get(key!)).metadata()).width));
      expect(widths).toEqual([1600, 1200, 800, 320]);
      // Zoom images are rendered on their first request, not with the revision.
      expect(page.zoomKey).toBeNull();
    }

    // The download: watermark burnt in along the diagonal (the preview has none there), ~150 dpi, smaller than the original.
    const download = await store.get(revision1.watermarkedPdfKey!);
    const work = mkdtempSync(path.join(tmpdir(), 'proof-download-'));
    try {
      writeFileSync(path.join(work, 'download.pdf'), download);
      execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '72', '-png', path.join(work, 'download.pdf'), path.join(work, 'page')]);
      const rasterized = readFileSync(path.join(work, readdirSync(work).find((name) => name.endsWith('.png'))!));
      expect(await watermarkShareOnDiagonal(rasterized)).toBeGreaterThan(0.2);
      expect(await watermarkShareOnDiagonal(await store.get(revision1.pages[0]!.previewKey!))).toBe(0);
      const images = execFileSync('pdfimages', ['-list', path.join(work, 'download.pdf')]).toString().split('\n').slice(2).filter(Boolean);
      expect(images).toHaveLength(3);
      for (const line of images) {
        const [xPpi, yPpi] = line.trim().split(/\s+/).slice(12, 14).map(Number);
        expect(xPpi).toBeLessThanOrEqual(151);
        expect(yPpi).toBeLessThanOrEqual(151);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    expect(download.length).toBeLessThan(original.length);

    const colours = ['#d00000', '#00a000', '#0000d0'];
    const jpegs = await Promise.all(colours.map((colour) => sharp({ create: { width: 1200, height: 800, channels: 3, background: colour } }).jpeg().toBuffer()));
    const second = await upload(documentId, jpegs.map((bytes, index) => ({ name: `page-${index + 1}.jpg`, bytes, type: 'image/jpeg' })));
    expect(second.status).toBe(201);
    const revision2 = await revisionRendered(documentId, 2);
    expect(revision2.status).toBe('ready');
    const dominant = await Promise.all(
      revision2.pages.map(async (page) => {
        const { channels } = await sharp(await openFileStore(stack.config).get(page.previewKey!)).stats();
        return ['r', 'g', 'b'][channels.slice(0, 3).reduce((best, channel, index, all) => (channel.mean > all[best]!.mean ? index : best), 0)];
      }),
    );
    expect(dominant).toEqual(['r', 'g', 'b']);

    expect((await documentOf(documentId)).revisions).toEqual([
      expect.objectContaining({ number: 1, status: 'ready', pages: 3 }),
      expect.objectContaining({ number: 2, status: 'ready', pages: 3 }),
    ]);
  });

  it("serves the seller the newest revision's original: the PDF uploaded as it is, several files as one PDF of their pages in order", async () => {
    const documentId = await newProof();
    const none = await api.GET('/v1/documents/{id}/pdf', { ...byId(documentId), parseAs: 'arrayBuffer' });
    expect(none.response.status).toBe(404);

    const original = await printPdf(2);
    expect((await upload(documentId, [{ name: 'flyer.pdf', bytes: original, type: 'application/pdf' }])).status).toBe(201);
    // Served from the upload on, rendered or not.
    const first = await sellerPdf(documentId);
    expect(first.filename).toMatch(/-r1\.pdf$/);
    expect(first.bytes.equals(Buffer.from(original))).toBe(true);

    // Revision 2: a one-page PDF, a JPEG, a PNG and a TIFF, in this order.
    const text = await PDFDocument.create();
    text.addPage([420, 595]).drawText('Couverture R2', { x: 40, y: 540, size: 24, color: rgb(0, 0, 0) });
    const picture = (colour: string) => sharp({ create: { width: 600, height: 400, channels: 3, background: colour } });
    const jpeg = await picture('#d00000').jpeg({ quality: 90 }).toBuffer();
    const png = await picture('#00a000').png().toBuffer();
    const tiff = await picture('#0000d0').tiff().toBuffer();
    const files = [
      { name: 'cover.pdf', bytes: await text.save(), type: 'application/pdf' },
      { name: 'red.jpg', bytes: jpeg, type: 'image/jpeg' },
      { name: 'green.png', bytes: png, type: 'image/png' },
      { name: 'blue.tif', bytes: tiff, type: 'image/tiff' },
    ];
    expect((await upload(documentId, files)).status).toBe(201);
    const second = await sellerPdf(documentId);
    expect(second.filename).toMatch(/-r2\.pdf$/);

    const work = mkdtempSync(path.join(tmpdir(), 'proof-original-'));
    try {
      const file = path.join(work, 'original.pdf');
      writeFileSync(file, second.bytes);
      expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Pages:\s+4/);
      expect(execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-']).toString()).toContain('Couverture R2');
      // The JPEG is embedded as it was sent, byte for byte; the PNG and the TIFF keep their pixels.
      execFileSync('pdfimages', ['-all', file, path.join(work, 'image')]);
      const extracted = readdirSync(work).filter((name) => name.startsWith('image')).sort();
      expect(extracted).toEqual(['image-000.jpg', 'image-001.png', 'image-002.png']);
      expect(readFileSync(path.join(work, 'image-000.jpg')).equals(jpeg)).toBe(true);
      const pixels = async (image: Buffer) => sharp(image).removeAlpha().raw().toBuffer();
      expect((await pixels(readFileSync(path.join(work, 'image-001.png')))).equals(await pixels(png))).toBe(true);
      expect((await pixels(readFileSync(path.join(work, 'image-002.png')))).equals(await pixels(tiff))).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    // The seller's look is recorded, never counted as the customer's download.
    expect((await documentOf(documentId)).downloadCount).toBe(0);
  });

  it('renders a zoom image on its first request, watermarked, through the worker, then serves it from the store', async () => {
    const documentId = await newProof();
    const original = await printPdf(2);
    expect((await upload(documentId, [{ name: 'flyer.pdf', bytes: original, type: 'application/pdf' }])).status).toBe(201);
    const revision = await revisionRendered(documentId, 1);
    expect(revision.status).toBe('ready');
    const workflowId = `zoom-${revision.id}-2`;
    await expect(stack.client.workflow.getHandle(workflowId).describe()).rejects.toThrow();

    const first = await zoomOf(documentId, 2);
    expect(first.status).toBe(200);
    const run = await stack.client.workflow.getHandle(workflowId).describe();
    expect(run.status.name).toBe('COMPLETED');
    expect((await sharp(first.bytes).metadata()).width).toBe(3200);
    const work = mkdtempSync(path.join(tmpdir(), 'proof-zoom-'));
    try {
      // The same page rendered clean at the same width has no watermark on its diagonal; the zoom image has.
      writeFileSync(path.join(work, 'original.pdf'), original);
      execFileSync('pdftoppm', ['-f', '2', '-l', '2', '-scale-to-x', '3200', '-scale-to-y', '-1', '-png', path.join(work, 'original.pdf'), path.join(work, 'clean')]);
      const clean = readFileSync(path.join(work, readdirSync(work).find((name) => name.endsWith('.png'))!));
      expect(await watermarkShareOnDiagonal(clean)).toBe(0);
      expect(await watermarkShareOnDiagonal(first.bytes)).toBeGreaterThan(0.2);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const page = await stack.prisma.revisionPage.findUniqueOrThrow({ where: { revisionId_position: { revisionId: revision.id, position: 2 } } });
    expect(page.zoomKey).not.toBeNull();
    expect(await openFileStore(stack.config).get(page.zoomKey!)).toEqual(first.bytes);

    // The second request is served from the store: the same bytes, and no new render was started.
    const second = await zoomOf(documentId, 2);
    expect(second.status).toBe(200);
    expect(second.bytes).toEqual(first.bytes);
    expect((await stack.client.workflow.getHandle(workflowId).describe()).runId).toBe(run.runId);
    // Page 1 was never asked for: still not rendered.
    expect((await stack.prisma.revisionPage.findUniqueOrThrow({ where: { revisionId_position: { revisionId: revision.id, position: 1 } } })).zoomKey).toBeNull();
    if (process.env.RECORD_REPLAY_HISTORIES === '1') {
      await saveClosedHistory(stack.client.workflow, revisionRenderWorkflowId(revision.id), 'proof-revision-rendered');
      await saveClosedHistory(stack.client.workflow, workflowId, 'proof-zoom-rendered');
    }
  });

  it('renders a zoom image once for simultaneous first requests', async () => {
    const documentId = await newProof();
    expect((await upload(documentId, [{ name: 'flyer.pdf', bytes: await printPdf(1), type: 'application/pdf' }])).status).toBe(201);
    const revision = await revisionRendered(documentId, 1);
    const answers = await Promise.all([1, 2, 3].map(() => zoomOf(documentId, 1)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers[1]!.bytes).toEqual(answers[0]!.bytes);
    expect(answers[2]!.bytes).toEqual(answers[0]!.bytes);
    const runs = await eventually(
      async () => {
        const found = [];
        for await (const execution of stack.client.workflow.list({ query: `WorkflowId = "zoom-${revision.id}-1"` })) found.push(execution.runId);
        return found.length > 0 ? found : undefined;
      },
      { what: 'the zoom render listed' },
    );
    expect(runs).toHaveLength(1);
  });

  it('refuses a bad upload naming the file, storing nothing', async () => {
    const documentId = await newProof();
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } }).png().toBuffer();
    const refused = await upload(documentId, [
      { name: 'good.pdf', bytes: await printPdf(1), type: 'application/pdf' },
      { name: 'fake.pdf', bytes: png, type: 'application/pdf' },
    ]);
    expect(refused.status).toBe(415);
    expect(refused.body.detail).toMatch(/"fake\.pdf"/);
    expect(await stack.prisma.revision.count({ where: { documentId } })).toBe(0);
    expect(await openFileStore(stack.config).exists(`proofs/${documentId}/`)).toBe(false);
  });

  it('fails hostile PDFs in their own revisions; another document still renders', async () => {
    // Deeply nested objects: 40 levels of forms, each drawing the next one twice (2^40 draws) in a 7 KB file.
    const nested = await PDFDocument.create();
    let form = nested.context.register(nested.context.stream('0 0 m 595 842 l S', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 595, 842] }));
    for (let level = 0; level < 40; level += 1) {
      form = nested.context.register(
        nested.context.stream('/X Do /X Do', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 595, 842], Resources: { XObject: { X: form } } }),
      );
    }
    const nestedPage = nested.addPage([595, 842]);
    nestedPage.node.set(PDFName.of('Resources'), nested.context.obj({ XObject: { X: form } }));
    nestedPage.node.set(PDFName.of('Contents'), nested.context.register(nested.context.stream('/X Do')));

    // A decompression bomb: a small stream that inflates to about 300 MB of drawing operators.
    const bomb = await PDFDocument.create();
    const operators = Buffer.from('0 0 m 595 842 l S\n'.repeat(16_000_000));
    // Compressed off the event loop: blocking it for seconds would let the API's keep-alive timer
    // close the test's idle connection just as the next request goes out on it (ECONNRESET).
    const bombStream = bomb.context.stream(await promisify(deflate)(operators, { level: 9 }), { Filter: 'FlateDecode' });
    bomb.addPage([595, 842]).node.set(PDFName.of('Contents'), bomb.context.register(bombStream));

    const hostileDocuments: string[] = [];
    for (const [name, pdf] of [['nested.pdf', nested], ['bomb.pdf', bomb]] as const) {
      const documentId = await newProof();
      const accepted = await upload(documentId, [{ name, bytes: await pdf.save(), type: 'application/pdf' }]);
      // Both open fine (pdfinfo reads no page content): only rendering meets the trap.
      expect(accepted.status).toBe(201);
      hostileDocuments.push(documentId);
    }
    const healthyDocument = await newProof();
    expect((await upload(healthyDocument, [{ name: 'ok.pdf', bytes: await printPdf(1) }])).status).toBe(201);

    for (const documentId of hostileDocuments) {
      const failed = await revisionRendered(documentId, 1);
      expect(failed.status).toBe('failed');
      expect(failed.failureReason).toMatch(/pdftoppm (took longer than 15000 ms|exceeded its memory bound)/);
      expect((await documentOf(documentId)).revisions).toEqual([expect.objectContaining({ number: 1, status: 'failed', failureReason: failed.failureReason })]);
    }
    expect((await revisionRendered(healthyDocument, 1)).status).toBe('ready');
    // And the worker that met the traps still serves the next upload.
    const afterwards = await newProof();
    expect((await upload(afterwards, [{ name: 'next.pdf', bytes: await printPdf(1) }])).status).toBe(201);
    expect((await revisionRendered(afterwards, 1)).status).toBe('ready');
  });
});
