/**
 * Dates as documents and messages print them, in the reader's language and time zone
 * (domain/seller.ts readerTimeZone; UTC when none is known). A time names its zone.
 */
import type { Locale } from '../domain/documents';

/** Intl separates with narrow/no-break spaces; print plain ones, as formatMoney does. */
export function plainSpaces(text: string): string {
  return text.replace(/\u202f|\u00a0/g, ' ');
}

type DateShape = 'date' | 'dateTime' | 'zone';

const DATE_SHAPES: Record<DateShape, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'long' },
  dateTime: { dateStyle: 'long', timeStyle: 'short' },
  zone: { timeZoneName: 'short' },
};

/** Made once per shape, locale and zone: a formatter costs far more to make than to use, and every email and document prints dates (issue 12). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(shape: DateShape, locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${shape}\0${locale}\0${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...DATE_SHAPES[shape], timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

/** "2 mars 2026", "March 2, 2026", "2 mars 2026" (sv). */
export function formatDate(date: Date, locale: Locale, timeZone = 'UTC'): string {
  return plainSpaces(dateFormat('date', locale, timeZone).format(date));
}

/** A date with its time, for "viewed on …". */
export function formatDateTime(date: Date, locale: Locale, timeZone = 'UTC'): string {
  const zone = zoneName(dateFormat('zone', locale, timeZone), date);
  return plainSpaces(`${dateFormat('dateTime', locale, timeZone).format(date)} ${zone}`);
}

/** The zone's short name ("UTC", "UTC+1", "CET") as `format` (made with timeZoneName) writes it: Intl will not combine it with dateStyle, so it is added after. */
export function zoneName(format: Intl.DateTimeFormat, date: Date): string {
  return format.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? '';
}
