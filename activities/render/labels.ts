/** The words a rendered quote prints, in the customer's language. */
import type { Locale } from '../../domain/documents';

export interface QuoteLabels {
  quote: string;
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
}

export const QUOTE_LABELS: Record<Locale, QuoteLabels> = {
  fr: {
    quote: 'Devis',
    number: 'N°',
    date: 'Date',
    validUntil: "Valable jusqu'au",
    seller: 'Émetteur',
    customer: 'Client',
    contact: 'Contact',
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
  },
  en: {
    quote: 'Quote',
    number: 'No.',
    date: 'Date',
    validUntil: 'Valid until',
    seller: 'From',
    customer: 'Customer',
    contact: 'Contact',
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
  },
  sv: {
    quote: 'Offert',
    number: 'Nr',
    date: 'Datum',
    validUntil: 'Giltig till',
    seller: 'Från',
    customer: 'Kund',
    contact: 'Kontakt',
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
  },
};
