/**
 * notifyAssignee: tells the salesperson in charge of a document that something happened
 * (viewed, downloaded, decided, ...), on the channels their preferences name for that
 * event — email, SMS, both or none (User.notify; an event it says nothing about gets its
 * default, domain/documents.ts DEFAULT_NOTIFY_CHANNELS). A document without assignee is the
 * tenant's notification address's (settings.notifyEmail), by email on the default events:
 * someone hears of every answer. Answers how many messages went out.
 *
 * Times are written in the seller's time zone (the tenant's timeZone), and the email comes
 * from the seller as the customers' emails do: its name on the sending address, its logo and
 * colour (activities/notify/send-document-email.ts).
 *
 * Idempotent: each channel's message carries input.idempotencyKey plus the channel, so a
 * retry after the email went out but the SMS failed sends only the SMS.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { Config } from '../../platform/config';
import { NOTIFY_EVENTS, notifyChannelsFor, pickLocale, type Locale, type NotifyChannel, type NotifyPreferences } from '../../domain/documents';
import { formatMoney } from '../../domain/money';
import { normalisePhone, phoneRegion } from '../../domain/phone';
import { formatDateTime } from '../../services/locale-format';
import { documentTitle } from '../../services/render/labels';
import type { NotifyAssigneeInput } from '../types';
import type { Mailer } from '../../services/notify/mailer';
import type { SmsSender } from '../../services/notify/sms';
import { assigneeTemplateName, DECISION_WORDS, DEPOSIT_ON_CLOSED_QUOTE_WORDS, EMAIL_WORDS, pickTemplate, renderEmail, renderSms, type ClosedQuoteStatus } from '../../services/notify/templates';
import { depositAmountOf, type DepositColumns } from '../../domain/deposit';
import { lastPaymentAttempt } from '../../services/db/payments';
import { loadSeller } from '../../services/seller/identity';
import { emailBrand, sellerFromAddress } from './send-document-email';

export interface NotifyAssigneeDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  /** Absent where no SMS sender is configured: SMS preferences are then not served. */
  sms?: SmsSender;
  config: Pick<Config, 'mailFrom' | 'publicUrl'>;
}

const CHANNELS: readonly NotifyChannel[] = ['email', 'sms'];

/** The kinds with no PDF title of their own (documentTitle), as a notice names them: "BAT", "Demande". */
const UNTITLED_KIND_NAMES: Record<Locale, Record<'proof' | 'request', string>> = {
  fr: { proof: 'BAT', request: 'Demande' },
  en: { proof: 'Proof', request: 'Request' },
  sv: { proof: 'Korrektur', request: 'Förfrågan' },
};

function kindName(locale: Locale, kind: string): string {
  return kind === 'proof' || kind === 'request' ? UNTITLED_KIND_NAMES[locale][kind] : documentTitle(locale, kind);
}

/** User.notify is JSON written by the API; read it defensively, keeping only what we know. */
function readNotifyPreferences(json: unknown): NotifyPreferences {
  const preferences: NotifyPreferences = {};
  if (typeof json !== 'object' || json === null) return preferences;
  for (const event of NOTIFY_EVENTS) {
    const channels = (json as Record<string, unknown>)[event];
    if (Array.isArray(channels)) preferences[event] = CHANNELS.filter((channel) => channels.includes(channel));
  }
  return preferences;
}

function isDecision(what: string): what is keyof (typeof DECISION_WORDS)['en'] {
  return Object.hasOwn(DECISION_WORDS.en, what);
}

function detailText(detail: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = detail?.[key];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

interface NoticeRecipient {
  email: string | null;
  phone: string | null;
  preferences: NotifyPreferences;
}

/** The assignee with their preferences; else the tenant's notification address, with the defaults; else nobody. */
function whomToNotify(assignee: { email: string; phone: string | null; notify: unknown } | null, notifyEmail: string | null | undefined): NoticeRecipient | undefined {
  if (assignee) return { email: assignee.email, phone: assignee.phone, preferences: readNotifyPreferences(assignee.notify) };
  return notifyEmail ? { email: notifyEmail, phone: null, preferences: {} } : undefined;
}

const CLOSED_QUOTE_STATUSES: readonly string[] = ['refused', 'cancelled', 'expired'] satisfies ClosedQuoteStatus[];

/**
 * What a deposit's notice says beyond any notice: the deposit its last page asked (the one just
 * paid or refused; the quote's own figure when none was opened), and whether the quote was
 * already over when the money came (a late payment, recorded without accepting it).
 */
async function depositValues(
  prisma: PrismaClient,
  document: { id: string; status: string; currency: string; grossTotal: number } & DepositColumns,
  locale: Locale,
): Promise<{ deposit: string; closedQuote: string }> {
  const page = await lastPaymentAttempt(prisma, document.id);
  const amount = page?.amount ?? depositAmountOf(document, document.grossTotal);
  return {
    deposit: formatMoney(amount, document.currency, locale),
    closedQuote: CLOSED_QUOTE_STATUSES.includes(document.status) ? DEPOSIT_ON_CLOSED_QUOTE_WORDS[locale](document.status as ClosedQuoteStatus) : '',
  };
}

export async function notifyAssignee(deps: NotifyAssigneeDeps, input: NotifyAssigneeInput): Promise<{ sent: number }> {
  const document = await deps.prisma.document.findFirst({
    where: { id: input.documentId, tenantId: input.tenantId },
    include: { tenant: { include: { settings: true } }, customer: true, contact: true, assignee: true },
  });
  if (!document) return { sent: 0 };
  const recipient = whomToNotify(document.assignee, document.tenant.settings?.notifyEmail);
  if (!recipient) return { sent: 0 };
  const { event } = input;
  const channels = notifyChannelsFor(recipient.preferences, event);
  if (channels.length === 0) return { sent: 0 };

  // The salesperson reads in the tenant's language and time zone; the customer's may differ.
  const locale = pickLocale(document.tenant.locale);
  const seller = await loadSeller(deps.prisma, document.tenantId);
  const reason = detailText(input.detail, 'reason');
  const template = pickTemplate(assigneeTemplateName(document.kind, event, input.what), locale, document.tenant.settings?.templates);
  const values = {
    kind: kindName(locale, document.kind),
    number: document.number,
    customer: detailText(input.detail, 'actorName') ?? document.contact?.name ?? document.customer.name,
    total: formatMoney(document.grossTotal, document.currency, locale),
    at: formatDateTime(new Date(input.at), locale, seller.timeZone),
    decision: isDecision(input.what) ? DECISION_WORDS[locale][input.what] : input.what,
    reason: reason ? EMAIL_WORDS[locale].reason(reason) : '',
    ...(input.what === 'deposit_paid' || input.what === 'deposit_failed' ? await depositValues(deps.prisma, document, locale) : {}),
  };

  let sent = 0;
  if (channels.includes('email') && recipient.email) {
    const email = renderEmail(template, { locale, values, brand: emailBrand(seller, deps.config.publicUrl) });
    await deps.mailer.send({ from: sellerFromAddress(seller.identity.legalName, deps.config.mailFrom), to: [recipient.email], ...email, idempotencyKey: `${input.idempotencyKey}:email` });
    sent += 1;
  }
  // Stored in E.164 since users' phones are checked; one stored before, read in the seller's country.
  const mobile = recipient.phone ? normalisePhone(recipient.phone, phoneRegion(seller.identity.phone)) : undefined;
  if (channels.includes('sms') && mobile && deps.sms) {
    await deps.sms.send({ to: mobile, body: renderSms(template, values), idempotencyKey: `${input.idempotencyKey}:sms` });
    sent += 1;
  }
  return { sent };
}
