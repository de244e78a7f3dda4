/**
 * A PDF written top to bottom as paragraphs and rows of a muted label beside its value (the
 * signature certificate's evidence page, the payment receipt). A line that does not fit
 * starts a new page.
 */
import type { PDFDocument, PDFPage, RGB } from 'pdf-lib';
import { A4, createPdf, INK, MUTED, printable, wrapText, type Fonts, type PdfMetadata } from './pdf-document';
import { drawSellerBlock, embedSellerLogo, type PdfSeller } from './seller-block';

export interface RowsGeometry {
  margin: number;
  /** The label column, the gap before the value included. */
  labelWidth: number;
  /** The body text's size. */
  size: number;
  /** Between the wrapped lines of a paragraph. */
  lineGap: number;
  /** Below each row. */
  rowGap: number;
}

const LABEL_GAP = 8;

/** A new PDF (see createPdf) and the writer of its first page. */
export async function startLabelledPdf(metadata: PdfMetadata, geometry: RowsGeometry): Promise<{ pdf: PDFDocument; writer: LabelledRowsWriter }> {
  const { pdf, fonts } = await createPdf(metadata);
  return { pdf, writer: new LabelledRowsWriter(pdf, fonts, geometry) };
}

class LabelledRowsWriter {
  private page: PDFPage;
  private y: number;
  private readonly width: number;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: Fonts,
    private readonly geometry: RowsGeometry,
  ) {
    this.page = pdf.addPage(A4);
    this.y = A4[1] - geometry.margin;
    this.width = A4[0] - 2 * geometry.margin;
  }

  paragraph(text: string, options: { x?: number; width?: number; bold?: boolean; size?: number; color?: RGB } = {}): void {
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const size = options.size ?? this.geometry.size;
    for (const line of wrapText(text, font, size, options.width ?? this.width)) {
      this.ensureRoom(size + this.geometry.lineGap);
      this.page.drawText(printable(line), { x: options.x ?? this.geometry.margin, y: this.y - size, font, size, color: options.color ?? INK });
      this.y -= size + this.geometry.lineGap;
    }
  }

  /** The label on the left, the value beside it; the row ends below the longer of the two. */
  row(label: string, value: string, options: { bold?: boolean; size?: number } = {}): void {
    const { margin, labelWidth } = this.geometry;
    const top = this.y;
    this.paragraph(label, { color: MUTED, width: labelWidth - LABEL_GAP });
    const afterLabel = this.y;
    this.y = top;
    this.paragraph(value, { ...options, x: margin + labelWidth, width: this.width - labelWidth });
    this.y = Math.min(this.y, afterLabel) - this.geometry.rowGap;
  }

  /** A PNG at the left margin, scaled down to fit the box. */
  async image(png: Uint8Array, box: { width: number; height: number }): Promise<void> {
    const image = await this.pdf.embedPng(png);
    const scaled = image.scaleToFit(box.width, box.height);
    this.ensureRoom(scaled.height);
    this.page.drawImage(image, { x: this.geometry.margin, y: this.y - scaled.height, width: scaled.width, height: scaled.height });
    this.y -= scaled.height;
  }

  /** The seller at the top of the first page: logo, legal name, address and contact. */
  async sellerHeader(seller: PdfSeller): Promise<void> {
    const logo = await embedSellerLogo(this.pdf, seller);
    this.y = drawSellerBlock(this.page, this.fonts, seller, logo, { x: this.geometry.margin, top: this.y, width: this.width }) - 24;
  }

  /** One line at the foot of every page written so far (the seller's legal name, address and ids). */
  footer(line: string): void {
    for (const page of this.pdf.getPages()) {
      page.drawText(printable(line), { x: this.geometry.margin, y: this.geometry.margin / 2, font: this.fonts.regular, size: 7, color: MUTED });
    }
  }

  space(points: number): void {
    this.y -= points;
  }

  private ensureRoom(height: number): void {
    if (this.y - height >= this.geometry.margin) return;
    this.page = this.pdf.addPage(A4);
    this.y = A4[1] - this.geometry.margin;
  }
}
