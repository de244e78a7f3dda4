/**
 * The payment receipt the customer downloads from the portal once an invoice is paid (seed
 * 002: "votre client pourra également récupérer le reçu de son paiement"): who paid whom, for
 * which invoice, how much, when, through which provider payment, and what is left to pay.
 * Pure: the same payment gives the same bytes (fonts and wrapping are the quote PDF's own).
 */
import { PDFDocument, rgb } from 'pdf-lib';
import type { Locale } from '../../domain/documents';
import { formatMoney } from '../../domain/money';
import { formatDateTime } from '../locale-format';
import { embedDejaVu, printable, wrapText } from './quote-pdf';

export interface PaymentReceiptData {
  locale: Locale;
  receiptNumber: string;
  seller: string;
  customer: string;
  invoiceNumber: string;
  invoiceTitle?: string;
  amount: number;
  currency: string;
  paidAt: Date;
  provider: string;
  paymentId: string;
  /** After this payment: paid so far and left to pay, minor units. */
  paidTotal: number;
  amountDue: number;
}

const LABELS: Record<Locale, { title: string; receipt: string; seller: string; customer: string; invoice: string; amount: string; paidAt: string; method: string; reference: string; paidTotal: string; due: string; thanks: string }> = {
  fr: {
    title: 'Reçu de paiement',
    receipt: 'Reçu n°',
    seller: 'Émis par',
    customer: 'Payé par',
    invoice: 'Facture',
    amount: 'Montant payé',
    paidAt: 'Payé le',
    method: 'Moyen de paiement',
    reference: 'Référence du paiement',
    paidTotal: 'Total payé sur la facture',
    due: 'Reste à payer',
    thanks: 'Merci pour votre paiement.',
  },
  en: {
    title: 'Payment receipt',
    receipt: 'Receipt no.',
    seller: 'Issued by',
    customer: 'Paid by',
    invoice: 'Invoice',
    amount: 'Amount paid',
    paidAt: 'Paid on',
    method: 'Payment method',
    reference: 'Payment reference',
    paidTotal: 'Paid on this invoice so far',
    due: 'Left to pay',
    thanks: 'Thank you for your payment.',
  },
  sv: {
    title: 'Betalningskvitto',
    receipt: 'Kvitto nr',
    seller: 'Utfärdat av',
    customer: 'Betalt av',
    invoice: 'Faktura',
    amount: 'Betalt belopp',
    paidAt: 'Betalt den',
    method: 'Betalningssätt',
    reference: 'Betalningsreferens',
    paidTotal: 'Betalt på fakturan hittills',
    due: 'Kvar att betala',
    thanks: 'Tack för din betalning.',
  },
};

const PAGE: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const WIDTH = PAGE[0] - 2 * MARGIN;
const LABEL_WIDTH = 190;
const INK = rgb(0.1, 0.11, 0.13);
const MUTED = rgb(0.42, 0.45, 0.5);

export async function layoutPaymentReceipt(data: PaymentReceiptData): Promise<Uint8Array> {
  const t = LABELS[data.locale];
  const pdf = await PDFDocument.create();
  const fonts = await embedDejaVu(pdf);
  pdf.setTitle(`${t.title} ${data.receiptNumber}`);
  pdf.setAuthor(data.seller);
  pdf.setLanguage(data.locale);
  pdf.setCreator('Greenlight');
  pdf.setProducer('Greenlight (pdf-lib)');
  pdf.setCreationDate(data.paidAt);
  pdf.setModificationDate(data.paidAt);
  const page = pdf.addPage(PAGE);
  let y = PAGE[1] - MARGIN;
  const text = (value: string, x: number, width: number, options: { bold?: boolean; size?: number; color?: typeof INK } = {}) => {
    const font = options.bold ? fonts.bold : fonts.regular;
    const size = options.size ?? 10.5;
    let bottom = y;
    for (const line of wrapText(value, font, size, width)) {
      page.drawText(printable(line), { x, y: bottom - size, font, size, color: options.color ?? INK });
      bottom -= size + 5;
    }
    return bottom;
  };
  const row = (label: string, value: string, bold = false) => {
    const afterLabel = text(label, MARGIN, LABEL_WIDTH - 8, { color: MUTED });
    y = Math.min(afterLabel, text(value, MARGIN + LABEL_WIDTH, WIDTH - LABEL_WIDTH, { bold })) - 6;
  };
  const money = (amount: number) => formatMoney(amount, data.currency, data.locale);

  y = text(t.title, MARGIN, WIDTH, { bold: true, size: 20 }) - 4;
  y = text(`${t.receipt} ${data.receiptNumber}`, MARGIN, WIDTH, { color: MUTED }) - 18;
  row(t.seller, data.seller);
  row(t.customer, data.customer);
  row(t.invoice, `${data.invoiceNumber}${data.invoiceTitle ? ` — ${data.invoiceTitle}` : ''}`);
  row(t.amount, money(data.amount), true);
  row(t.paidAt, formatDateTime(data.paidAt, data.locale));
  row(t.method, data.provider === 'stripe' ? 'Carte bancaire · Stripe' : data.provider);
  row(t.reference, data.paymentId);
  row(t.paidTotal, money(data.paidTotal));
  row(t.due, money(data.amountDue), true);
  y -= 14;
  text(t.thanks, MARGIN, WIDTH);
  return pdf.save();
}
