/**
 * The seller's logo, checked as proof images are (services/render/inspect-upload.ts): what it
 * is comes from its first bytes, and the declared type must agree; its size is capped before
 * it is read; its header's dimensions are bounded before any pixel is decoded; then sharp
 * decodes it whole (a truncated or corrupt file fails here, not on a customer's page) and it
 * is stored resized, as a PNG without metadata, small enough to go on every page, PDF and email.
 */
import sharp from 'sharp';
import { AppError } from '../../domain/errors';

export const LOGO_MAX_BYTES = 5 * 1024 * 1024;
/** Header dimensions above this are refused before decoding: a logo is no poster. */
const LOGO_MAX_PIXELS = 40_000_000;
/** The stored logo fits this box (twice the largest size shown, for sharp screens and print). */
export const LOGO_BOX = { width: 800, height: 320 };

const KINDS = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
type LogoKind = keyof typeof KINDS;

function sniff(bytes: Buffer): LogoKind | undefined {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return undefined;
}

function refuse(code: 'unsupported_media_type' | 'unprocessable' | 'validation_failed', reason: string): AppError {
  return new AppError(code, `The logo is refused: ${reason}.`, [{ path: 'logo', message: reason }]);
}

export interface PreparedLogo {
  png: Buffer;
  width: number;
  height: number;
}

/** The logo as stored, or the reason it is refused (4xx). `declaredType`: the request's Content-Type. */
export async function prepareLogo(bytes: Buffer, declaredType: string | undefined): Promise<PreparedLogo> {
  if (bytes.length === 0) throw refuse('validation_failed', 'the body is empty; send the image itself (PNG, JPEG or WebP)');
  const kind = sniff(bytes);
  if (!kind) throw refuse('unsupported_media_type', 'the content is not a PNG, JPEG or WebP image');
  const declared = declaredType?.split(';')[0]?.trim().toLowerCase();
  if (declared && declared !== KINDS[kind]) throw refuse('unsupported_media_type', `the content is ${KINDS[kind]}, not ${declared} as its Content-Type says`);
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw refuse('unprocessable', `the file starts like ${KINDS[kind]} but cannot be read`);
  }
  const { width = 0, height = 0 } = metadata;
  if (width * height > LOGO_MAX_PIXELS) throw refuse('unprocessable', `${width}×${height} pixels is more than the ${LOGO_MAX_PIXELS / 1e6} megapixels allowed`);
  if ((metadata.pages ?? 1) > 1) throw refuse('unprocessable', 'an animated image cannot be a logo');
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: LOGO_MAX_PIXELS, failOn: 'truncated' })
      .rotate()
      .resize({ ...LOGO_BOX, fit: 'inside', withoutEnlargement: true })
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  } catch {
    throw refuse('unprocessable', `the ${KINDS[kind]} is damaged and cannot be decoded`);
  }
}
