/**
 * The seller on every portal page: its name and logo at the top, its brand colour on the
 * buttons and bars (with text on it that keeps 4.5:1 contrast, domain/seller.ts
 * brandPalette), and the time zone the page writes times in.
 */
import { html, type SafeHtml } from './html';
import { brandPalette, readerTimeZone, type SellerIdentity } from '../../domain/seller';
import type { LinkedDocument } from '../../services/db/links';
import { logoPath, storedIdentity } from '../../services/seller/identity';

export interface PortalSeller {
  identity: SellerIdentity;
  logo?: { path: string; width: number; height: number };
  timeZone: string;
}

export function portalSeller(document: Pick<LinkedDocument, 'tenant' | 'customer'>): PortalSeller {
  const { tenant, customer } = document;
  return {
    identity: storedIdentity(tenant.settings?.seller) ?? { legalName: tenant.name },
    ...(tenant.logo ? { logo: { path: logoPath(tenant.logo), width: tenant.logo.width, height: tenant.logo.height } } : {}),
    timeZone: readerTimeZone(customer.timeZone, tenant.settings?.timeZone),
  };
}

/** Whom the customer calls about a decision the portal no longer takes: the seller's name, phone and email (settings.seller). */
export function sellerToCall(document: Pick<LinkedDocument, 'tenant' | 'customer'>): string {
  const { legalName, phone, email } = portalSeller(document).identity;
  const reach = [phone, email].filter(Boolean).join(', ');
  return reach ? `${legalName} (${reach})` : legalName;
}

/** The page's own colours: the brand's, when the seller has one (a validated #rrggbb, safe in a stylesheet). */
export function brandStyle(seller: PortalSeller | undefined): string {
  const color = seller?.identity.brandColor;
  if (!color) return '';
  const palette = brandPalette(color);
  return `:root{--accent:${palette.accent};--accent-ink:${palette.accentInk};--accent-text:${palette.accentText}}`;
}

/** At the top of the page: the logo (shown at most 56 px high) and the seller's name. */
export function sellerHeader(seller: PortalSeller): SafeHtml {
  const { identity, logo } = seller;
  const shownHeight = logo ? Math.min(56, logo.height) : 0;
  const shownWidth = logo ? Math.round((logo.width * shownHeight) / logo.height) : 0;
  return html`<header class="seller-bar">${
    logo ? html`<img class="seller-logo" src="${logo.path}" alt="" width="${shownWidth}" height="${shownHeight}">` : null
  }<span class="seller-name">${identity.legalName}</span></header>`;
}
