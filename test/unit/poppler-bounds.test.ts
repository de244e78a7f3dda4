/** The rasterizer's bounds: a run over its memory or time is refused with the reason, not returned half-done. */
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { FileRefused, rasterizePages, withTempPdf, type RawPage } from '../../services/render/poppler';

async function photoPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const photo = await pdf.embedJpg(await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#369' } }).jpeg().toBuffer());
  pdf.addPage([595, 842]).drawImage(photo, { x: 0, y: 0, width: 595, height: 842 });
  return pdf.save();
}

async function rasterized(pdf: Uint8Array, width: number, memoryBytes: number): Promise<RawPage[]> {
  return withTempPdf(pdf, async (file, dir) => {
    const pages: RawPage[] = [];
    for await (const page of rasterizePages(file, dir, { first: 1, last: 1 }, width, { timeoutMs: 60_000, memoryBytes })) pages.push(page);
    return pages;
  });
}

async function refusalOf(run: Promise<unknown>): Promise<FileRefused> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof FileRefused)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('pdftoppm bounds', () => {
  it('renders within generous bounds', async () => {
    const pages = await rasterized(await photoPdf(), 800, 1024 ** 3);
    // A4 at 800 px is 1132.1 px tall: pdftoppm rounds up.
    expect(pages.map(({ width, height, pixels }) => ({ width, height, bytes: pixels.length }))).toEqual([{ width: 800, height: 1133, bytes: 800 * 1133 * 3 }]);
  });

  it('refuses a run over its memory bound instead of returning a blank page', async () => {
    const error = await refusalOf(rasterized(await photoPdf(), 3200, 60 * 1024 * 1024));
    expect(error.reason).toMatch(/pdftoppm (exceeded its memory bound|was stopped by)/);
  });
});
