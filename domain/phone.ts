/**
 * Phone numbers an SMS goes to: checked and written in E.164 (+33612345678) before anything is
 * sent, with libphonenumber-js's full metadata (the lengths and prefixes each country dials). A
 * number written without its country code ("06 12 34 56 78") is read in the region the seller or
 * the customer is known to be in — the country of a number of theirs already written
 * internationally —, else it cannot be dialled.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { AppError } from './errors';

/** ISO 3166 alpha-2 ("FR", "SE"): where a number without its country code is read. */
export type PhoneRegion = CountryCode;

/** The E.164 form of a number that can be dialled; undefined for one that cannot. */
export function normalisePhone(raw: string, defaultRegion?: PhoneRegion): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultRegion);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** The country of the first of these numbers written internationally ("+46 70…" is SE): where a national number is read. */
export function phoneRegion(...numbers: (string | null | undefined)[]): PhoneRegion | undefined {
  for (const number of numbers) {
    const country = number?.trim().startsWith('+') ? parsePhoneNumberFromString(number)?.country : undefined;
    if (country) return country;
  }
  return undefined;
}

/** What a refused number is told, naming how to write it. */
function undialableReason(defaultRegion?: PhoneRegion): string {
  return defaultRegion
    ? `not a phone number that can be dialled (read in ${defaultRegion} when it has no country code)`
    : 'not a phone number that can be dialled; write it with its country code (+33612345678)';
}

/** A number that can be dialled, in E.164, or a 422 naming the field it came from. */
export function dialablePhone(raw: string, region: PhoneRegion | undefined, path: string): string {
  const number = normalisePhone(raw, region);
  if (!number) throw new AppError('unprocessable', `${raw} is ${undialableReason(region)}.`, [{ path, message: undialableReason(region) }]);
  return number;
}
