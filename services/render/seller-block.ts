/**
 * The seller on every PDF (quote, order, delivery note, invoice, receipt, signature
 * certificate): its logo and legal name at the top with its address and contact, and a footer
 * line with its legal name, address and ids, as a business document must carry them.
 */
import { rgb, type PDFDocument, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';
import { brandPalette, type SellerIdentity } from '../../domain/seller';
import { INK, MUTED, printable, wrapText, type Fonts } from './pdf-document';

export interface PdfSeller {
  identity: SellerIdentity;
  logo?: { png: Uint8Array; width: number; height: number };
}

/** The logo's height on paper, in points (about 17 mm). */
const LOGO_HEIGHT = 48;
const LOGO_MAX_WIDTH = 170;

/** The brand colour as text on white: darkened until it reads (4.5:1). */
export function brandText(brandColor: string): RGB {
  const hex = brandPalette(brandColor).accentText;
  return rgb(parseInt(hex.slice(1, 3), 16) / 255, parseInt(hex.slice(3, 5), 16) / 255, parseInt(hex.slice(5, 7), 16) / 255);
}

/** Embedded once per PDF, drawn on whichever page needs it. */
export async function embedSellerLogo(pdf: PDFDocument, seller: PdfSeller): Promise<PDFImage | undefined> {
  return seller.logo ? pdf.embedPng(seller.logo.png) : undefined;
}

/** Logo, legal name, address and contact from `top` down at `x`; returns the baseline below the last line. */
export function drawSellerBlock(page: PDFPage, fonts: Fonts, seller: PdfSeller, logo: PDFImage | undefined, box: { x: number; top: number; width: number }): number {
  let y = box.top;
  if (logo) {
    const scaled = logo.scaleToFit(Math.min(LOGO_MAX_WIDTH, box.width), LOGO_HEIGHT);
    page.drawImage(logo, { x: box.x, y: y - scaled.height, width: scaled.width, height: scaled.height });
    y -= scaled.height + 14;
  } else {
    y -= 16;
  }
  const { identity } = seller;
  page.drawText(printable(identity.legalName), { x: box.x, y, font: fonts.bold, size: logo ? 11 : 16, color: identity.brandColor ? brandText(identity.brandColor) : INK });
  const details = [...(identity.address?.split(/\r?\n/) ?? []), [identity.phone, identity.email].filter(Boolean).join(' · '), identity.website ?? ''].filter(Boolean);
  for (const detail of details) {
    for (const line of wrapText(detail, fonts.regular, 8.5, box.width)) {
      y -= 11;
      page.drawText(printable(line), { x: box.x, y, font: fonts.regular, size: 8.5, color: MUTED });
    }
  }
  return y;
}

/** "Imprimerie Durand SARL · 12 rue des Presses, 69002 Lyon · N° TVA FR40… · SIRET …": one line at each page's foot. */
export function sellerFooterLine(identity: SellerIdentity, labels: { taxId: string }): string {
  return [
    identity.legalName,
    identity.address?.split(/\r?\n/).join(', '),
    identity.taxId ? `${labels.taxId} ${identity.taxId}` : undefined,
    identity.companyId,
  ]
    .filter(Boolean)
    .join(' · ');
}
