/**
 * The signature certificate: one page of evidence (who signed which quote, when, from
 * where, what they agreed to, the SHA-256 of the PDF they were shown, their drawn signature
 * if any), followed by the pages of that very PDF. The seller downloads it from the API,
 * the customer from the portal.
 *
 * layoutSignatureCertificate is pure (the same evidence gives the same bytes); the fonts
 * and text helpers are the quote PDF's own (quote-pdf.ts).
 */
import { PDFDocument, rgb } from 'pdf-lib';
import type { PrismaClient } from '../../generated/prisma/client';
import { AppError } from '../../domain/errors';
import { pickLocale, type Locale } from '../../domain/documents';
import { embedDejaVu, printable, wrapText, type Fonts } from './quote-pdf';

export interface SignatureCertificateData {
  locale: Locale;
  seller: string;
  number: string;
  title?: string;
  version: number;
  signerName: string;
  signerEmail?: string;
  signedAt: Date;
  ip?: string;
  userAgent?: string;
  linkId: string;
  pdfSha256: string;
  consentText: string;
  /** Descriptions of the optional lines chosen. */
  options: string[];
  drawnSignature?: Uint8Array;
  signedPdf: Uint8Array;
}

interface CertificateLabels {
  title: string;
  intro: string;
  document: string;
  version: string;
  seller: string;
  signer: string;
  email: string;
  signedAt: string;
  ip: string;
  userAgent: string;
  link: string;
  sha256: string;
  options: string;
  none: string;
  consent: string;
  drawn: string;
  pagesFollow: string;
}

const LABELS: Record<Locale, CertificateLabels> = {
  fr: {
    title: 'Certificat de signature électronique',
    intro: 'Ce certificat rassemble les preuves de la signature du devis ci-dessous. Le devis signé suit, page par page.',
    document: 'Devis',
    version: 'Version',
    seller: 'Émis par',
    signer: 'Signataire',
    email: 'E-mail',
    signedAt: 'Signé le (UTC)',
    ip: 'Adresse IP',
    userAgent: 'Navigateur',
    link: 'Lien utilisé',
    sha256: 'SHA-256 du PDF présenté',
    options: 'Options retenues',
    none: 'aucune',
    consent: 'Consentement donné',
    drawn: 'Signature dessinée',
    pagesFollow: 'Pages suivantes : le devis tel que présenté au signataire.',
  },
  en: {
    title: 'Electronic signature certificate',
    intro: 'This certificate holds the evidence of the signature of the quote below. The signed quote follows, page by page.',
    document: 'Quote',
    version: 'Version',
    seller: 'From',
    signer: 'Signer',
    email: 'Email',
    signedAt: 'Signed at (UTC)',
    ip: 'IP address',
    userAgent: 'Browser',
    link: 'Link used',
    sha256: 'SHA-256 of the PDF shown',
    options: 'Options chosen',
    none: 'none',
    consent: 'Consent given',
    drawn: 'Drawn signature',
    pagesFollow: 'Next pages: the quote as shown to the signer.',
  },
  sv: {
    title: 'Certifikat för elektronisk underskrift',
    intro: 'Certifikatet samlar bevisen för underskriften av offerten nedan. Den undertecknade offerten följer, sida för sida.',
    document: 'Offert',
    version: 'Version',
    seller: 'Från',
    signer: 'Undertecknare',
    email: 'E-post',
    signedAt: 'Undertecknad (UTC)',
    ip: 'IP-adress',
    userAgent: 'Webbläsare',
    link: 'Länk som användes',
    sha256: 'SHA-256 för visad PDF',
    options: 'Valda tillval',
    none: 'inga',
    consent: 'Givet samtycke',
    drawn: 'Ritad underskrift',
    pagesFollow: 'Följande sidor: offerten så som den visades för undertecknaren.',
  },
};

const PAGE: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const WIDTH = PAGE[0] - 2 * MARGIN;
const LABEL_WIDTH = 150;
const SIZE = 9.5;
const LEADING = 13;
const INK = rgb(0.1, 0.11, 0.13);
const MUTED = rgb(0.42, 0.45, 0.5);

export async function layoutSignatureCertificate(data: SignatureCertificateData): Promise<Uint8Array> {
  const t = LABELS[data.locale];
  const pdf = await PDFDocument.create();
  const fonts: Fonts = await embedDejaVu(pdf);
  pdf.setTitle(`${t.title} · ${t.document} ${data.number}`);
  pdf.setAuthor(data.seller);
  pdf.setLanguage(data.locale);
  pdf.setCreator('Greenlight');
  pdf.setProducer('Greenlight (pdf-lib)');
  pdf.setCreationDate(data.signedAt);
  pdf.setModificationDate(data.signedAt);

  let page = pdf.addPage(PAGE);
  let y = PAGE[1] - MARGIN;
  const ensureRoom = (height: number) => {
    if (y - height >= MARGIN) return;
    page = pdf.addPage(PAGE);
    y = PAGE[1] - MARGIN;
  };
  const paragraph = (text: string, options: { x?: number; width?: number; bold?: boolean; size?: number; color?: typeof INK } = {}) => {
    const font = options.bold ? fonts.bold : fonts.regular;
    const size = options.size ?? SIZE;
    for (const line of wrapText(text, font, size, options.width ?? WIDTH)) {
      ensureRoom(LEADING);
      page.drawText(printable(line), { x: options.x ?? MARGIN, y: y - size, font, size, color: options.color ?? INK });
      y -= size + 4;
    }
  };
  const row = (label: string, value: string, size = SIZE) => {
    const top = y;
    paragraph(label, { color: MUTED, width: LABEL_WIDTH - 8 });
    const afterLabel = y;
    y = top;
    paragraph(value, { x: MARGIN + LABEL_WIDTH, width: WIDTH - LABEL_WIDTH, size });
    y = Math.min(y, afterLabel) - 3;
  };

  paragraph(t.title, { bold: true, size: 16 });
  y -= 6;
  paragraph(t.intro, { color: MUTED });
  y -= 10;
  row(t.document, `${data.number}${data.title ? ` — ${data.title}` : ''}`);
  row(t.version, String(data.version));
  row(t.seller, data.seller);
  row(t.signer, data.signerName);
  if (data.signerEmail) row(t.email, data.signerEmail);
  row(t.signedAt, data.signedAt.toISOString());
  if (data.ip) row(t.ip, data.ip);
  if (data.userAgent) row(t.userAgent, data.userAgent);
  row(t.link, data.linkId);
  // Smaller, so the 64 hex digits stay on one line and can be copied (or searched) whole.
  row(t.sha256, data.pdfSha256, 7.5);
  row(t.options, data.options.length ? data.options.join('; ') : t.none);
  y -= 6;
  paragraph(t.consent, { bold: true });
  paragraph(`« ${data.consentText} »`);
  if (data.drawnSignature) {
    const image = await pdf.embedPng(data.drawnSignature);
    const scaled = image.scaleToFit(220, 90);
    y -= 8;
    paragraph(t.drawn, { bold: true });
    ensureRoom(scaled.height + 8);
    page.drawImage(image, { x: MARGIN, y: y - scaled.height, width: scaled.width, height: scaled.height });
    y -= scaled.height + 8;
  }
  y -= 10;
  paragraph(t.pagesFollow, { color: MUTED });

  const signed = await PDFDocument.load(data.signedPdf);
  for (const copied of await pdf.copyPages(signed, signed.getPageIndices())) pdf.addPage(copied);
  return pdf.save();
}

/** The certificate of a signed quote; not_found when the quote was not signed here. */
export async function renderSignatureCertificate(prisma: PrismaClient, ref: { tenantId: string; documentId: string }): Promise<Uint8Array> {
  const signature = await prisma.quoteSignature.findFirst({
    where: { documentId: ref.documentId, tenantId: ref.tenantId },
    include: { document: { include: { tenant: true, lines: { select: { id: true, description: true } } } } },
  });
  if (!signature) throw new AppError('not_found', 'This quote has no signature');
  const { document } = signature;
  const chosen = new Set(signature.options);
  return layoutSignatureCertificate({
    locale: pickLocale(signature.locale),
    seller: document.tenant.name,
    number: document.number,
    ...(document.title ? { title: document.title } : {}),
    version: signature.documentVersion,
    signerName: signature.signerName,
    ...(signature.signerEmail ? { signerEmail: signature.signerEmail } : {}),
    signedAt: signature.signedAt,
    ...(signature.ip ? { ip: signature.ip } : {}),
    ...(signature.userAgent ? { userAgent: signature.userAgent } : {}),
    linkId: signature.linkId,
    pdfSha256: signature.pdfSha256,
    consentText: signature.consentText,
    options: document.lines.filter((line) => chosen.has(line.id)).map((line) => line.description),
    ...(signature.drawnSignature ? { drawnSignature: signature.drawnSignature } : {}),
    signedPdf: signature.signedPdf,
  });
}
