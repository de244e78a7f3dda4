import { computeTotals, divideRounded, formatMoney, fromScaled, isIsoCurrency, minorUnitDigits, priceLine, taxBreakdown, toScaled } from '../../../domain/money';
import { durationToMs, isIsoDuration } from '../../../domain/durations';
import { pickLocale } from '../../../domain/documents';

describe('decimal scaling', () => {
  it('reads plain decimals exactly', () => {
    expect(toScaled('1.5', 4)).toBe(15000n);
    expect(toScaled(0.1, 4)).toBe(1000n);
    expect(toScaled(3, 2)).toBe(300n);
    expect(fromScaled(15000n, 4)).toBe('1.5');
    expect(fromScaled(300n, 2)).toBe('3');
  });

  it('refuses what is not a decimal or has too many digits', () => {
    expect(() => toScaled('1e3', 4)).toThrow(RangeError);
    expect(() => toScaled('abc', 4)).toThrow(RangeError);
    expect(() => toScaled('0.12345', 4)).toThrow(/more than 4 decimals/);
    expect(() => toScaled(Number.NaN, 4)).toThrow(RangeError);
  });

  it('rounds half away from zero', () => {
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(4n, 3n)).toBe(1n);
    expect(divideRounded(-4n, 3n)).toBe(-1n);
  });
});

describe('line pricing and totals', () => {
  it('rounds each line, then sums', () => {
    // 3 × 3.33 = 9.99 net; 20% tax of 999 = 199.8 → 200
    const line = priceLine({ description: 'Flyers', quantity: 3, unitPrice: 333, taxRate: 20 });
    expect(line).toMatchObject({ netAmount: 999, taxAmount: 200, quantity: '3', taxRate: '20' });
    // 1.5 × 0.05 = 0.075 → 8 cents (half away from zero), 5.5% of 8 = 0.44 → 0
    const tiny = priceLine({ description: 'Staple', quantity: '1.5', unitPrice: 5, taxRate: 5.5 });
    expect(tiny).toMatchObject({ netAmount: 8, taxAmount: 0 });
    expect(computeTotals([line, tiny], 'EUR')).toEqual({ net: 1007, tax: 200, gross: 1207, currency: 'EUR' });
  });

  it('counts optional lines only once picked', () => {
    const firm = priceLine({ description: 'Print', quantity: 1, unitPrice: 10000, taxRate: 20 });
    const option = priceLine({ description: 'Varnish', quantity: 1, unitPrice: 2000, taxRate: 20, optional: true });
    expect(computeTotals([firm, option], 'EUR').gross).toBe(12000);
    expect(computeTotals([firm, { ...option, selected: true }], 'EUR').gross).toBe(14400);
  });

  it('groups tax by rate', () => {
    const lines = [
      priceLine({ description: 'A', quantity: 1, unitPrice: 1000, taxRate: 20 }),
      priceLine({ description: 'B', quantity: 2, unitPrice: 1000, taxRate: 5.5 }),
      priceLine({ description: 'C', quantity: 1, unitPrice: 500, taxRate: 20 }),
    ];
    expect(taxBreakdown(lines)).toEqual([
      { rate: '5.5', base: 2000, tax: 110 },
      { rate: '20', base: 1500, tax: 300 },
    ]);
  });

  it('formats money in the customer locale with the currency minor units', () => {
    expect(formatMoney(12000, 'EUR', 'fr')).toMatch(/^120,00\s€$/);
    expect(formatMoney(12000, 'EUR', 'en')).toBe('€120.00');
    expect(formatMoney(1200, 'JPY', 'en')).toBe('¥1,200');
  });

  it('takes minor units from ISO 4217 itself, not a hand list', () => {
    // Zero-decimal in ISO (and at Stripe), once shown with cents here.
    for (const code of ['XOF', 'XAF', 'UGX', 'RWF', 'XPF']) expect(minorUnitDigits(code)).toBe(0);
    for (const code of ['BHD', 'IQD', 'OMR']) expect(minorUnitDigits(code)).toBe(3);
    expect(minorUnitDigits('CLF')).toBe(4);
    expect(minorUnitDigits('SEK')).toBe(2);
    expect(formatMoney(1500, 'XOF', 'en')).not.toMatch(/\.\d/);
    expect(formatMoney(1500, 'XOF', 'en')).toContain('1,500');
  });

  it('knows ISO 4217 codes and nothing else', () => {
    expect(['EUR', 'SEK', 'XOF', 'CHF'].map(isIsoCurrency)).toEqual([true, true, true, true]);
    expect(['ZZZ', 'EURO', 'eur', 'ABC', 'HRK'].map(isIsoCurrency)).toEqual([false, false, false, false, false]);
  });
});

describe('durations and locales', () => {
  it('turns ISO 8601 durations into milliseconds', () => {
    expect(durationToMs('P3D')).toBe(3 * 86400_000);
    expect(durationToMs('PT30M')).toBe(1800_000);
    expect(durationToMs('PT2S')).toBe(2000);
    expect(isIsoDuration('PT0S')).toBe(false);
    expect(isIsoDuration('3 days')).toBe(false);
  });

  it('picks the first supported locale', () => {
    expect(pickLocale(undefined, 'sv-SE', 'fr')).toBe('sv');
    expect(pickLocale('de', null)).toBe('en');
  });
});
