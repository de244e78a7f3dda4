/**
 * The watermark burnt into the pixels of every page of the proof download and of every zoom
 * image: a diagonal line of text in the tenant's language, drawn through SVG (librsvg with the
 * system DejaVu fonts) and composited by sharp, so it cannot be removed as a layer.
 */
import sharp from 'sharp';

const WATERMARK_TEXT: Record<string, string> = {
  fr: 'BAT — NE PAS IMPRIMER',
  en: 'PROOF — NOT FOR PRINT',
  sv: 'KORREKTUR — EJ FÖR TRYCK',
};

/** The colour the watermark is drawn in (tests look for it). */
export const WATERMARK_RGB = { r: 220, g: 20, b: 60 } as const;

function watermarkText(locale: string): string {
  return WATERMARK_TEXT[locale.slice(0, 2).toLowerCase()] ?? WATERMARK_TEXT.en!;
}

function watermarkSvg(width: number, height: number, text: string): Buffer {
  const angle = (Math.atan2(height, width) * 180) / Math.PI;
  const diagonal = Math.hypot(width, height);
  // DejaVu Sans Bold capitals are about 0.68 em wide: the text spans about 80% of the diagonal.
  const fontSize = Math.round((diagonal * 0.8) / (text.length * 0.68));
  const { r, g, b } = WATERMARK_RGB;
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="50%" y="50%" text-anchor="middle" dominant-baseline="central" font-family="DejaVu Sans" font-weight="bold" ` +
      `font-size="${fontSize}" fill="rgb(${r},${g},${b})" fill-opacity="0.55" ` +
      `transform="rotate(${-angle.toFixed(2)} ${width / 2} ${height / 2})">${escaped}</text></svg>`,
  );
}

/** A JPEG of the image with the watermark composited across its diagonal. */
export async function watermarkedJpeg(image: sharp.Sharp, width: number, height: number, locale: string, quality: number): Promise<Buffer> {
  return image
    .composite([{ input: watermarkSvg(width, height, watermarkText(locale)), top: 0, left: 0 }])
    .jpeg({ quality, mozjpeg: false })
    .toBuffer();
}
