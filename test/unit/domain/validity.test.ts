/** A quote's validity as people read it (domain/validity.ts): "valid until 3 January" holds through that day, where the customer is. */
import { dayIn, defaultValidUntil, endOfDay, isValidityDay, validUntilInstant } from '../../../domain/validity';
import { formatDate } from '../../../services/locale-format';
import { formattersFor } from '../../../api/portal/i18n';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

test('a day ends at its last millisecond in the reader’s zone, wherever they are', () => {
  expect(new Date(endOfDay('2027-01-03', 'Europe/Paris')).toISOString()).toBe('2027-01-03T22:59:59.999Z');
  expect(new Date(endOfDay('2027-01-03', 'UTC')).toISOString()).toBe('2027-01-03T23:59:59.999Z');
  expect(new Date(endOfDay('2027-07-03', 'Europe/Stockholm')).toISOString()).toBe('2027-07-03T21:59:59.999Z');
  expect(new Date(endOfDay('2027-01-03', 'America/New_York')).toISOString()).toBe('2027-01-04T04:59:59.999Z');
  expect(new Date(endOfDay('2027-01-03', 'Pacific/Kiritimati')).toISOString()).toBe('2027-01-03T09:59:59.999Z');
  expect(new Date(endOfDay('2027-01-03', 'Asia/Kolkata')).toISOString()).toBe('2027-01-03T18:29:59.999Z');
  // The calendar's edges: Date.UTC would have read year 1 as 1901.
  expect(new Date(endOfDay('0001-01-01', 'UTC')).toISOString()).toBe('0001-01-01T23:59:59.999Z');
  expect(new Date(endOfDay('9999-12-31', 'Europe/Paris')).toISOString()).toBe('9999-12-31T22:59:59.999Z');
  expect(['0001-01-01', '2027-01-03'].every(isValidityDay)).toBe(true);
  expect(['0000-12-31', '2027-01-03T00:00:00Z', '3 janvier'].some(isValidityDay)).toBe(false);
});

test('a Paris quote "valable jusqu’au 3 janvier" is acceptable at 23:00 that day and expired after midnight, and every page says 3 janvier', () => {
  const end = validUntilInstant('2027-01-03', 'Europe/Paris');
  expect(at('2027-01-03T23:00:00+01:00')).toBeLessThan(end);
  expect(at('2027-01-03T23:59:59.998+01:00')).toBeLessThan(end);
  expect(at('2027-01-04T00:00:00+01:00')).toBeGreaterThan(end);
  // What the portal, the PDF and the emails print (in the same zone) names the day the quote is valid through.
  expect(formattersFor('fr', 'Europe/Paris').date(new Date(end))).toBe('3 janvier 2027');
  expect(formatDate(new Date(end), 'fr', 'Europe/Paris')).toBe('3 janvier 2027');
  expect(formatDate(new Date(end + 1), 'fr', 'Europe/Paris')).toBe('4 janvier 2027');
  // The peer bug: the start of the day would have expired it the evening before, as Paris reads it.
  expect(end - at('2027-01-03T00:00:00+01:00')).toBe(24 * HOUR - 1);
});

test('a day lasts to its end across summer-time changes, even where midnight is skipped or read twice', () => {
  // Paris: a 23-hour and a 25-hour day.
  expect(endOfDay('2026-03-29', 'Europe/Paris') - endOfDay('2026-03-28', 'Europe/Paris')).toBe(23 * HOUR);
  expect(endOfDay('2026-10-25', 'Europe/Paris') - endOfDay('2026-10-24', 'Europe/Paris')).toBe(25 * HOUR);
  // Santiago changes at midnight: 6 September 2026 starts at 01:00; on 5 April 2026, 23:00–24:00 of the 4th comes twice.
  expect(new Date(endOfDay('2026-09-05', 'America/Santiago')).toISOString()).toBe('2026-09-06T03:59:59.999Z');
  expect(new Date(endOfDay('2026-04-04', 'America/Santiago')).toISOString()).toBe('2026-04-05T03:59:59.999Z');
  // Every day of two years in zones east, west and on the line: the end reads as the day, the next millisecond as the next.
  for (const zone of ['Europe/Paris', 'America/Santiago', 'Australia/Lord_Howe', 'Pacific/Apia', 'UTC', 'America/St_Johns']) {
    for (let day = at('2026-01-01T00:00:00Z'); day < at('2028-01-01T00:00:00Z'); day += 24 * HOUR) {
      const date = new Date(day).toISOString().slice(0, 10);
      const end = endOfDay(date, zone);
      expect(dayIn(end, zone)).toBe(date);
      expect(dayIn(end + 1, zone)).toBe(new Date(day + 24 * HOUR).toISOString().slice(0, 10));
    }
  }
});

test('a timestamp is taken as given, whatever the zone', () => {
  expect(validUntilInstant('2027-01-03T00:00:00Z', 'Europe/Paris')).toBe(at('2027-01-03T00:00:00Z'));
  expect(validUntilInstant('2027-01-03T12:30:00+05:30', 'America/New_York')).toBe(at('2027-01-03T07:00:00Z'));
});

test('the settings’ validity ends at the end of the day it runs out on, in the reader’s zone', () => {
  const DAY = 24 * HOUR;
  // Sent on 5 December at 23:30 in Paris (22:30 UTC): thirty days run out on 4 January in Paris, and in UTC too.
  const sent = at('2026-12-05T22:30:00Z');
  expect(new Date(defaultValidUntil(sent, 30 * DAY, 'Europe/Paris')).toISOString()).toBe('2027-01-04T22:59:59.999Z');
  expect(new Date(defaultValidUntil(sent, 30 * DAY, 'UTC')).toISOString()).toBe('2027-01-04T23:59:59.999Z');
  // In Tokyo it is already 6 December: its thirty days run out on 5 January there.
  expect(new Date(defaultValidUntil(sent, 30 * DAY, 'Asia/Tokyo')).toISOString()).toBe('2027-01-05T14:59:59.999Z');
  expect(defaultValidUntil(sent, 30 * DAY, 'Europe/Paris')).toBeGreaterThanOrEqual(sent + 30 * DAY);
});
