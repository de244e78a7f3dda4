/**
 * A proof revision's original as one PDF, for the seller (GET /v1/documents/:id/pdf): the
 * files the seller uploaded, in the order the customer sees their pages.
 *
 * - One PDF uploaded: its own bytes, untouched.
 * - Several files (images in order, or PDFs and images mixed): one PDF assembled from them,
 *   nothing resampled — PDF pages copied as they are, JPEG bytes embedded as they are, PNG
 *   pixels kept losslessly. What PDF cannot carry as is goes through a lossless PNG first: a
 *   TIFF, and an image whose EXIF orientation turns it (the customer saw it upright). An image
 *   page is as wide as the watermarked download's (IMAGE_PAGE_WIDTH_PT), at the image's ratio.
 */
import { PDFDocument, type PDFImage } from 'pdf-lib';
import sharp from 'sharp';
import { AppError } from '../../domain/errors';
import { IMAGE_PAGE_WIDTH_PT } from './proof-sizes';

/** One uploaded file, named by its file-store key (its extension says its kind: services/files/keys.ts). */
export interface OriginalFile {
  key: string;
  bytes: Buffer;
}

const isPdf = (file: OriginalFile) => file.key.endsWith('.pdf');

export async function assembleOriginal(files: OriginalFile[]): Promise<Uint8Array> {
  const [only] = files;
  if (files.length === 1 && only && isPdf(only)) return only.bytes;
  const pdf = await PDFDocument.create();
  for (const file of files) {
    if (isPdf(file)) {
      const source = await loadPdf(file);
      for (const page of await pdf.copyPages(source, source.getPageIndices())) pdf.addPage(page);
      continue;
    }
    const image = await embedImage(pdf, file.bytes);
    const height = (IMAGE_PAGE_WIDTH_PT * image.height) / image.width;
    pdf.addPage([IMAGE_PAGE_WIDTH_PT, height]).drawImage(image, { x: 0, y: 0, width: IMAGE_PAGE_WIDTH_PT, height });
  }
  return pdf.save();
}

/** Poppler read every PDF at upload; pdf-lib, which merges them, is stricter about some. */
async function loadPdf(file: OriginalFile): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(file.bytes, { updateMetadata: false });
  } catch (error) {
    throw new AppError('unprocessable', `One of the revision's PDFs cannot be merged with its other files (${(error as Error).message}); upload it alone to download it as it is.`);
  }
}

async function embedImage(pdf: PDFDocument, bytes: Buffer): Promise<PDFImage> {
  const { format, orientation = 1 } = await sharp(bytes).metadata();
  if (orientation === 1 && format === 'jpeg') return pdf.embedJpg(bytes);
  if (orientation === 1 && format === 'png') return pdf.embedPng(bytes);
  return pdf.embedPng(await sharp(bytes).rotate().png().toBuffer());
}
