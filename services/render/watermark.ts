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

/** 8-bit RGB pixels, row after row. */
export interface RgbImage {
  pixels: Buffer;
  width: number;
  height: number;
}

/**
 * Burns the watermark into an image's pixels (in place) and answers it as a JPEG `width` pixels
 * wide (its own width unless given). The pixels are changed only once `after` (what still reads
 * them clean) has resolved: the text is drawn meanwhile.
 */
export type Watermarker = (image: RgbImage, quality: number, options?: { width?: number; after?: Promise<unknown> }) => Promise<Buffer>;

/** The pixels the watermark's text covers (offsets into the RGB bytes), each with its coverage: the text crosses about a tenth of the page. */
interface WatermarkMask {
  offsets: Uint32Array;
  coverage: Uint8Array;
}

/**
 * Watermarks images in the locale's language. The text is drawn once per image size (a
 * revision's pages mostly share one) as the list of pixels it covers, and blended into those
 * pixels here: libvips' composite of a full-page overlay cost more than all of a page's other
 * images, and a pass over every pixel of the page most of the time found nothing to do.
 */
export function watermarker(locale: string): Watermarker {
  const masks = new Map<string, Promise<WatermarkMask>>();
  return async (image, quality, { width = image.width, after } = {}) => {
    const size = `${image.width}x${image.height}`;
    let mask = masks.get(size);
    if (!mask) {
      mask = sharp(watermarkSvg(image.width, image.height, watermarkText(locale))).ensureAlpha().extractChannel(3).raw().toBuffer().then(coveredPixels);
      masks.set(size, mask);
    }
    const [covered] = await Promise.all([mask, after]);
    blend(image.pixels, covered);
    return sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize({ width: Math.min(width, image.width) })
      // Standard Huffman tables (see the wide previews in proof-pages.ts): a download page or a
      // zoom image is fetched once, on demand, and a zoom's first click waits for this encode.
      .jpeg({ quality, optimiseCoding: false })
      .toBuffer();
  };
}

function coveredPixels(alpha: Buffer): WatermarkMask {
  let covered = 0;
  for (let index = 0; index < alpha.length; index += 1) if (alpha[index] !== 0) covered += 1;
  const mask = { offsets: new Uint32Array(covered), coverage: new Uint8Array(covered) };
  for (let index = 0, next = 0; index < alpha.length; index += 1) {
    if (alpha[index] === 0) continue;
    mask.offsets[next] = index * 3;
    mask.coverage[next++] = alpha[index]!;
  }
  return mask;
}

/** Each covered pixel moves towards the watermark colour by its coverage (the text's opacity is in the mask). */
function blend(pixels: Buffer, { offsets, coverage }: WatermarkMask): void {
  const { r, g, b } = WATERMARK_RGB;
  for (let index = 0; index < offsets.length; index += 1) {
    const offset = offsets[index]!;
    const covered = coverage[index]!;
    const rest = 255 - covered;
    pixels[offset] = (pixels[offset]! * rest + r * covered + 127) / 255;
    pixels[offset + 1] = (pixels[offset + 1]! * rest + g * covered + 127) / 255;
    pixels[offset + 2] = (pixels[offset + 2]! * rest + b * covered + 127) / 255;
  }
}
