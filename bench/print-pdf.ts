/**
 * A print PDF as a print shop's customer sends it: A4 pages, each with a different photo-like
 * image (what makes a proof heavy to render and to download), for the benches that need one.
 */
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

/** A photo-like image: smooth colour gradients under fine grain, different on every page. */
async function photo(page: number, width: number, height: number): Promise<Buffer> {
  const gradient = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x2="1" y2="1">` +
      `<stop offset="0" stop-color="hsl(${(page * 37) % 360},70%,55%)"/><stop offset="1" stop-color="hsl(${(page * 37 + 140) % 360},60%,35%)"/>` +
      `</linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="${Math.round(width * 0.3) + page * 50}" cy="${Math.round(height / 2)}" r="${Math.round(Math.min(width, height) * 0.3)}" fill="hsl(${(page * 53) % 360},80%,70%)"/></svg>`,
  );
  const grain = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 12 } } })
    .png()
    .toBuffer();
  return sharp(gradient).composite([{ input: grain, blend: 'overlay' }]).jpeg({ quality: 90 }).toBuffer();
}

/**
 * `pages` A4 pages, a photo on each: a 3000×2000 one in the upper half of the page, or
 * (`fullPage`) a 2000×2830 one over the whole page, as a catalogue's pages are printed.
 */
export async function photoPrintPdf(pages: number, options: { fullPage?: boolean } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let page = 1; page <= pages; page += 1) {
    if (options.fullPage) {
      pdf.addPage([595, 842]).drawImage(await pdf.embedJpg(await photo(page, 2000, 2830)), { x: 0, y: 0, width: 595, height: 842 });
    } else {
      pdf.addPage([595, 842]).drawImage(await pdf.embedJpg(await photo(page, 3000, 2000)), { x: 28, y: 400, width: 539, height: 359 });
    }
  }
  return pdf.save();
}
