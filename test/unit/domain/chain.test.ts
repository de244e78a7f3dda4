/** The conversion table: what may become what, from which status, and why not. */
import { chainPosition, linesCarriedOver, whyNotConvertible, CONVERSION_TARGETS } from '../../../domain/chain';
import { QUOTE_STATUSES } from '../../../domain/documents';

describe('whyNotConvertible', () => {
  it('converts an accepted quote to every later kind', () => {
    for (const to of CONVERSION_TARGETS) expect(whyNotConvertible({ kind: 'quote', status: 'accepted' }, to)).toBeUndefined();
  });

  it('refuses a quote in any other status, saying why', () => {
    expect(whyNotConvertible({ kind: 'quote', status: 'refused' }, 'order')).toBe('The customer refused the quote');
    expect(whyNotConvertible({ kind: 'quote', status: 'expired' }, 'order')).toBe('The quote has expired');
    expect(whyNotConvertible({ kind: 'quote', status: 'cancelled' }, 'invoice')).toBe('The quote is cancelled');
    expect(whyNotConvertible({ kind: 'quote', status: 'draft' }, 'order')).toMatch(/not been sent/);
    for (const status of QUOTE_STATUSES.filter((status) => status !== 'accepted')) {
      expect(whyNotConvertible({ kind: 'quote', status }, 'order')).toEqual(expect.any(String));
    }
  });

  it('moves forward only', () => {
    expect(whyNotConvertible({ kind: 'order', status: 'accepted' }, 'delivery_note')).toBeUndefined();
    expect(whyNotConvertible({ kind: 'order', status: 'draft' }, 'invoice')).toBeUndefined();
    expect(whyNotConvertible({ kind: 'delivery_note', status: 'sent' }, 'invoice')).toBeUndefined();
    expect(whyNotConvertible({ kind: 'delivery_note', status: 'accepted' }, 'order')).toMatch(/cannot become an? order/);
    expect(whyNotConvertible({ kind: 'invoice', status: 'sent' }, 'order')).toMatch(/cannot become/);
    expect(whyNotConvertible({ kind: 'proof', status: 'approved' }, 'order')).toMatch(/cannot become/);
  });

  it('refuses a refused or cancelled order', () => {
    expect(whyNotConvertible({ kind: 'order', status: 'refused' }, 'invoice')).toBe('The order is refused; it cannot be converted');
    expect(whyNotConvertible({ kind: 'delivery_note', status: 'cancelled' }, 'invoice')).toBe('The delivery note is cancelled; it cannot be converted');
  });
});

it('orders a chain quote → order → delivery note → invoice', () => {
  const kinds = ['invoice', 'quote', 'delivery_note', 'order'] as const;
  expect([...kinds].sort((a, b) => chainPosition(a) - chainPosition(b))).toEqual(['quote', 'order', 'delivery_note', 'invoice']);
});

it('carries firm lines and chosen options, never options left out', () => {
  const lines = [
    { id: 'firm', optional: false, selected: false },
    { id: 'chosen', optional: true, selected: true },
    { id: 'left-out', optional: true, selected: false },
  ];
  expect(linesCarriedOver(lines).map((line) => line.id)).toEqual(['firm', 'chosen']);
});
