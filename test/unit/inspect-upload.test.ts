/** Proof uploads are checked by content: real small files made here with pdf-lib and sharp. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { inspectUpload, type UploadedFile } from '../../services/render/inspect-upload';
import { AppError } from '../../domain/errors';
import { loadConfig } from '../../platform/config';

const { proofUploads, render } = loadConfig({});

async function pdfOf(pages: number, size: [number, number] = [595, 842]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  for (let index = 0; index < pages; index += 1) pdf.addPage(size).drawText(`Page ${index + 1}`, { x: 50, y: 50 });
  return Buffer.from(await pdf.save());
}

const png = (width = 40, height = 30) => sharp({ create: { width, height, channels: 3, background: '#3366cc' } }).png().toBuffer();
const file = (filename: string, bytes: Buffer, declaredType = 'application/octet-stream'): UploadedFile => ({ filename, bytes, declaredType });

async function refusal(files: UploadedFile[], limits = proofUploads): Promise<AppError> {
  const error = await inspectUpload(files, limits, render).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('proof upload content checks', () => {
  it('accepts a PDF and images, counting pages in order', async () => {
    const inspected = await inspectUpload([file('proof.pdf', await pdfOf(3), 'application/pdf'), file('back.png', await png(), 'image/png')], proofUploads, render);
    expect(inspected.map((entry) => [entry.kind, entry.pages === 1 ? 1 : entry.pages.length])).toEqual([
      ['pdf', 3],
      ['png', 1],
    ]);
  });

  it('refuses a PNG named .pdf, naming the file', async () => {
    const error = await refusal([file('proof.pdf', await png())]);
    expect(error.status).toBe(415);
    expect(error.detail).toMatch(/"proof\.pdf": the content is a PNG image, not a PDF/);
  });

  it('refuses a file that is none of the accepted kinds', async () => {
    const error = await refusal([file('notes.txt', Buffer.from('hello'))]);
    expect(error.detail).toMatch(/"notes\.txt": the content is not a PDF, JPEG, PNG or TIFF/);
  });

  it('refuses a truncated PDF as damaged', async () => {
    const whole = await pdfOf(2);
    const error = await refusal([file('cut.pdf', whole.subarray(0, Math.floor(whole.length / 3)))]);
    expect(error.status).toBe(422);
    expect(error.detail).toMatch(/"cut\.pdf": the PDF is damaged/);
  });

  it('refuses an encrypted PDF', async () => {
    let qpdf = true;
    try {
      execFileSync('qpdf', ['--version']);
    } catch {
      qpdf = false;
    }
    if (!qpdf) {
      console.warn('qpdf is not installed: the encrypted PDF case is skipped (apt-get install qpdf)');
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'encrypted-'));
    try {
      writeFileSync(path.join(dir, 'plain.pdf'), await pdfOf(1));
      execFileSync('qpdf', ['--encrypt', 'user-secret', 'owner-secret', '256', '--', path.join(dir, 'plain.pdf'), path.join(dir, 'locked.pdf')]);
      const error = await refusal([file('locked.pdf', readFileSync(path.join(dir, 'locked.pdf')))]);
      expect(error.detail).toMatch(/"locked\.pdf": the PDF is encrypted/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses more pages than the cap', async () => {
    const error = await refusal([file('long.pdf', await pdfOf(4))], { ...proofUploads, maxPages: 3 });
    expect(error.detail).toMatch(/"long\.pdf": the PDF has 4 pages, more than the 3 allowed/);
  });

  it('refuses an image over the pixel cap', async () => {
    const error = await refusal([file('huge.png', await png(2000, 1000))], { ...proofUploads, maxPixels: 1_000_000 });
    expect(error.detail).toMatch(/"huge\.png": 2000×1000 pixels is more than the 1 megapixels allowed/);
  });
});
