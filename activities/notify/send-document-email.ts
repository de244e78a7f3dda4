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
import { pickLocale, type LinkAction, type Locale } from '../../domain/documents';
import { formatMoney } from '../../domain/money';
import { createMessageAccessLink, type LinkRecipient } from '../db/links';
import { formatDate } from '../locale-format';
import { documentTitle } from '../render/labels';
import { renderQuotePdf } from '../render/quote-pdf';
import type { SendDocumentEmailInput } from '../types';
import type { EmailAttachment, Mailer } from './mailer';
import { EMAIL_WORDS, pickTemplate, renderEmail } from './templates';

export interface SendDocumentEmailDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  config: Pick<Config, 'publicUrl' | 'mailFrom' | 'appSecret'>;
}

/** What a customer may do from the link, by kind of document. */
function linkActionsFor(kind: string): LinkAction[] {
  // The quote's workflow decides whether accepting needs a signature; the link allows both.
  if (kind === 'quote') return ['view', 'download', 'accept', 'sign', 'refuse', 'hold'];
  // Orders and delivery notes are accepted or refused online too (seed 002); only quotes get hold.
  if (kind === 'order' || kind === 'delivery_note') return ['view', 'download', 'accept', 'refuse'];
  return ['view', 'download'];
}

type Recipient = LinkRecipient & { email: string; name: string };

async function resolveRecipient(
  prisma: PrismaClient,
  document: { tenantId: string; customerId: string; customer: { name: string; email: string | null }; contact: { id: string; name: string; email: string | null } | null },
  to: SendDocumentEmailInput['to'],
): Promise<Recipient> {
  let chosen: LinkRecipient & { name: string };
  if (to && 'contactId' in to) {
    // Another contact of the same account, as the seller may pick; never someone else's.
    const contact = await prisma.contact.findFirst({ where: { id: to.contactId, tenantId: document.tenantId, customerId: document.customerId } });
    if (!contact) throw ApplicationFailure.nonRetryable(`Contact ${to.contactId} is not a contact of this customer`, 'RecipientNotFound');
    chosen = { contactId: contact.id, name: contact.name, ...(contact.email ? { email: contact.email } : {}) };
  } else if (to) {
    chosen = { email: to.email, name: to.name ?? document.customer.name };
  } else if (document.contact) {
    chosen = { contactId: document.contact.id, name: document.contact.name, ...(document.contact.email ? { email: document.contact.email } : {}) };
  } else {
    chosen = { name: document.customer.name, ...(document.customer.email ? { email: document.customer.email } : {}) };
  }
  if (!chosen.email) throw ApplicationFailure.nonRetryable(`${chosen.name} has no email address`, 'RecipientWithoutEmail');
  return { ...chosen, email: chosen.email };
}

/** "Devis-DEV-2026-0042.pdf", "Bon-de-commande-O-2026-0007.pdf": readable in a mail client, safe in any file system. */
function pdfFilename(locale: Locale, kind: string, number: string): string {
  return `${documentTitle(locale, kind)}-${number}`.replace(/[^\p{L}\p{N}._-]+/gu, '-') + '.pdf';
}

/** "Imprimerie Durand" <documents@…>: the seller's name on the platform's sending address. */
function fromAddress(sellerName: string, mailFrom: string): string {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `"${sellerName.replace(/["\\\r\n]/g, '')}" <${address}>`;
}

export async function sendDocumentEmail(deps: SendDocumentEmailDeps, input: SendDocumentEmailInput): Promise<{ messageId: string; linkId: string }> {
  const { prisma, mailer, config } = deps;
  const document = await prisma.document.findFirst({
    where: { id: input.documentId, tenantId: input.tenantId },
    include: { tenant: { include: { settings: true } }, customer: true, contact: true, assignee: true },
  });
  if (!document) throw new AppError('not_found', `No document ${input.documentId} for tenant ${input.tenantId}`);

  const recipient = await resolveRecipient(prisma, document, input.to);
  const locale = pickLocale(document.customer.locale, document.tenant.locale);
  const { link, url } = await createMessageAccessLink(
    prisma,
    { tenantId: document.tenantId, documentId: document.id, recipient, actions: linkActionsFor(document.kind), documentVersion: document.version },
    config.publicUrl,
    { secret: config.appSecret, idempotencyKey: input.idempotencyKey },
  );

  const email = renderEmail(pickTemplate(input.template, locale, document.tenant.settings?.templates), {
    locale,
    link: url,
    values: {
      customer: recipient.name,
      number: document.number,
      title: document.title ?? '',
      total: formatMoney(document.grossTotal, document.currency, locale),
      validity: document.validUntil ? EMAIL_WORDS[locale].validity(formatDate(document.validUntil, locale)) : '',
      seller: document.tenant.name,
      message: input.message ?? '',
    },
  });
  const attachments: EmailAttachment[] = input.attachPdf
    ? [
        {
          filename: pdfFilename(locale, document.kind, document.number),
          content: await renderQuotePdf(prisma, { tenantId: document.tenantId, documentId: document.id }),
          contentType: 'application/pdf',
        },
      ]
    : [];

  const { id } = await mailer.send({
    from: fromAddress(document.tenant.name, config.mailFrom),
    to: [recipient.email],
    // Answers go to the salesperson in charge, not to a no-reply address.
    ...(document.assignee?.email ? { replyTo: document.assignee.email } : {}),
    ...email,
    attachments,
    idempotencyKey: input.idempotencyKey,
  });
  return { messageId: id, linkId: link.id };
}
