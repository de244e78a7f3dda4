/**
 * The signature certificate: one page of evidence (who signed which quote, when, from
 * where, what they agreed to, the SHA-256 of the PDF they were shown, their drawn signature
 * if any), followed by the pages of that very PDF. The seller downloads it from the API,
 * the customer from the portal.
 *
 * layoutSignatureCertificate is pure (the same evidence gives the same bytes).
 */
import { PDFDocument } from 'pdf-lib';
import type { PrismaClient } from '../../generated/prisma/client';
import { AppError } from '../../domain/errors';
import { pickLocale, type Locale } from '../../domain/documents';
import { startLabelledPdf } from './labelled-rows';
import { QUOTE_LABELS } from './labels';
import { sellerFooterLine, type PdfSeller } from './seller-block';
import { loadSeller } from '../seller/identity';
import { MUTED } from './pdf-document';

/** One signer's evidence. */
export interface SignerEvidence {
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
}

export interface SignatureCertificateData {
  locale: Locale;
  seller: PdfSeller;
  number: string;
  title?: string;
  version: number;
  /** In the order they signed (several deciders' signers, domain/deciders.ts); one for a customer's signature. */
  signers: SignerEvidence[];
  /** The PDF the last signer was shown: the pages that follow. */
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
    pagesFollow: 'Pages suivantes\u202f: le devis tel que présenté au signataire.',
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

const GEOMETRY = { margin: 48, labelWidth: 150, size: 9.5, lineGap: 4, rowGap: 3 };

async function layoutSignatureCertificate(data: SignatureCertificateData): Promise<Uint8Array> {
  const t = LABELS[data.locale];
  const metadata = { title: `${t.title} · ${t.document} ${data.number}`, author: data.seller.identity.legalName, locale: data.locale, date: data.signers.at(-1)?.signedAt ?? new Date(0) };
  const { pdf, writer } = await startLabelledPdf(metadata, GEOMETRY);

  await writer.sellerHeader(data.seller);
  writer.paragraph(t.title, { bold: true, size: 16 });
  writer.space(6);
  writer.paragraph(t.intro, { color: MUTED });
  writer.space(10);
  writer.row(t.document, `${data.number}${data.title ? ` — ${data.title}` : ''}`);
  writer.row(t.version, String(data.version));
  writer.row(t.seller, data.seller.identity.legalName);
  for (const [index, signer] of data.signers.entries()) await writeSigner(writer, t, signer, data.signers.length > 1 ? `${t.signer} ${index + 1}/${data.signers.length}` : t.signer);
  writer.space(10);
  writer.paragraph(t.pagesFollow, { color: MUTED });
  // On the certificate's own pages; the quote's pages that follow carry their own.
  writer.footer(sellerFooterLine(data.seller.identity, QUOTE_LABELS[data.locale]));

  const signed = await PDFDocument.load(data.signedPdf);
  for (const copied of await pdf.copyPages(signed, signed.getPageIndices())) pdf.addPage(copied);
  return pdf.save();
}

type CertificateWriter = Awaited<ReturnType<typeof startLabelledPdf>>['writer'];

/** One signer's evidence, under their name. */
async function writeSigner(writer: CertificateWriter, t: CertificateLabels, data: SignerEvidence, label: string): Promise<void> {
  writer.space(6);
  writer.row(label, data.signerName);
  if (data.signerEmail) writer.row(t.email, data.signerEmail);
  writer.row(t.signedAt, data.signedAt.toISOString());
  if (data.ip) writer.row(t.ip, data.ip);
  if (data.userAgent) writer.row(t.userAgent, data.userAgent);
  writer.row(t.link, data.linkId);
  // Smaller, so the 64 hex digits stay on one line and can be copied (or searched) whole.
  writer.row(t.sha256, data.pdfSha256, { size: 7.5 });
  writer.row(t.options, data.options.length ? data.options.join('; ') : t.none);
  writer.space(6);
  writer.paragraph(t.consent, { bold: true });
  writer.paragraph(`« ${data.consentText} »`);
  if (data.drawnSignature) {
    writer.space(8);
    writer.paragraph(t.drawn, { bold: true });
    await writer.image(data.drawnSignature, { width: 220, height: 90 });
    writer.space(8);
  }
}

/** The certificate of a signed quote; not_found when the quote was not signed here. */
export async function renderSignatureCertificate(prisma: PrismaClient, ref: { tenantId: string; documentId: string }): Promise<Uint8Array> {
  const signature = await prisma.quoteSignature.findFirst({
    where: { documentId: ref.documentId, tenantId: ref.tenantId },
    include: { document: { include: { tenant: true, lines: { select: { id: true, description: true } } } } },
  });
  if (!signature) throw new AppError('not_found', 'This quote has no signature');
  const { document } = signature;
  // Several signers (domain/deciders.ts): each one's evidence, in the order they signed.
  const signatures = await prisma.quoteSignature.findMany({ where: { documentId: ref.documentId, tenantId: ref.tenantId }, orderBy: [{ signedAt: 'asc' }, { createdAt: 'asc' }] });
  const last = signatures.at(-1) ?? signature;
  const seller = await loadSeller(prisma, ref.tenantId);
  return layoutSignatureCertificate({
    locale: pickLocale(last.locale),
    seller: { identity: seller.identity, ...(seller.logo ? { logo: seller.logo } : {}) },
    number: document.number,
    ...(document.title ? { title: document.title } : {}),
    version: last.documentVersion,
    signers: signatures.map((one) => {
      const chosen = new Set(one.options);
      return {
        signerName: one.signerName,
        ...(one.signerEmail ? { signerEmail: one.signerEmail } : {}),
        signedAt: one.signedAt,
        ...(one.ip ? { ip: one.ip } : {}),
        ...(one.userAgent ? { userAgent: one.userAgent } : {}),
        linkId: one.linkId,
        pdfSha256: one.pdfSha256,
        consentText: one.consentText,
        options: document.lines.filter((line) => chosen.has(line.id)).map((line) => line.description),
        ...(one.drawnSignature ? { drawnSignature: one.drawnSignature } : {}),
      };
    }),
    signedPdf: last.signedPdf,
  });
}
