/**
 * sendDocumentEmail: the email that carries a document to its customer — the portal link
 * (always), the PDF when asked, in the customer's language, from the tenant's template
 * when it has one. It records nothing in the audit trail: the workflow's transition does.
 *
 * Idempotent by input.idempotencyKey: a retry finds the same link and renders the same
 * bytes, so the provider recognises the repeat and sends once.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '../../generated/prisma/client';
import { AppError } from '../../domain/errors';
import type { Config } from '../../platform/config';
import { customerLinkActions, pickLocale, type LinkAction, type Locale } from '../../domain/documents';
import { formatMoney } from '../../domain/money';
import { deciderLinkActions } from '../../domain/deciders';
import { createMessageAccessLink, type LinkRecipient } from '../../services/db/links';
import { formatDate } from '../../services/locale-format';
import { documentTitle } from '../../services/render/labels';
import { renderQuotePdf } from '../../services/render/quote-pdf';
import { loadSeller, type Seller } from '../../services/seller/identity';
import { readerTimeZone } from '../../domain/seller';
import { normalisePhone, phoneRegion } from '../../domain/phone';
import type { SendDocumentEmailInput } from '../types';
import type { FileStore } from '../../services/files/store';
import type { EmailAttachment, Mailer } from '../../services/notify/mailer';
import { EMAIL_WORDS, pickTemplate, renderEmail, type RenderOptions } from '../../services/notify/templates';
import { revisionEmailValues } from './revision-email';

export interface SendDocumentEmailDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  config: Pick<Config, 'publicUrl' | 'mailFrom' | 'appSecret'>;
  /** Where a proof's watermarked PDF is read from, to attach it (proof type email). */
  proofs?: { files: FileStore };
}

/** A proof's attachment is its name in the customer's language, then its number and revision. */
const PROOF_FILE_TITLE: Record<Locale, string> = { fr: 'BAT', en: 'Proof', sv: 'Korrektur' };

/** Whom a message goes to: a contact of the document's customer, an address or a number, or by default its contact, else its customer. */
export type MessageTo = { contactId: string } | { email: string; name?: string } | { phone: string; name?: string };

interface Reachable {
  name: string;
  email: string | null;
  phone: string | null;
}

type Chosen = { contactId?: string; name: string; email: string | null; phone: string | null };

/** The recipient a message names, with every way to reach them. */
async function chooseRecipient(
  prisma: PrismaClient,
  document: { tenantId: string; customerId: string; customer: Reachable; contact: (Reachable & { id: string }) | null },
  to: MessageTo | undefined,
): Promise<Chosen> {
  const reach = (who: Reachable & { id?: string }) => ({ ...(who.id ? { contactId: who.id } : {}), name: who.name, email: who.email, phone: who.phone });
  if (to && 'contactId' in to) {
    // Another contact of the same account, as the seller may pick; never someone else's.
    const contact = await prisma.contact.findFirst({ where: { id: to.contactId, tenantId: document.tenantId, customerId: document.customerId } });
    if (!contact) throw ApplicationFailure.nonRetryable(`Contact ${to.contactId} is not a contact of this customer`, 'RecipientNotFound');
    return reach(contact);
  }
  if (to) return { name: to.name ?? document.customer.name, email: 'email' in to ? to.email : null, phone: 'phone' in to ? to.phone : null };
  return reach(document.contact ?? { ...document.customer, id: undefined });
}

/** The recipient of an email: reachable by email, or the send fails for good. */
async function resolveRecipient(prisma: PrismaClient, document: Parameters<typeof chooseRecipient>[1], to: SendDocumentEmailInput['to']): Promise<LinkRecipient & { email: string; name: string }> {
  const { email, phone: _phone, ...chosen } = await chooseRecipient(prisma, document, to);
  if (!email) throw ApplicationFailure.nonRetryable(`${chosen.name} has no email address`, 'RecipientWithoutEmail');
  return { ...chosen, email };
}

/** The recipient of an SMS: a number that can be dialled (E.164), read in the customer's or the seller's country when written without one. */
export async function resolveSmsRecipient(
  prisma: PrismaClient,
  document: Parameters<typeof chooseRecipient>[1],
  seller: Seller,
  to: MessageTo | undefined,
): Promise<LinkRecipient & { phone: string; name: string }> {
  const { email: _email, phone, ...chosen } = await chooseRecipient(prisma, document, to);
  const dialled = phone ? normalisePhone(phone, phoneRegion(document.customer.phone, seller.identity.phone)) : undefined;
  if (!dialled) throw ApplicationFailure.nonRetryable(`${chosen.name} has no phone number that can be dialled`, 'RecipientWithoutPhone');
  return { ...chosen, phone: dialled };
}

/** "Devis-DEV-2026-0042.pdf", "Bon-de-commande-O-2026-0007.pdf": readable in a mail client, safe in any file system. */
export function pdfFilename(title: string, number: string): string {
  return `${title}-${number}`.replace(/[^\p{L}\p{N}._-]+/gu, '-') + '.pdf';
}

/**
 * The PDF a proof email carries: the watermarked medium-resolution PDF of the revision sent
 * (the customer's download on the portal), never the original. Rendered before the email is
 * sent, so a missing one is a fault to retry, not a reason to send without it.
 */
async function proofAttachment(
  deps: SendDocumentEmailDeps,
  document: { id: string; number: string },
  revisionNumber: number | undefined,
  locale: Locale,
): Promise<EmailAttachment> {
  if (!deps.proofs) throw new Error('This worker was built without the proof file store (ActivityDeps.proofs)');
  const revision = await deps.prisma.revision.findFirst({
    where: { documentId: document.id, status: 'ready', ...(revisionNumber !== undefined ? { number: revisionNumber } : {}) },
    orderBy: { number: 'desc' },
    select: { number: true, watermarkedPdfKey: true },
  });
  if (!revision?.watermarkedPdfKey) {
    throw new AppError('unprocessable', `Proof ${document.number} has no rendered revision${revisionNumber !== undefined ? ` ${revisionNumber}` : ''} to attach`);
  }
  return {
    filename: pdfFilename(`${PROOF_FILE_TITLE[locale]}-${document.number}`, `r${revision.number}`),
    content: await deps.proofs.files.get(revision.watermarkedPdfKey),
    contentType: 'application/pdf',
  };
}

/** How an email shows the seller: its name, its logo (by address), its colour. */
export function emailBrand(seller: Seller, publicUrl: string): NonNullable<RenderOptions['brand']> {
  return {
    name: seller.identity.legalName,
    ...(seller.logo ? { logo: { url: `${publicUrl}${seller.logo.path}`, width: seller.logo.width, height: seller.logo.height } } : {}),
    ...(seller.identity.brandColor ? { color: seller.identity.brandColor } : {}),
  };
}

/** "Imprimerie Durand" <documents@…>: the seller's name on the platform's sending address. */
export function sellerFromAddress(sellerName: string, mailFrom: string): string {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `"${sellerName.replace(/["\\\r\n]/g, '')}" <${address}>`;
}

/**
 * The link a colleague gets when a proof is forwarded to them: the forwarding link's actions
 * but forwarding (a colleague opens this proof and nothing else), never outliving it.
 */
async function colleagueLinkTerms(prisma: PrismaClient, document: { id: string; tenantId: string }, forwardedFromLinkId: string) {
  const forwarding = await prisma.accessLink.findFirst({ where: { id: forwardedFromLinkId, documentId: document.id, tenantId: document.tenantId } });
  if (!forwarding) throw ApplicationFailure.nonRetryable(`Link ${forwardedFromLinkId} is not a link of this document`, 'LinkNotFound');
  return {
    actions: forwarding.actions.filter((action) => action !== 'forward') as LinkAction[],
    forwardedFromLinkId,
    ...(forwarding.expiresAt ? { expiresAt: forwarding.expiresAt } : {}),
    forwarder: forwarding.recipientName ?? forwarding.recipientEmail ?? '',
  };
}

/** What an email adds to every document email's: placeholders (in its language) and attachments. */
export interface EmailExtras {
  values?: Record<string, string>;
  attachments?: EmailAttachment[];
}

type LoadedDocument = NonNullable<Awaited<ReturnType<typeof loadDocument>>>;

function loadDocument(prisma: PrismaClient, input: { tenantId: string; documentId: string }) {
  return prisma.document.findFirst({
    where: { id: input.documentId, tenantId: input.tenantId },
    include: { tenant: { include: { settings: true } }, customer: true, contact: true, assignee: true },
  });
}

/**
 * What a message carrying a document says, by email or by SMS: the document, the seller, the
 * customer's language, the portal link (made once per idempotency key, so a retry carries the
 * same one) and the template's placeholders. `recipient` picks whom it goes to.
 */
export async function prepareDocumentMessage<R extends LinkRecipient & { name: string }>(
  deps: Pick<SendDocumentEmailDeps, 'prisma' | 'config'>,
  input: Omit<SendDocumentEmailInput, 'to' | 'attachPdf'>,
  recipient: (document: LoadedDocument, seller: Seller) => Promise<R>,
) {
  const { prisma, config } = deps;
  const document = await loadDocument(prisma, input);
  if (!document) throw new AppError('not_found', `No document ${input.documentId} for tenant ${input.tenantId}`);

  const seller = await loadSeller(prisma, document.tenantId);
  const chosen = await recipient(document, seller);
  const locale = pickLocale(document.customer.locale, document.tenant.locale);
  const colleague = input.forwardedFromLinkId ? await colleagueLinkTerms(prisma, document, input.forwardedFromLinkId) : undefined;
  const { link, url } = await createMessageAccessLink(
    prisma,
    {
      tenantId: document.tenantId,
      documentId: document.id,
      recipient: chosen,
      actions: colleague?.actions ?? (input.decider ? deciderLinkActions(document.kind, input.decider.role) : customerLinkActions(document.kind, document.digitalStatus)),
      documentVersion: document.version,
      ...(colleague ? { forwardedFromLinkId: colleague.forwardedFromLinkId, expiresAt: colleague.expiresAt } : {}),
      ...(input.decider ? { deciderId: input.decider.id } : {}),
    },
    config.publicUrl,
    { secret: config.appSecret, idempotencyKey: input.idempotencyKey },
  );
  const revisionValues = document.kind === 'proof' && input.revision !== undefined ? await revisionEmailValues(prisma, document.tenantId, document.id, input.revision) : undefined;
  const values: Record<string, string> = {
    customer: chosen.name,
    number: document.number,
    title: document.title ?? '',
    total: formatMoney(document.grossTotal, document.currency, locale),
    validity: document.validUntil ? EMAIL_WORDS[locale].validity(formatDate(document.validUntil, locale, readerTimeZone(document.customer.timeZone, seller.timeZone))) : '',
    seller: seller.identity.legalName,
    message: input.message ?? '',
    ...(colleague ? { forwarder: colleague.forwarder || document.customer.name } : {}),
    ...revisionValues?.(locale),
  };
  const template = pickTemplate(input.template, locale, document.tenant.settings?.templates);
  return { document, seller, recipient: chosen, locale, link, url, template, values };
}

/** `extras`: what this email adds, given its language and its portal link (a receipt hangs under it). */
export async function sendDocumentEmail(
  deps: SendDocumentEmailDeps,
  input: SendDocumentEmailInput,
  extras: (context: { locale: Locale; url: string }) => EmailExtras | Promise<EmailExtras> = () => ({}),
): Promise<{ messageId: string; linkId: string }> {
  const { prisma, mailer, config } = deps;
  const { document, seller, recipient, locale, link, url, template, values } = await prepareDocumentMessage(deps, input, (loaded) => resolveRecipient(prisma, loaded, input.to));
  const more = await extras({ locale, url });
  const email = renderEmail(template, { locale, link: url, brand: emailBrand(seller, config.publicUrl), values: { ...values, ...more.values } });
  const attachments: EmailAttachment[] = [
    ...(!input.attachPdf
      ? []
      : document.kind === 'proof'
        ? [await proofAttachment(deps, document, input.revision, locale)]
        : [
            {
              filename: pdfFilename(documentTitle(locale, document.kind), document.number),
              content: await renderQuotePdf(prisma, { tenantId: document.tenantId, documentId: document.id }),
              contentType: 'application/pdf',
            },
          ]),
    ...(more.attachments ?? []),
  ];

  const { id } = await mailer.send({
    from: sellerFromAddress(seller.identity.legalName, config.mailFrom),
    to: [recipient.email],
    // Answers go to the salesperson in charge, not to a no-reply address.
    ...(document.assignee?.email ? { replyTo: document.assignee.email } : {}),
    ...email,
    attachments,
    idempotencyKey: input.idempotencyKey,
  });
  return { messageId: id, linkId: link.id };
}
