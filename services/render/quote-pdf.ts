/**
 * The quote (or the order, the delivery note) as a PDF a business would send: its title,
 * seller, customer and contact, number, dates, lines, tax per rate, totals, page numbers, in
 * the customer's language.
 *
 * layoutQuotePdf is pure (plain data in, bytes out; the same data gives the same bytes) so
 * it is tested without a database; renderQuotePdf is the thin loader around it.
 */
import { rgb, type PDFDocument, type PDFFont, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';
import type { PrismaClient } from '../../generated/prisma/client';
import { AppError } from '../../domain/errors';
import { pickLocale, type Locale } from '../../domain/documents';
import { computeTotals, formatMoney, fromScaled, taxBreakdown, toScaled, type PricedLine } from '../../domain/money';
import { formatDate, plainSpaces } from '../locale-format';
import { DOCUMENT_TITLES, isRenderedKind, QUOTE_LABELS, type QuoteLabels, type RenderedKind } from './labels';
import { A4, createPdf, INK, MUTED, printable, wrapText, type Fonts } from './pdf-document';
import { brandText, drawSellerBlock, embedSellerLogo, sellerFooterLine, type PdfSeller } from './seller-block';
import { loadSeller } from '../seller/identity';
import { readerTimeZone } from '../../domain/seller';

export interface QuotePdfParty {
  name: string;
  email?: string;
  phone?: string;
}

export interface QuotePdfData {
  /** What the document is, as its title says; a quote when absent. */
  kind?: RenderedKind;
  locale: Locale;
  currency: string;
  number: string;
  title?: string;
  /** Also the PDF's creation and modification dates, so the bytes depend only on the document. */
  issuedAt: Date;
  validUntil?: Date;
  /** Invoices: when payment is due, printed with the seller's payment terms and bank details. */
  dueDate?: Date;
  /** Where dates are read (domain/seller.ts readerTimeZone). */
  timeZone?: string;
  seller: PdfSeller;
  customer: QuotePdfParty;
  contact?: QuotePdfParty;
  lines: PricedLine[];
}

// Geometry in PDF points (A4 portrait).
const [PAGE_WIDTH, PAGE_HEIGHT] = A4;
const MARGIN = 42;
const RIGHT_EDGE = PAGE_WIDTH - MARGIN;
const CONTENT_BOTTOM = 64;
const FOOTER_BASELINE = 30;
const CELL_PADDING = 4;
const BODY_SIZE = 9;
const LINE_HEIGHT = 11.5;
const TABLE_HEADER_HEIGHT = 18;

/** Right edges of the numeric columns; the description takes what is left of them. */
const COLUMNS = (() => {
  const lineTotal = RIGHT_EDGE;
  const taxRate = lineTotal - 80;
  const unitPrice = taxRate - 46;
  const quantity = unitPrice - 80;
  const descriptionRight = quantity - 52;
  return { descriptionRight, quantity, unitPrice, taxRate, lineTotal };
})();
const DESCRIPTION_WIDTH = COLUMNS.descriptionRight - MARGIN - 2 * CELL_PADDING;

const RULE = rgb(0.8, 0.82, 0.85);
const HEADER_FILL = rgb(0.93, 0.94, 0.96);

interface TextStyle {
  font?: PDFFont;
  size?: number;
  color?: RGB;
}

/** Keeps the current page and the pen's height; starts a new page when the next block does not fit. */
class PageWriter {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  y = 0;

  constructor(
    private readonly pdf: PDFDocument,
    readonly fonts: Fonts,
    private readonly onNewPage: (writer: PageWriter) => void,
  ) {}

  newPage(): void {
    this.page = this.pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.pages.push(this.page);
    this.y = PAGE_HEIGHT - MARGIN;
    this.onNewPage(this);
  }

  /** Makes room for a block of the given height, on a new page if needed. */
  get currentPage(): PDFPage {
    return this.page;
  }

  ensureRoom(height: number): void {
    if (this.pages.length === 0 || this.y - height < CONTENT_BOTTOM) this.newPage();
  }

  text(text: string, x: number, y: number, style: TextStyle = {}): void {
    this.page.drawText(printable(text), {
      x,
      y,
      font: style.font ?? this.fonts.regular,
      size: style.size ?? BODY_SIZE,
      color: style.color ?? INK,
    });
  }

  textRight(text: string, right: number, y: number, style: TextStyle = {}): void {
    const font = style.font ?? this.fonts.regular;
    const width = font.widthOfTextAtSize(printable(text), style.size ?? BODY_SIZE);
    this.text(text, right - width, y, style);
  }

  rule(y: number, color: RGB = RULE, fromX = MARGIN): void {
    this.page.drawLine({ start: { x: fromX, y }, end: { x: RIGHT_EDGE, y }, thickness: 0.5, color });
  }

  fill(y: number, height: number, color: RGB): void {
    this.page.drawRectangle({ x: MARGIN, y, width: RIGHT_EDGE - MARGIN, height, color });
  }
}

interface Formatters {
  money: (amount: number) => string;
  quantity: (quantity: string) => string;
  rate: (rate: string) => string;
  date: (date: Date) => string;
}

function formattersFor(locale: Locale, currency: string, timeZone: string): Formatters {
  const quantity = new Intl.NumberFormat(locale, { maximumFractionDigits: 4 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
  return {
    money: (amount) => formatMoney(amount, currency, locale),
    quantity: (value) => plainSpaces(quantity.format(Number(value))),
    rate: (value) => plainSpaces(percent.format(Number(value) / 100)),
    date: (value) => formatDate(value, locale, timeZone),
  };
}

function drawTableHeader(writer: PageWriter, labels: QuoteLabels): void {
  const height = TABLE_HEADER_HEIGHT;
  writer.fill(writer.y - height, height, HEADER_FILL);
  const baseline = writer.y - 12;
  const style = { font: writer.fonts.bold, size: 8.5 };
  writer.text(labels.description, MARGIN + CELL_PADDING, baseline, style);
  writer.textRight(labels.quantity, COLUMNS.quantity - CELL_PADDING, baseline, style);
  writer.textRight(labels.unitPrice, COLUMNS.unitPrice - CELL_PADDING, baseline, style);
  writer.textRight(labels.taxRate, COLUMNS.taxRate - CELL_PADDING, baseline, style);
  writer.textRight(labels.lineTotal, COLUMNS.lineTotal - CELL_PADDING, baseline, style);
  writer.y -= height;
}

function drawHeading(writer: PageWriter, data: QuotePdfData, labels: QuoteLabels, format: Formatters, logo: PDFImage | undefined): void {
  const { bold } = writer.fonts;
  const top = writer.y;
  const sellerBottom = drawSellerBlock(writer.currentPage, writer.fonts, data.seller, logo, { x: MARGIN, top, width: 250 });
  writer.textRight(documentTitle(data), RIGHT_EDGE, top - 18, { font: bold, size: 20, color: data.seller.identity.brandColor ? brandText(data.seller.identity.brandColor) : INK });

  const facts: [string, string][] = [
    [labels.number, data.number],
    [labels.date, format.date(data.issuedAt)],
    ...(data.validUntil ? [[labels.validUntil, format.date(data.validUntil)] as [string, string]] : []),
    ...(data.dueDate ? [[labels.dueDate, format.date(data.dueDate)] as [string, string]] : []),
  ];
  let factY = top - 38;
  for (const [label, value] of facts) {
    writer.textRight(`${label} ${value}`, RIGHT_EDGE, factY, { size: 9.5 });
    factY -= 13;
  }

  let partyY = Math.min(sellerBottom, factY) - 18;
  writer.text(labels.customer.toUpperCase(), MARGIN, partyY, { size: 7.5, color: MUTED });
  partyY -= 14;
  writer.text(data.customer.name, MARGIN, partyY, { font: bold, size: 11 });
  const contactLines = data.contact
    ? [`${labels.contact} ${data.contact.name}`, data.contact.email, data.contact.phone]
    : [data.customer.email, data.customer.phone];
  for (const line of contactLines.filter((value): value is string => Boolean(value))) {
    partyY -= 13;
    writer.text(line, MARGIN, partyY, { size: 9.5 });
  }

  writer.y = partyY - 22;
  if (data.title) {
    writer.text(data.title, MARGIN, writer.y, { font: bold, size: 12 });
    writer.y -= 18;
  }
}

/** Height of a table row holding `count` lines of text. */
function rowHeight(count: number): number {
  return count * LINE_HEIGHT + 2 * CELL_PADDING;
}

/** Lines of text a row can hold on a page that has just started (below the table header). */
const ROW_LINES_PER_PAGE = Math.floor((PAGE_HEIGHT - MARGIN - TABLE_HEADER_HEIGHT - CONTENT_BOTTOM - 2 * CELL_PADDING) / LINE_HEIGHT);

/**
 * One quote line: kept on one page when it fits on one, else continued on the next pages
 * (a long specification must not run off the sheet). Amounts print on its first row.
 */
function drawLine(writer: PageWriter, line: PricedLine, labels: QuoteLabels, format: Formatters): void {
  const counted = !line.optional || line.selected;
  const marker = line.optional ? (counted ? labels.optional : labels.optionalNotIncluded) : undefined;
  const texts = [
    ...wrapText(line.description, writer.fonts.regular, BODY_SIZE, DESCRIPTION_WIDTH).map((text) => ({ text, style: {} })),
    ...(marker ? [{ text: marker, style: { size: 8, color: MUTED } }] : []),
  ];
  const amountStyle = { color: counted ? INK : MUTED };

  let remaining = texts;
  let withAmounts = true;
  while (remaining.length > 0) {
    // A row that fits on a page moves whole to the next one; a longer one starts right here.
    writer.ensureRoom(rowHeight(remaining.length <= ROW_LINES_PER_PAGE ? remaining.length : 1));
    const room = Math.floor((writer.y - CONTENT_BOTTOM - 2 * CELL_PADDING) / LINE_HEIGHT);
    const chunk = remaining.slice(0, room);
    remaining = remaining.slice(room);

    const baseline = writer.y - CELL_PADDING - 8.5;
    chunk.forEach(({ text, style }, index) => writer.text(text, MARGIN + CELL_PADDING, baseline - index * LINE_HEIGHT, style));
    if (withAmounts) {
      writer.textRight(format.quantity(line.quantity), COLUMNS.quantity - CELL_PADDING, baseline, amountStyle);
      writer.textRight(format.money(line.unitPrice), COLUMNS.unitPrice - CELL_PADDING, baseline, amountStyle);
      writer.textRight(format.rate(line.taxRate), COLUMNS.taxRate - CELL_PADDING, baseline, amountStyle);
      writer.textRight(format.money(line.netAmount), COLUMNS.lineTotal - CELL_PADDING, baseline, amountStyle);
      withAmounts = false;
    }
    writer.y -= rowHeight(chunk.length);
  }
  writer.rule(writer.y);
}

function drawTotals(writer: PageWriter, data: QuotePdfData, labels: QuoteLabels, format: Formatters): void {
  const totals = computeTotals(data.lines, data.currency);
  const rows: { label: string; amount: string; strong?: boolean }[] = [
    { label: labels.net, amount: format.money(totals.net) },
    ...taxBreakdown(data.lines).map((row) => ({
      label: labels.taxOn(format.rate(row.rate), format.money(row.base)),
      amount: format.money(row.tax),
    })),
    { label: labels.tax, amount: format.money(totals.tax) },
    { label: labels.gross, amount: format.money(totals.gross), strong: true },
  ];
  const rowHeight = 15;
  writer.ensureRoom(rows.length * rowHeight + 16);
  writer.y -= 16;
  const labelRight = COLUMNS.taxRate - CELL_PADDING;
  for (const row of rows) {
    const style = row.strong ? { font: writer.fonts.bold, size: 11 } : { size: 9.5 };
    if (row.strong) writer.rule(writer.y + 1, MUTED, COLUMNS.quantity);
    writer.y -= rowHeight;
    writer.textRight(row.label, labelRight, writer.y + 4, style);
    writer.textRight(row.amount, COLUMNS.lineTotal - CELL_PADDING, writer.y + 4, style);
  }
}

/** Invoices: the seller's payment terms and bank details, below the totals (the due date is at the top, beside the date). */
function drawPaymentDetails(writer: PageWriter, data: QuotePdfData, labels: QuoteLabels): void {
  const { identity } = data.seller;
  const blocks: [string, string][] = [
    ...(identity.paymentTerms ? [[labels.paymentTerms, identity.paymentTerms] as [string, string]] : []),
    ...(identity.bankDetails ? [[labels.bankDetails, identity.bankDetails] as [string, string]] : []),
  ];
  if (blocks.length === 0) return;
  writer.y -= 18;
  for (const [label, value] of blocks) {
    const lines = wrapText(value, writer.fonts.regular, 9.5, RIGHT_EDGE - MARGIN);
    writer.ensureRoom(14 + lines.length * 12.5);
    writer.text(label.toUpperCase(), MARGIN, writer.y - 8, { size: 7.5, color: MUTED });
    writer.y -= 20;
    for (const line of lines) {
      writer.text(line, MARGIN, writer.y, { size: 9.5 });
      writer.y -= 12.5;
    }
    writer.y -= 6;
  }
}

function drawFooters(writer: PageWriter, data: QuotePdfData, labels: QuoteLabels): void {
  const count = writer.pages.length;
  const identityLine = sellerFooterLine(data.seller.identity, labels);
  writer.pages.forEach((page, index) => {
    const style = { font: writer.fonts.regular, size: 7.5, color: MUTED };
    page.drawText(printable(identityLine), { x: MARGIN, y: FOOTER_BASELINE + 11, ...style, size: 7 });
    page.drawText(printable(`${documentTitle(data)} ${data.number}`), { x: MARGIN, y: FOOTER_BASELINE, ...style });
    const pageLabel = `${labels.page} ${index + 1}/${count}`;
    const width = style.font.widthOfTextAtSize(pageLabel, style.size);
    page.drawText(pageLabel, { x: RIGHT_EDGE - width, y: FOOTER_BASELINE, ...style });
  });
}

function documentTitle(data: QuotePdfData): string {
  return DOCUMENT_TITLES[data.locale][data.kind ?? 'quote'];
}

export async function layoutQuotePdf(data: QuotePdfData): Promise<Uint8Array> {
  const labels = QUOTE_LABELS[data.locale];
  const format = formattersFor(data.locale, data.currency, data.timeZone ?? 'UTC');
  const title = `${documentTitle(data)} ${data.number}`;
  // Dated when issued, not by the row's updatedAt: that moves with every view counted, and
  // the same quote must give the same file.
  const { pdf, fonts } = await createPdf({ title, author: data.seller.identity.legalName, subject: data.title ?? title, locale: data.locale, date: data.issuedAt });

  const logo = await embedSellerLogo(pdf, data.seller);
  let first = true;
  const writer = new PageWriter(pdf, fonts, (pageWriter) => {
    if (first) drawHeading(pageWriter, data, labels, format, logo);
    first = false;
    drawTableHeader(pageWriter, labels);
  });
  writer.newPage();
  for (const line of data.lines) drawLine(writer, line, labels, format);
  drawTotals(writer, data, labels, format);
  if (data.kind === 'invoice') drawPaymentDetails(writer, data, labels);
  drawFooters(writer, data, labels);
  return pdf.save();
}

/** Decimal columns come back from PostgreSQL as "20.00"; the domain writes rates as "20". */
function decimalText(value: { toString(): string }, scale: number): string {
  return fromScaled(toScaled(value.toString(), scale), scale);
}

export async function renderQuotePdf(prisma: PrismaClient, ref: { tenantId: string; documentId: string }): Promise<Uint8Array> {
  const document = await prisma.document.findFirst({
    where: { id: ref.documentId, tenantId: ref.tenantId },
    include: { tenant: true, customer: true, contact: true, lines: { orderBy: { position: 'asc' } } },
  });
  if (!document) throw new AppError('not_found', `No document ${ref.documentId}`);
  if (!isRenderedKind(document.kind)) throw new AppError('unprocessable', `A ${document.kind.replace('_', ' ')} has no PDF rendering yet`);
  const seller = await loadSeller(prisma, document.tenantId);

  const party = (value: { name: string; email: string | null; phone: string | null }): QuotePdfParty => ({
    name: value.name,
    ...(value.email ? { email: value.email } : {}),
    ...(value.phone ? { phone: value.phone } : {}),
  });
  return layoutQuotePdf({
    kind: document.kind,
    locale: pickLocale(document.customer.locale, document.tenant.locale),
    currency: document.currency,
    number: document.number,
    ...(document.title ? { title: document.title } : {}),
    issuedAt: document.createdAt,
    ...(document.validUntil ? { validUntil: document.validUntil } : {}),
    ...(document.kind === 'invoice' && document.dueDate ? { dueDate: document.dueDate } : {}),
    timeZone: readerTimeZone(document.customer.timeZone, seller.timeZone),
    seller: { identity: seller.identity, ...(seller.logo ? { logo: seller.logo } : {}) },
    customer: party(document.customer),
    ...(document.contact ? { contact: party(document.contact) } : {}),
    lines: document.lines.map((line) => ({
      description: line.description,
      quantity: decimalText(line.quantity, 4),
      unitPrice: line.unitPrice,
      taxRate: decimalText(line.taxRate, 2),
      optional: line.optional,
      selected: line.selected,
      netAmount: line.netAmount,
      taxAmount: line.taxAmount,
    })),
  });
}
