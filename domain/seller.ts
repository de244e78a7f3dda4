/**
 * The seller as its customers see it: who they deal with (legal name, address, ids, bank
 * details, terms), the colour of its brand, and the time zone their times are read in. Pure
 * rules: the settings hold the data (api/operations/settings.ts), pages, PDFs and emails
 * show it.
 */

export interface SellerIdentity {
  legalName: string;
  address?: string;
  phone?: string;
  email?: string;
  website?: string;
  /** VAT number ("FR40303265045"). */
  taxId?: string;
  /** Company registration: SIRET, Swedish organisationsnummer, company number. */
  companyId?: string;
  bankDetails?: string;
  paymentTerms?: string;
  /** "#0a7248". */
  brandColor?: string;
}

export const BRAND_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

/** IANA names only ("Europe/Paris", "UTC"): Intl also takes offsets ("+01:00"), which do not follow summer time. */
const IANA_SHAPE = /^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+)$/;

/** The names Intl took: asking it makes a formatter, which costs far more than a lookup, and every email asks (issue 12). Invalid names are not kept, so no input can grow this past the zones that exist. */
const knownTimeZones = new Set<string>();

export function isTimeZone(name: string): boolean {
  if (knownTimeZones.has(name)) return true;
  if (!IANA_SHAPE.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
  } catch {
    return false;
  }
  knownTimeZones.add(name);
  return true;
}

/** The zone a customer reads times in: theirs when known, else the seller's, else UTC. */
export function readerTimeZone(...candidates: (string | null | undefined)[]): string {
  return candidates.find((zone): zone is string => typeof zone === 'string' && isTimeZone(zone)) ?? 'UTC';
}

/** WCAG 2 relative luminance of "#rrggbb". */
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2 contrast ratio of two "#rrggbb" colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

export const WHITE = '#ffffff';
export const NEAR_BLACK = '#1c2230';
const BLACK = '#000000';
/** WCAG AA for body text. */
export const MIN_TEXT_CONTRAST = 4.5;

/**
 * The colours a page paints with the brand: `accent` fills buttons and bars with `accentInk`
 * written on it (white or the page's near-black ink, whichever reads better; black where
 * neither reaches 4.5:1), and `accentText`, the brand used as text on white, darkened until it reads.
 */
export function brandPalette(brandColor: string): { accent: string; accentInk: string; accentText: string } {
  const accent = brandColor.toLowerCase();
  // The page's own ink, else pure black for the mid-tones where neither white nor that ink reaches 4.5:1 (black always does then).
  const better = contrastRatio(accent, WHITE) >= contrastRatio(accent, NEAR_BLACK) ? WHITE : NEAR_BLACK;
  const accentInk = contrastRatio(accent, better) >= MIN_TEXT_CONTRAST ? better : BLACK;
  let accentText = accent;
  for (let step = 0; contrastRatio(accentText, WHITE) < MIN_TEXT_CONTRAST && step < 20; step++) accentText = darken(accentText, 0.85);
  return { accent, accentInk, accentText };
}

function darken(hex: string, factor: number): string {
  const channel = (offset: number) =>
    Math.round(parseInt(hex.slice(offset, offset + 2), 16) * factor)
      .toString(16)
      .padStart(2, '0');
  return `#${channel(1)}${channel(3)}${channel(5)}`;
}
