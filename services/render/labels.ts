/** The words a rendered document prints, in the customer's language. */
import type { DocumentKind, Locale } from '../../domain/documents';

/** The kinds the document PDF renders: the ones a customer reads and answers. */
const RENDERED_KINDS = ['quote', 'order', 'delivery_note', 'invoice'] as const satisfies readonly DocumentKind[];
export type RenderedKind = (typeof RENDERED_KINDS)[number];

export function isRenderedKind(kind: string): kind is RenderedKind {
  return (RENDERED_KINDS as readonly string[]).includes(kind);
}

/** The title a rendered document carries ("Devis", "Bon de commande"), and its file name starts with. */
export const DOCUMENT_TITLES: Record<Locale, Record<RenderedKind, string>> = {
  fr: { quote: 'Devis', order: 'Bon de commande', delivery_note: 'Bon de livraison', invoice: 'Facture' },
  en: { quote: 'Quote', order: 'Order', delivery_note: 'Delivery note', invoice: 'Invoice' },
  sv: { quote: 'Offert', order: 'Order', delivery_note: 'Följesedel', invoice: 'Faktura' },
};

/** What a document is called in `locale` ("Bon de commande"); a kind without a title of its own says its kind. */
export function documentTitle(locale: Locale, kind: string): string {
  return isRenderedKind(kind) ? DOCUMENT_TITLES[locale][kind] : kind;
}

export interface QuoteLabels {
  number: string;
  date: string;
  validUntil: string;
  seller: string;
  customer: string;
  contact: string;
  description: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
  lineTotal: string;
  optional: string;
  optionalNotIncluded: string;
  taxOn: (rate: string, base: string) => string;
  net: string;
  tax: string;
  gross: string;
  page: string;
  dueDate: string;
  taxId: string;
  paymentTerms: string;
  bankDetails: string;
}

export const QUOTE_LABELS: Record<Locale, QuoteLabels> = {
  fr: {
    number: 'N°',
    date: 'Date',
    validUntil: 'Valable jusqu’au',
    seller: 'Émetteur',
    customer: 'Client',
    contact: 'À l’attention de',
    description: 'Désignation',
    quantity: 'Qté',
    unitPrice: 'Prix unit. HT',
    taxRate: 'TVA',
    lineTotal: 'Total HT',
    optional: 'Option',
    optionalNotIncluded: 'Option, non incluse dans le total',
    taxOn: (rate, base) => `TVA ${rate} sur ${base}`,
    net: 'Total HT',
    tax: 'Total TVA',
    gross: 'Total TTC',
    page: 'Page',
    dueDate: 'Échéance',
    taxId: 'N° TVA',
    paymentTerms: 'Conditions de paiement',
    bankDetails: 'Coordonnées bancaires',
  },
  en: {
    number: 'No.',
    date: 'Date',
    validUntil: 'Valid until',
    seller: 'From',
    customer: 'Customer',
    contact: 'Attn:',
    description: 'Description',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    taxRate: 'Tax',
    lineTotal: 'Amount',
    optional: 'Optional',
    optionalNotIncluded: 'Optional, not included in the total',
    taxOn: (rate, base) => `Tax ${rate} on ${base}`,
    net: 'Net total',
    tax: 'Total tax',
    gross: 'Total due',
    page: 'Page',
    dueDate: 'Due date',
    taxId: 'VAT no.',
    paymentTerms: 'Payment terms',
    bankDetails: 'Bank details',
  },
  sv: {
    number: 'Nr',
    date: 'Datum',
    validUntil: 'Giltig till',
    seller: 'Från',
    customer: 'Kund',
    contact: 'Att.',
    description: 'Beskrivning',
    quantity: 'Antal',
    unitPrice: 'À-pris',
    taxRate: 'Moms',
    lineTotal: 'Belopp',
    optional: 'Tillval',
    optionalNotIncluded: 'Tillval, ingår inte i summan',
    taxOn: (rate, base) => `Moms ${rate} på ${base}`,
    net: 'Summa exkl. moms',
    tax: 'Summa moms',
    gross: 'Att betala',
    page: 'Sida',
    dueDate: 'Förfallodag',
    taxId: 'Momsreg.nr',
    paymentTerms: 'Betalningsvillkor',
    bankDetails: 'Bankuppgifter',
  },
};
