/** The rasterizer's bounds: a run over its memory or time is refused with the reason, not returned half-done. */
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { FileRefused, rasterizePages, withTempPdf } from '../../services/render/poppler';

async function photoPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const photo = await pdf.embedJpg(await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#369' } }).jpeg().toBuffer());
  pdf.addPage([595, 842]).drawImage(photo, { x: 0, y: 0, width: 595, height: 842 });
  return pdf.save();
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
    const pages = await withTempPdf(await photoPdf(), (file, dir) => rasterizePages(file, dir, { first: 1, last: 1 }, 800, { timeoutMs: 60_000, memoryBytes: 1024 ** 3 }));
    expect((await sharp(pages[0]).metadata()).width).toBe(800);
  });

  it('refuses a run over its memory bound instead of returning a blank page', async () => {
    const error = await refusalOf(
      withTempPdf(await photoPdf(), (file, dir) => rasterizePages(file, dir, { first: 1, last: 1 }, 3200, { timeoutMs: 60_000, memoryBytes: 60 * 1024 * 1024 })),
    );
    expect(error.reason).toMatch(/pdftoppm (exceeded its memory bound|was stopped by)/);
  });
});
