/**
 * What every PDF Greenlight writes shares (the quote, the signature certificate, the payment
 * receipt): A4 pages, DejaVu Sans embedded, text made printable and wrapped, the same inks,
 * and metadata that depend only on the document, so the same data gives the same bytes.
 *
 * DejaVu Sans is embedded (subset) because the standard PDF fonts only know WinAnsi: a
 * customer called "Дмитрий" or a city called "Łódź" must print as written.
 */
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont } from 'pdf-lib';
import type { Locale } from '../../domain/documents';

/** A4 portrait, in PDF points. */
export const A4: [number, number] = [595.28, 841.89];
export const INK = rgb(0.1, 0.11, 0.13);
export const MUTED = rgb(0.42, 0.45, 0.5);

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

let fontFiles: { regular: Buffer; bold: Buffer } | undefined;

function dejaVuFiles(): { regular: Buffer; bold: Buffer } {
  fontFiles ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fontFiles;
}

/**
 * DejaVu Sans, regular and bold, subset into `pdf`. Fixed names instead of pdf-lib's random
 * suffixes keep the output byte-for-byte stable.
 */
async function embedDejaVu(pdf: PDFDocument): Promise<Fonts> {
  pdf.registerFontkit(fontkit);
  const files = dejaVuFiles();
  return {
    regular: await pdf.embedFont(files.regular, { subset: true, customName: 'DejaVuSans' }),
    bold: await pdf.embedFont(files.bold, { subset: true, customName: 'DejaVuSans-Bold' }),
  };
}

export interface PdfMetadata {
  title: string;
  /** The seller. */
  author: string;
  subject?: string;
  locale: Locale;
  /**
   * The creation and modification dates: a date of the document itself (issued, signed,
   * paid), never the time of rendering, so the same document gives the same file.
   */
  date: Date;
}

/** An empty PDF with its fonts embedded and its metadata set. */
export async function createPdf(metadata: PdfMetadata): Promise<{ pdf: PDFDocument; fonts: Fonts }> {
  const pdf = await PDFDocument.create();
  const fonts = await embedDejaVu(pdf);
  pdf.setTitle(metadata.title);
  pdf.setAuthor(metadata.author);
  if (metadata.subject !== undefined) pdf.setSubject(metadata.subject);
  pdf.setLanguage(metadata.locale);
  pdf.setCreator('Greenlight');
  pdf.setProducer('Greenlight (pdf-lib)');
  pdf.setCreationDate(metadata.date);
  pdf.setModificationDate(metadata.date);
  return { pdf, fonts };
}

/** Control characters have no glyph; a tab or stray carriage return prints as a space. */
export function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, ' ');
}

/** Splits text into lines no wider than maxWidth, breaking at spaces, or inside a word too long for a line. */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const fits = (candidate: string) => font.widthOfTextAtSize(candidate, size) <= maxWidth;
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let current = '';
    for (const word of printable(paragraph).split(/ +/).filter(Boolean)) {
      const candidate = current ? `${current} ${word}` : word;
      if (fits(candidate)) {
        current = candidate;
        continue;
      }
      if (current) lines.push(current);
      current = '';
      for (const char of word) {
        if (current && !fits(current + char)) {
          lines.push(current);
          current = '';
        }
        current += char;
      }
    }
    lines.push(current);
  }
  return lines;
}
