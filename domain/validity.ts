/**
 * How long a quote is offered, counted as people read it: "valid until 3 January" holds through
 * the end of that day where the customer reads it (domain/seller.ts readerTimeZone), not until
 * its first second. Pure rules: the API turns what the seller wrote into the instant the quote's
 * workflow expires at, so the workflow only ever sees a number.
 */

/** "2027-01-03": a day, without a time. */
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Days from year 1: before it, Intl writes years by era and a day could not be read back. */
export function isValidityDay(day: string): boolean {
  return DATE_ONLY.test(day) && !day.startsWith('0000');
}

const DAY_MS = 86_400_000;

/** One formatter per zone: Intl's cost far more to make than to use. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClocks.set(timeZone, format);
  }
  return format;
}

/** The zone's wall clock at `instant`, as if it were UTC (whole seconds). */
function wallTime(instant: number, timeZone: string): number {
  const parts = wallClock(timeZone).formatToParts(new Date(instant));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  // setUTCFullYear, not Date.UTC: Date.UTC takes years 0 to 99 for 1900 to 1999.
  return new Date(Date.UTC(2000, field('month') - 1, field('day'), field('hour'), field('minute'), field('second'))).setUTCFullYear(field('year'));
}

/** The calendar day `instant` falls on in `timeZone`: "2027-01-03". */
export function dayIn(instant: number, timeZone: string): string {
  return new Date(wallTime(instant, timeZone)).toISOString().slice(0, 10);
}

/**
 * The last millisecond of `day` ("2027-01-03") in `timeZone`. Where the next midnight is skipped
 * (summer time starting at midnight) or read twice (winter time), the day ends at the last
 * instant that still reads as it.
 */
export function endOfDay(day: string, timeZone: string): number {
  const nextMidnight = Date.parse(`${day}T00:00:00Z`) + DAY_MS;
  // The zone's offsets on either side of that midnight: at most one change falls between them.
  const offsets = new Set([nextMidnight - DAY_MS, nextMidnight, nextMidnight + DAY_MS].map((at) => wallTime(at, timeZone) - Math.floor(at / 1000) * 1000));
  const ends = [...offsets].map((offset) => nextMidnight - offset - 1).filter((end) => dayIn(end, timeZone) === day);
  return Math.max(...ends);
}

/** What the seller wrote: a day ends as the reader's day ends; a timestamp is taken as given. */
export function validUntilInstant(value: string, timeZone: string): number {
  return DATE_ONLY.test(value) ? endOfDay(value, timeZone) : Date.parse(value);
}

/** The settings' validity counted from `now`, to the end of the day it ends on. */
export function defaultValidUntil(now: number, validityMs: number, timeZone: string): number {
  return endOfDay(dayIn(now + validityMs, timeZone), timeZone);
}
