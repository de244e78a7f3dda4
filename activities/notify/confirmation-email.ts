/**
 * sendConfirmationEmail: tells the customer that their answer is recorded and what happens
 * next — a quote accepted or signed (with the signed PDF and its signature certificate
 * attached), a proof approved, an invoice paid (with the receipt's link), their service
 * request confirmed or declined by the seller; each decider of a quote or a proof several
 * people decide, its round's decision, on a link of their own. A document email like the
 * others (its portal link, the customer's language, the tenant's template when it has one), so
 * it is idempotent the same way: by input.idempotencyKey.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { AppError } from '../../domain/errors';
import type { Locale } from '../../domain/documents';
import { formatMoney } from '../../domain/money';
import { renderSignatureCertificate } from '../../services/render/signature-certificate';
import type { SendConfirmationEmailInput } from '../types';
import { EMAIL_WORDS } from '../../services/notify/templates';
import { pdfFilename, sendDocumentEmail, type EmailExtras, type SendDocumentEmailDeps } from './send-document-email';

const SIGNED_FILE_TITLE: Record<Locale, { quote: string; certificate: string }> = {
  fr: { quote: 'Devis-signé', certificate: 'Certificat-de-signature' },
  en: { quote: 'Signed-quote', certificate: 'Signature-certificate' },
  sv: { quote: 'Signerad-offert', certificate: 'Signaturintyg' },
};

/** The signed quote as the signer saw it (kept with the signature) and its certificate. */
async function signedCopies(prisma: PrismaClient, input: SendConfirmationEmailInput, locale: Locale): Promise<EmailExtras> {
  const signature = await prisma.quoteSignature.findFirst({
    where: { documentId: input.documentId, tenantId: input.tenantId },
    // Several signers: the copy the last one signed (each saw the same version).
    orderBy: { signedAt: 'desc' },
    select: { signedPdf: true, document: { select: { number: true } } },
  });
  if (!signature) throw new AppError('not_found', `Quote ${input.documentId} has no signature to send a copy of`);
  const titles = SIGNED_FILE_TITLE[locale];
  return {
    attachments: [
      { filename: pdfFilename(titles.quote, signature.document.number), content: new Uint8Array(signature.signedPdf), contentType: 'application/pdf' },
      {
        filename: pdfFilename(titles.certificate, signature.document.number),
        content: await renderSignatureCertificate(prisma, input),
        contentType: 'application/pdf',
      },
    ],
  };
}

/** The payment's amount and its receipt, served by the portal under the email's own link. */
async function paymentReceipt(prisma: PrismaClient, input: SendConfirmationEmailInput, locale: Locale, url: string): Promise<EmailExtras> {
  const payment = input.paymentId
    ? await prisma.payment.findFirst({ where: { paymentIntentId: input.paymentId, documentId: input.documentId, status: 'succeeded' } })
    : null;
  // Written by recordPayment before the machine confirms it: missing is a fault to retry.
  if (!payment?.receiptNumber) throw new Error(`No receipt yet for payment ${input.paymentId ?? '(none)'} of invoice ${input.documentId}`);
  return { values: { amount: formatMoney(payment.amount, payment.currency, locale), receipt: `${url}/receipts/${payment.id}` } };
}

export async function sendConfirmationEmail(deps: SendDocumentEmailDeps, input: SendConfirmationEmailInput): Promise<{ messageId: string; linkId: string }> {
  const { prisma } = deps;
  return sendDocumentEmail(
    deps,
    {
      tenantId: input.tenantId,
      documentId: input.documentId,
      template: `confirmation_${input.confirmation}`,
      ...(input.to ? { to: input.to } : {}),
      ...(input.decider ? { decider: input.decider } : {}),
      attachPdf: false,
      idempotencyKey: input.idempotencyKey,
    },
    ({ locale, url }): EmailExtras | Promise<EmailExtras> => {
      switch (input.confirmation) {
        case 'signed':
        case 'deciders_signed':
          return signedCopies(prisma, input, locale);
        // A rejection at the provider (GetAccept) does not say which of its signers gave it.
        case 'deciders_declined':
          return { values: { decider: input.declinedBy ?? EMAIL_WORDS[locale].aSigner } };
        case 'deciders_changes_requested':
          return { values: { decider: input.declinedBy ?? '' } };
        case 'paid':
          return paymentReceipt(prisma, input, locale, url);
        case 'request_declined':
          return { values: { reason: input.reason ? EMAIL_WORDS[locale].reason(input.reason) : '' } };
        default:
          return {};
      }
    },
  );
}
