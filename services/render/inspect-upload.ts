/**
 * Checks a proof upload by content before anything is stored: what a file is comes from its
 * first bytes (magic numbers), never from its name or declared type; a PDF must open (not
 * encrypted, not broken) within the rasterizer's bounds; pages and pixels stay under the caps.
 * Each refusal names the file and the reason.
 */
import sharp from 'sharp';
import { AppError, type ErrorCode } from '../../domain/errors';
import type { ProofUploadLimits, RenderLimits } from '../../platform/config';
import { FileRefused, readPdfInfo, withTempPdf, type PageSize } from './poppler';
import { ZOOM_WIDTH } from './proof-sizes';

export type ProofFileKind = 'pdf' | 'jpeg' | 'png' | 'tiff';

export interface UploadedFile {
  filename: string;
  /** The Content-Type the client declared for the part. */
  declaredType: string;
  bytes: Buffer;
}

export interface InspectedFile {
  file: UploadedFile;
  kind: ProofFileKind;
  /** PDF: one per page; image: one. */
  pages: PageSize[] | 1;
}

const KIND_NAMES: Record<ProofFileKind, string> = { pdf: 'a PDF', jpeg: 'a JPEG image', png: 'a PNG image', tiff: 'a TIFF image' };
const EXTENSIONS: Record<string, ProofFileKind> = { pdf: 'pdf', jpg: 'jpeg', jpeg: 'jpeg', png: 'png', tif: 'tiff', tiff: 'tiff' };
const MEDIA_TYPES: Record<string, ProofFileKind> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/tiff': 'tiff' };

function sniffKind(bytes: Buffer): ProofFileKind | undefined {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  // PDF readers accept the header within the first kilobyte; so do we.
  if (bytes.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  return undefined;
}

function refuse(code: ErrorCode, file: UploadedFile, reason: string): AppError {
  return new AppError(code, `"${file.filename}": ${reason}.`, [{ path: `files/${file.filename}`, message: reason }]);
}

/** What the name and the declared type say the file is; both, when both say something, must agree with the content. */
function claimedKinds(file: UploadedFile): ProofFileKind[] {
  const extension = /\.([A-Za-z]+)$/.exec(file.filename)?.[1]?.toLowerCase();
  const byName = extension ? EXTENSIONS[extension] : undefined;
  const byType = MEDIA_TYPES[file.declaredType.toLowerCase()];
  return [byName, byType].filter((kind): kind is ProofFileKind => kind !== undefined);
}

async function inspectPdf(file: UploadedFile, uploadLimits: ProofUploadLimits, renderLimits: RenderLimits): Promise<PageSize[]> {
  try {
    return await withTempPdf(file.bytes, (path) => readPdfInfo(path, renderLimits, uploadLimits.maxPages));
  } catch (error) {
    if (error instanceof FileRefused) throw refuse('unprocessable', file, /pdfinfo:/.test(error.reason) ? `the PDF is damaged and cannot be read (${error.reason})` : error.reason);
    throw error;
  }
}

async function inspectImage(file: UploadedFile, kind: ProofFileKind, limits: ProofUploadLimits): Promise<void> {
  let metadata: sharp.Metadata;
  try {
    // Header only: no pixels decoded here.
    metadata = await sharp(file.bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw refuse('unprocessable', file, `the file starts like ${KIND_NAMES[kind]} but cannot be read`);
  }
  const { width = 0, height = 0 } = metadata;
  if (width * height > limits.maxPixels) {
    throw refuse('unprocessable', file, `${width}×${height} pixels is more than the ${limits.maxPixels / 1e6} megapixels allowed`);
  }
  if ((metadata.pages ?? 1) > 1) throw refuse('unprocessable', file, `the TIFF holds ${metadata.pages} pages; send one file per page, or a PDF`);
}

export async function inspectUpload(files: UploadedFile[], uploadLimits: ProofUploadLimits, renderLimits: RenderLimits): Promise<InspectedFile[]> {
  if (files.length === 0) throw new AppError('validation_failed', 'Send at least one file in the "files" field.', [{ path: 'files', message: 'required' }]);
  const inspected: InspectedFile[] = [];
  let pageCount = 0;
  for (const file of files) {
    const kind = sniffKind(file.bytes);
    if (!kind) throw refuse('unsupported_media_type', file, 'the content is not a PDF, JPEG, PNG or TIFF file');
    const wrongClaim = claimedKinds(file).find((claim) => claim !== kind);
    if (wrongClaim) throw refuse('unsupported_media_type', file, `the content is ${KIND_NAMES[kind]}, not ${KIND_NAMES[wrongClaim]} as its name or type says`);
    if (kind === 'pdf') {
      const pages = await inspectPdf(file, uploadLimits, renderLimits);
      const tooLarge = pages.findIndex((page) => ZOOM_WIDTH * Math.ceil((ZOOM_WIDTH * page.height) / page.width) > uploadLimits.maxPixels);
      if (tooLarge >= 0) throw refuse('unprocessable', file, `page ${tooLarge + 1} is so elongated that its zoom image would exceed ${uploadLimits.maxPixels / 1e6} megapixels`);
      inspected.push({ file, kind, pages });
    } else {
      await inspectImage(file, kind, uploadLimits);
      inspected.push({ file, kind, pages: 1 });
    }
    // Several files together may pass the cap that each one respects: name the one that crosses it.
    const entry = inspected.at(-1)!;
    pageCount += entry.pages === 1 ? 1 : entry.pages.length;
    if (pageCount > uploadLimits.maxPages) {
      throw refuse('unprocessable', file, `with this file the upload has ${pageCount} pages, more than the ${uploadLimits.maxPages} allowed`);
    }
  }
  return inspected;
}
