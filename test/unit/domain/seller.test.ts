/** The seller's colours and time zones (domain/seller.ts): whatever the brand, text on it and in it reads. */
import { brandPalette, contrastRatio, isTimeZone, MIN_TEXT_CONTRAST, readerTimeZone, WHITE } from '../../../domain/seller';

test('any brand colour gets an ink that reads on it and a text shade that reads on white', () => {
  // Every 17th step of each channel: the corners, the greys and the mid-tones where both inks are closest.
  const steps = Array.from({ length: 16 }, (_, index) => (index * 17).toString(16).padStart(2, '0'));
  for (const r of steps) {
    for (const g of steps) {
      for (const b of steps) {
        const palette = brandPalette(`#${r}${g}${b}`);
        expect(contrastRatio(palette.accent, palette.accentInk)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
        expect(contrastRatio(palette.accentText, WHITE)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
      }
    }
  }
  expect(brandPalette('#F4C20D')).toMatchObject({ accent: '#f4c20d', accentInk: '#1c2230' });
  expect(brandPalette('#0a7248')).toEqual({ accent: '#0a7248', accentInk: '#ffffff', accentText: '#0a7248' });
});

test('time zones are IANA names; the reader’s comes first, then the seller’s, then UTC', () => {
  expect(['Europe/Paris', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+5'].filter(isTimeZone)).toHaveLength(4);
  expect(['+01:00', 'Mars/Olympus', 'europe paris', '', 'Europe/Paris/../x'].filter(isTimeZone)).toEqual([]);
  expect(readerTimeZone(undefined, 'Europe/Stockholm')).toBe('Europe/Stockholm');
  expect(readerTimeZone('Asia/Tokyo', 'Europe/Stockholm')).toBe('Asia/Tokyo');
  expect(readerTimeZone(null, 'nowhere')).toBe('UTC');
});
