/**
 * Dates as documents and messages print them, in the reader's language. Times are in UTC
 * and say so: tenants have no time zone setting yet, and a silent zone would mislead.
 */
import type { Locale } from '../domain/documents';

/** Intl separates with narrow/no-break spaces; print plain ones, as formatMoney does. */
export function plainSpaces(text: string): string {
  return text.replace(/\u202f|\u00a0/g, ' ');
}

/** "2 mars 2026", "March 2, 2026", "2 mars 2026" (sv). */
export function formatDate(date: Date, locale: Locale): string {
  return plainSpaces(new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date));
}

/** A date with its time, for "viewed on …". */
export function formatDateTime(date: Date, locale: Locale): string {
  return plainSpaces(
    new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date) + ' UTC',
  );
}
