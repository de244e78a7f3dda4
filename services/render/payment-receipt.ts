/**
 * The payment receipt the customer downloads from the portal once an invoice is paid (seed
 * 002: "votre client pourra également récupérer le reçu de son paiement"): who paid whom, for
 * which invoice, how much, when, through which provider payment, and what is left to pay.
 * Pure: the same payment gives the same bytes.
 */
import type { Locale } from '../../domain/documents';
import { formatMoney } from '../../domain/money';
import { formatDateTime } from '../locale-format';
import { startLabelledPdf } from './labelled-rows';
import { QUOTE_LABELS } from './labels';
import { sellerFooterLine, type PdfSeller } from './seller-block';
import { MUTED } from './pdf-document';

export interface PaymentReceiptData {
  locale: Locale;
  receiptNumber: string;
  seller: PdfSeller;
  /** Where the payment's time is read (domain/seller.ts readerTimeZone). */
  timeZone: string;
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

const GEOMETRY = { margin: 56, labelWidth: 190, size: 10.5, lineGap: 5, rowGap: 6 };

export async function layoutPaymentReceipt(data: PaymentReceiptData): Promise<Uint8Array> {
  const t = LABELS[data.locale];
  const { pdf, writer } = await startLabelledPdf({ title: `${t.title} ${data.receiptNumber}`, author: data.seller.identity.legalName, locale: data.locale, date: data.paidAt }, GEOMETRY);
  const money = (amount: number) => formatMoney(amount, data.currency, data.locale);

  await writer.sellerHeader(data.seller);
  writer.paragraph(t.title, { bold: true, size: 20 });
  writer.space(4);
  writer.paragraph(`${t.receipt} ${data.receiptNumber}`, { color: MUTED });
  writer.space(18);
  writer.row(t.seller, data.seller.identity.legalName);
  writer.row(t.customer, data.customer);
  writer.row(t.invoice, `${data.invoiceNumber}${data.invoiceTitle ? ` — ${data.invoiceTitle}` : ''}`);
  writer.row(t.amount, money(data.amount), { bold: true });
  writer.row(t.paidAt, formatDateTime(data.paidAt, data.locale, data.timeZone));
  writer.row(t.method, data.provider === 'stripe' ? 'Carte bancaire · Stripe' : data.provider);
  writer.row(t.reference, data.paymentId);
  writer.row(t.paidTotal, money(data.paidTotal));
  writer.row(t.due, money(data.amountDue), { bold: true });
  writer.space(14);
  writer.paragraph(t.thanks);
  writer.footer(sellerFooterLine(data.seller.identity, QUOTE_LABELS[data.locale]));
  return pdf.save();
}
