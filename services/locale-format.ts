/**
 * Dates as documents and messages print them, in the reader's language and time zone
 * (domain/seller.ts readerTimeZone; UTC when none is known). A time names its zone.
 */
import type { Locale } from '../domain/documents';

/** Intl separates with narrow/no-break spaces; print plain ones, as formatMoney does. */
export function plainSpaces(text: string): string {
  return text.replace(/\u202f|\u00a0/g, ' ');
}

/** "2 mars 2026", "March 2, 2026", "2 mars 2026" (sv). */
export function formatDate(date: Date, locale: Locale, timeZone = 'UTC'): string {
  return plainSpaces(new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(date));
}

/** A date with its time, for "viewed on …". */
export function formatDateTime(date: Date, locale: Locale, timeZone = 'UTC'): string {
  const zone = zoneName(new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }), date);
  return plainSpaces(`${new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(date)} ${zone}`);
}

/** The zone's short name ("UTC", "UTC+1", "CET") as `format` (made with timeZoneName) writes it: Intl will not combine it with dateStyle, so it is added after. */
export function zoneName(format: Intl.DateTimeFormat, date: Date): string {
  return format.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? '';
}
