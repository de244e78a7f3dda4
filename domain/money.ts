/**
 * Money is an integer in minor units of an ISO 4217 currency. Quantities and tax rates are
 * decimals given as numbers or strings; they are scaled to integers and computed with
 * BigInt so that no binary float ever decides a cent. Each line is rounded on its own,
 * half away from zero, then lines are summed (what invoices print and auditors add up).
 */
import currencyCodes from 'currency-codes';

export interface LineInput {
  description: string;
  quantity: number | string;
  unitPrice: number;
  taxRate?: number | string;
  optional?: boolean;
  /** For optional lines: picked by the customer. */
  selected?: boolean;
}

export interface PricedLine extends LineInput {
  quantity: string;
  taxRate: string;
  optional: boolean;
  selected: boolean;
  netAmount: number;
  taxAmount: number;
}

export interface Totals {
  net: number;
  tax: number;
  gross: number;
  currency: string;
}

export interface TaxBreakdownRow {
  rate: string;
  base: number;
  tax: number;
}

const QUANTITY_SCALE = 4;
const RATE_SCALE = 2;

/** "1.5" with scale 4 → 15000n. Throws on anything that is not a plain decimal. */
export function toScaled(value: number | string, scale: number): bigint {
  const text = typeof value === 'number' ? numberToPlainDecimal(value) : value.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal number: ${String(value)}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale) throw new RangeError(`${text} has more than ${scale} decimals`);
  const digits = BigInt(whole + fraction.padEnd(scale, '0'));
  return sign === '-' ? -digits : digits;
}

function numberToPlainDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  // toPrecision avoids exponent notation for the magnitudes a quote line can hold.
  return Number.isInteger(value) ? value.toFixed(0) : String(Number(value.toPrecision(15)));
}

export function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** numerator / denominator rounded half away from zero. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const rounded = (2n * n + d) / (2n * d);
  return negative ? -rounded : rounded;
}

export function priceLine(line: LineInput): PricedLine {
  const quantity = toScaled(line.quantity, QUANTITY_SCALE);
  const rate = toScaled(line.taxRate ?? 0, RATE_SCALE);
  const net = divideRounded(quantity * BigInt(line.unitPrice), 10n ** BigInt(QUANTITY_SCALE));
  const tax = divideRounded(net * rate, 100n * 10n ** BigInt(RATE_SCALE));
  return {
    ...line,
    quantity: fromScaled(quantity, QUANTITY_SCALE),
    taxRate: fromScaled(rate, RATE_SCALE),
    optional: line.optional ?? false,
    selected: line.selected ?? false,
    netAmount: Number(net),
    taxAmount: Number(tax),
  };
}

/** Whether a line counts in the totals: every firm line, and the optional lines picked. */
export function countsInTotals(line: Pick<PricedLine, 'optional' | 'selected'>): boolean {
  return !line.optional || line.selected;
}

type CountedLine = Pick<PricedLine, 'optional' | 'selected' | 'netAmount' | 'taxAmount'>;

/** The lines as a yes choosing `chosen` (ids of optional lines) makes them: those optional lines picked, and only those. */
export function withChosenOptions<TLine extends CountedLine & { id: string }>(lines: readonly TLine[], chosen: readonly string[]): TLine[] {
  return lines.map((line) => (line.optional ? { ...line, selected: chosen.includes(line.id) } : line));
}

export function computeTotals(lines: readonly CountedLine[], currency: string): Totals {
  return { ...sumAmounts(lines), currency };
}

/** The totals' amounts, for a document whose currency is not known yet (the tenant's, read as it is written). */
export function sumAmounts(lines: readonly CountedLine[]): Omit<Totals, 'currency'> {
  let net = 0;
  let tax = 0;
  for (const line of lines.filter(countsInTotals)) {
    net += line.netAmount;
    tax += line.taxAmount;
  }
  return { net, tax, gross: net + tax };
}

/** Tax grouped by rate, as a business document prints it. */
export function taxBreakdown(lines: readonly PricedLine[]): TaxBreakdownRow[] {
  const byRate = new Map<string, TaxBreakdownRow>();
  for (const line of lines.filter(countsInTotals)) {
    const row = byRate.get(line.taxRate) ?? { rate: line.taxRate, base: 0, tax: 0 };
    row.base += line.netAmount;
    row.tax += line.taxAmount;
    byRate.set(line.taxRate, row);
  }
  return [...byRate.values()].sort((a, b) => Number(a.rate) - Number(b.rate));
}

/**
 * ISO 4217's minor units, from its own list (the currency-codes package), not a hand list.
 * Stripe's amounts follow ISO but for two currencies (docs.stripe.com/currencies, "Zero-decimal
 * currencies" and "Special cases"): MGA is 2 digits in ISO and zero-decimal at Stripe, and ISK
 * is 0 digits in ISO while Stripe still takes it with two decimals (multiples of 100). HUF and
 * TWD are 2 digits in both for charges (Stripe pays them out whole). Our amounts are ISO's.
 */
const MINOR_UNIT_DIGITS: ReadonlyMap<string, number> = new Map(currencyCodes.data.map((record) => [record.code, record.digits]));

/** Whether `code` is an ISO 4217 currency code, in capitals as ISO writes it. */
export function isIsoCurrency(code: string): boolean {
  return MINOR_UNIT_DIGITS.has(code);
}

/**
 * Digits after the decimal point for a currency (ISO 4217). A code ISO does not know can only
 * come from a row stored before currencies were checked: it keeps the 2 digits it was shown with.
 */
export function minorUnitDigits(currency: string): number {
  return MINOR_UNIT_DIGITS.get(currency.toUpperCase()) ?? 2;
}

/** 12000 EUR, "fr" → "120,00 €" (uses the platform's Intl; deterministic for a given ICU). */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const digits = minorUnitDigits(currency);
  return moneyFormat(currency, locale, digits)
    .format(amount / 10 ** digits)
    .replace(/\u202f|\u00a0/g, ' ');
}

/** Made once per locale and currency: a formatter costs far more to make than to use, and a page shows many amounts. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, locale: string, digits: number): Intl.NumberFormat {
  const key = `${locale}\0${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    moneyFormats.set(key, format);
  }
  return format;
}
