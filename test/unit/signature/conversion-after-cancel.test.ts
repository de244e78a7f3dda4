/** Seed 003: the digital quote is cancelled when the customer approves by phone, then the seller makes the order from it. */
import { whyNotConvertible } from '../../../domain/chain';

it('converts an open quote whose digital signing was cancelled', () => {
  for (const status of ['sent', 'viewed', 'on_hold']) {
    expect(whyNotConvertible({ kind: 'quote', status, digitalStatus: 'cancelled' }, 'order')).toBeUndefined();
  }
});

it('still refuses an open quote out for signature, and a closed one whatever its digital status', () => {
  expect(whyNotConvertible({ kind: 'quote', status: 'sent', digitalStatus: 'sent' }, 'order')).toBe('The customer has not accepted the quote yet');
  expect(whyNotConvertible({ kind: 'quote', status: 'refused', digitalStatus: 'cancelled' }, 'order')).toBe('The customer refused the quote');
  expect(whyNotConvertible({ kind: 'quote', status: 'cancelled', digitalStatus: 'cancelled' }, 'order')).toBe('The quote is cancelled');
});
