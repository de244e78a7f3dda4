/** Phone numbers an SMS goes to (domain/phone.ts): E.164 or refused, national numbers read in a known region. */
import { AppError } from '../../../domain/errors';
import { dialablePhone, normalisePhone, phoneRegion } from '../../../domain/phone';

test('a number that can be dialled is written in E.164, spaces, dashes and brackets gone', () => {
  expect(normalisePhone('+33 6 12 34 56 78')).toBe('+33612345678');
  expect(normalisePhone(' +46 (0)70-123 45 67 ')).toBe('+46701234567');
  expect(normalisePhone('+1 415 555 2671')).toBe('+14155552671');
});

test('a national number is read in the region given, and refused without one', () => {
  expect(normalisePhone('06 12 34 56 78', 'FR')).toBe('+33612345678');
  expect(normalisePhone('070-123 45 67', 'SE')).toBe('+46701234567');
  expect(normalisePhone('06 12 34 56 78')).toBeUndefined();
  // An international number keeps its own country whatever the region.
  expect(normalisePhone('+46701234567', 'FR')).toBe('+46701234567');
});

test('numbers no network dials are refused: too short, too long, no such prefix, not a number', () => {
  for (const raw of ['12345', '+4670123456', '+1 555 0100', '+33 6 12 34 56 78 90', 'call me', '']) {
    expect(normalisePhone(raw, 'FR')).toBeUndefined();
  }
});

test('the region is the country of the first number written internationally', () => {
  expect(phoneRegion(null, '04 78 00 00 00', '+46 8 123 456 78', '+33 4 78 00 00 00')).toBe('SE');
  expect(phoneRegion(undefined, '06 12 34 56 78')).toBeUndefined();
});

test('a number refused is a 422 naming its field and how to write it', () => {
  expect(dialablePhone('06 12 34 56 78', 'FR', 'to.phone')).toBe('+33612345678');
  const refused = (() => {
    try {
      return dialablePhone('06 12 34 56 78', undefined, 'to.phone');
    } catch (error) {
      return error;
    }
  })();
  expect(refused).toBeInstanceOf(AppError);
  expect(refused).toMatchObject({ code: 'unprocessable', errors: [{ path: 'to.phone', message: expect.stringContaining('country code') }] });
});
