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
  return plainSpaces(
    new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(date),
  );
}
