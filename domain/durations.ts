import { parse } from 'tinyduration';

/**
 * ISO 8601 durations ("P3D", "PT30M", "PT5S") to milliseconds. Months and years are taken
 * as 30 and 365 days: settings use them for reminders and validity, where a calendar-exact
 * month is not what anyone means by "remind me in a month".
 */
export function durationToMs(iso: string): number {
  const d = parse(iso);
  const days = (d.years ?? 0) * 365 + (d.months ?? 0) * 30 + (d.weeks ?? 0) * 7 + (d.days ?? 0);
  const seconds = days * 86400 + (d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
  const ms = Math.round(seconds * 1000);
  return d.negative ? -ms : ms;
}

export function isIsoDuration(value: string): boolean {
  try {
    return durationToMs(value) > 0;
  } catch {
    return false;
  }
}
