/**
 * The back office moving a document along: send (starts its workflow: a quote's, or the
 * acceptance workflow of an order or a delivery note), remind, cancel, and the seller's PDF
 * preview. Decisions go through the document's workflow (api/operations/quote-workflow.ts); a
 * draft that never left gets one for its cancel.
 */
import { randomUUID } from 'node:crypto';
import { isAcceptanceKind, type AcceptanceKind } from '../../domain/acceptance';
import { kindName } from '../../domain/chain';
import type { DocumentKind } from '../../domain/documents';
import { withArticle } from '../../domain/summaries';
import type { DocumentStatus } from '../../domain/document-statuses';
import { durationToMs } from '../../domain/durations';
import { isProofType } from '../../domain/proof-types';
import { readerTimeZone } from '../../domain/seller';
import { dialablePhone, phoneRegion } from '../../domain/phone';
import { Prisma, type TenantSettings } from '../../generated/prisma/client';
import { storedIdentity } from '../../services/seller/identity';
import { defaultValidUntil } from '../../domain/validity';
import { renderQuotePdf } from '../../services/render/quote-pdf';
import { documentWorkflowId, type DecisionInput, type SendInstructions } from '../../workflows/messages/document';
import type { QuoteWorkflowInput } from '../../workflows/messages/quote';
import type { RevisionReadyInput } from '../../workflows/messages/proof';
import type { AppDeps } from '../app';
import { sellerActor, type TenantCaller } from '../auth';
import { AppError } from '../../domain/errors';
import type { AnswerChannel, OfflineAnswer } from '../../domain/offline';
import {
  cancelDraft,
  decideDocument,
  recordAnswer as recordWorkflowAnswer,
  type DocumentView,
  startAcceptanceWorkflow,
  startInvoiceWorkflow,
  startProofWorkflow,
  markProofInProduction,
  reopenQuote,
  startQuoteWorkflow,
} from './quote-workflow';
import { recordFact, sellerFact } from './facts';
import { depositPolicyOf, type DepositColumns } from '../../domain/deposit';
import { invoiceWorkflowInput } from '../../services/invoice-terms';
import { readProofOriginal } from './proof-files';
import { getSettings } from './settings';
import { validUntilOf } from './documents';
import { prepareExternalSignature, signatureProviderFor, type SignatureRequest } from './signatures';
import { informsContact, resolveDeciders, type DecidersRequest } from './deciders';
import { portalPart, type DeciderPlan } from '../../domain/deciders';

export interface SendDocumentInput extends SignatureRequest, DecidersRequest {
  to?: { contactId: string } | { email: string; name?: string } | { phone: string; name?: string };
  channel?: 'email' | 'sms';
  message?: string;
  attachPdf?: boolean;
  /** Only a signature accepts the quote; the tenant setting when absent. */
  requireSignature?: boolean;
}

/** What send, remind and cancel answer: the document's state as its workflow (or the read model) knows it. */
export interface DocumentState {
  status: DocumentStatus;
  remindersSent?: number;
  nextReminderAt?: string;
  validUntil?: string;
}

function isoFromEpoch(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

function stateOf(view: { status: DocumentStatus; remindersSent: number; nextReminderAt?: number; validUntil?: number }): DocumentState {
  const nextReminderAt = isoFromEpoch(view.nextReminderAt);
  const validUntil = isoFromEpoch(view.validUntil);
  return {
    status: view.status,
    remindersSent: view.remindersSent,
    ...(nextReminderAt ? { nextReminderAt } : {}),
    ...(validUntil ? { validUntil } : {}),
  };
}

/** The kinds the back office sends: each has a workflow of its own. */
type SendableKind = 'quote' | AcceptanceKind | 'proof' | 'invoice';

async function findDocument(deps: AppDeps, caller: TenantCaller, documentId: string) {
  const document = await deps.prisma.document.findFirst({
    where: { id: documentId, tenantId: caller.tenantId },
    include: { contact: { select: { email: true, phone: true } }, customer: { select: { termsVersion: true, name: true, timeZone: true, phone: true, email: true } }, _count: { select: { lines: true } } },
  });
  if (!document) throw new AppError('not_found', `No document ${documentId}.`);
  return document;
}

/** A document this release sends: a quote, an order, a delivery note or a proof. */
async function findSendable(deps: AppDeps, caller: TenantCaller, documentId: string) {
  const document = await findDocument(deps, caller, documentId);
  const kind = document.kind;
  if (kind !== 'quote' && kind !== 'proof' && kind !== 'invoice' && !isAcceptanceKind(kind)) {
    throw new AppError('unprocessable', `This release sends quotes, orders, delivery notes, invoices and proofs; ${document.number} is ${withArticle(kind as DocumentKind)}.`);
  }
  return { ...document, kind: kind as SendableKind };
}

type Sendable = Awaited<ReturnType<typeof findSendable>>;

/**
 * The revision a proof is sent with: its latest ready one. None yet is refused, unless the
 * send waits for the revision being rendered (upload with ?send=true): the render reports it.
 */
async function revisionToSend(deps: AppDeps, document: Sendable, awaitingRender: boolean): Promise<RevisionReadyInput | undefined> {
  if (awaitingRender) return undefined;
  const ready = await deps.prisma.revision.findFirst({
    where: { documentId: document.id, status: 'ready' },
    orderBy: { number: 'desc' },
    select: { number: true, _count: { select: { pages: true } } },
  });
  if (!ready) {
    throw new AppError(
      'unprocessable',
      `Proof ${document.number} has no rendered revision to send yet; send it once its revision is ready, or upload with ?send=true.`,
      [{ path: 'revisions', message: 'no ready revision' }],
    );
  }
  return { revision: ready.number, pageCount: ready._count.pages };
}

export interface SendOptions {
  /** A proof's revision is rendering: the proof is sent with it when the render reports it ready. */
  awaitingRender?: boolean;
}

type PortalRecipient = { contactId: string } | { email: string; name?: string };

/** The recipient must be reachable by email and belong to the quote's customer. */
async function checkRecipient(
  deps: AppDeps,
  caller: TenantCaller,
  quote: Sendable,
  to: PortalRecipient | undefined,
): Promise<void> {
  if (to && 'email' in to) return;
  const contactId = to?.contactId ?? quote.contactId;
  if (!contactId) {
    throw new AppError('unprocessable', `The ${kindName(quote.kind)} has no contact; name one in "to".`, [{ path: 'to', message: 'required when the document has no contact' }]);
  }
  const contact = to
    ? await deps.prisma.contact.findFirst({ where: { id: contactId, tenantId: caller.tenantId, customerId: quote.customerId } })
    : quote.contact;
  if (!contact) throw new AppError('unprocessable', `No contact ${contactId} for this customer.`, [{ path: 'to.contactId', message: 'unknown contact' }]);
  if (!contact.email) {
    throw new AppError('unprocessable', 'The contact has no email address.', [{ path: to ? 'to.contactId' : 'contactId', message: 'no email address' }]);
  }
}

/** Sent for signature through an external provider: asked in the request, or the tenant's setting for quotes. */
function isExternallySigned(kind: SendableKind, input: SendDocumentInput, settings: { signatureProvider: string }): boolean {
  const external = kind === 'quote' ? signatureProviderFor(input, settings) !== 'builtin' : input.signature?.provider === 'getaccept' || input.purpose !== undefined;
  if (external && kind !== 'quote' && kind !== 'order') {
    throw new AppError('unprocessable', `Only quotes and orders are signed digitally; this is ${withArticle(kind)}.`, [{ path: 'signature', message: 'quotes and orders only' }]);
  }
  return external;
}

/** The channel of a send: as asked, else SMS to a number given, else email. */
function sendChannel(input: SendDocumentInput): 'email' | 'sms' {
  return input.channel ?? (input.to && 'phone' in input.to ? 'sms' : 'email');
}

/**
 * Checks a send by SMS before anything is claimed, and answers whom it goes to: a number given
 * (normalised to E.164, read in the customer's or the seller's country when written without
 * one), or the contact named (else the document's contact, else its customer) with a mobile
 * that can be dialled. An SMS carries the portal link, never a PDF.
 */
async function smsRecipient(deps: AppDeps, caller: TenantCaller, document: Sendable, input: SendDocumentInput, settings: TenantSettings): Promise<SendInstructions['to']> {
  if (!deps.config.twilio.accountSid) throw new AppError('unavailable', 'Sending by SMS is not configured: set TWILIO_ACCOUNT_SID.');
  if (input.attachPdf) throw new AppError('unprocessable', 'An SMS carries the portal link, not the PDF.', [{ path: 'attachPdf', message: 'email only' }]);
  if (document.kind === 'proof' && document.proofType === 'email') {
    throw new AppError('unprocessable', 'A proof of type email goes by email, with its PDF.', [{ path: 'channel', message: 'email for this proof type' }]);
  }
  const region = phoneRegion(document.customer.phone, storedIdentity(settings.seller)?.phone);
  const { to } = input;
  if (to && 'email' in to) throw new AppError('unprocessable', 'An SMS goes to a phone number or a contact, not an email address.', [{ path: 'to', message: 'a phone number or a contact' }]);
  if (to && 'phone' in to) return { phone: dialablePhone(to.phone, region, 'to.phone'), ...(to.name ? { name: to.name } : {}) };
  const contactId = to?.contactId ?? document.contactId;
  const contact = contactId ? await deps.prisma.contact.findFirst({ where: { id: contactId, tenantId: caller.tenantId, customerId: document.customerId } }) : undefined;
  if (contactId && !contact) throw new AppError('unprocessable', `No contact ${contactId} for this customer.`, [{ path: 'to.contactId', message: 'unknown contact' }]);
  const path = to ? 'to.contactId' : contact ? 'contactId' : 'to';
  const phone = contact ? contact.phone : document.customer.phone;
  if (!phone) throw new AppError('unprocessable', `${contact ? 'The contact' : 'The customer'} has no phone number; name one in "to".`, [{ path, message: 'no phone number' }]);
  dialablePhone(phone, region, path);
  return to;
}

/**
 * Starts the document's workflow. The read model is claimed first (workflowId set while still
 * a draft, with the send's decision id), so two sends at once cannot both start one; Temporal's
 * workflow id is the second lock. A second send is refused: a reminder is the way to send again.
 *
 * A retry of the send that claimed the document (the same decision id: its Idempotency-Key, or
 * the same request moments later, api/decision-id.ts) is that send, not a second one: once the
 * document is out it is answered as the first attempt was; before, it goes on where the first
 * attempt stopped — an API killed between the claim and the start, or a start whose answer
 * was lost — and finds its workflow started or starts it.
 */
export async function sendDocument(
  deps: AppDeps,
  caller: TenantCaller,
  documentId: string,
  input: SendDocumentInput,
  decisionId: string,
  options: SendOptions = {},
  now = new Date(),
): Promise<DocumentState> {
  const document = await findSendable(deps, caller, documentId);
  const name = kindName(document.kind);
  const retried = document.sendDecisionId === decisionId;
  if (retried && document.sentAt) return sentState(document.validUntil);
  if (document.status !== 'draft' || (document.workflowId && !retried)) {
    throw new AppError('conflict', `The ${name} is already ${document.status === 'draft' ? 'being sent' : document.status}; POST /v1/documents/${documentId}/remind sends it again.`);
  }
  // A proof's content is its revisions, not lines.
  const readyRevision = document.kind === 'proof' ? await revisionToSend(deps, document, options.awaitingRender ?? false) : undefined;
  if (document.kind !== 'proof' && document._count.lines === 0) throw new AppError('unprocessable', `A ${name} needs at least one line before it is sent.`, [{ path: 'lines', message: 'empty' }]);
  if (document.kind !== 'quote' && input.requireSignature) {
    throw new AppError('unprocessable', 'Only quotes are signed; send this document without requireSignature.', [{ path: 'requireSignature', message: 'quotes only' }]);
  }
  const settings = await getSettings(deps.prisma, caller.tenantId);
  // Signed through an external provider (seed 003): its own checks of the signer and channel.
  const external = isExternallySigned(document.kind, input, settings);
  // Without it, the portal's link goes by email to a contact or an address, or by SMS to a number or a contact's mobile.
  const channel = external ? 'email' : sendChannel(input);
  if (channel === 'email' && !external && input.to && 'phone' in input.to) {
    throw new AppError('unprocessable', 'A phone number is reached by SMS: send with channel "sms".', [{ path: 'to.phone', message: 'SMS only' }]);
  }
  // Several deciders are invited each by their own email, instead of the document's recipient;
  // through GetAccept, its recipients sign in their order, once the approvers and reviewers
  // before them (if any) agreed on the portal: the quote's workflow asks those, then starts the signing.
  const named = await resolveDeciders(deps, caller, document, input, external);
  const deciders = named && external ? portalPart(named) : named;
  // With deciders, the approvers' yes that meets the round leads to the deposit's page (accept_when_paid), or
  // the round met accepts the quote, the deposit then due (accept_then_pay). A signature accepts as it is
  // given, so signers do not wait for the money: with them, the deposit is due after (accept_then_pay).
  const signers = named?.deciders.findIndex((decider) => decider.role === 'signer') ?? -1;
  if (signers >= 0 && document.kind === 'quote' && depositPolicyOf(document) === 'accept_when_paid') {
    throw new AppError(
      'unprocessable',
      'Signers accept the quote by signing, before any deposit: set depositPolicy "accept_then_pay" (the deposit due once they signed), or name approvers.',
      [{ path: `deciders.${signers}.role`, message: 'no signer with a deposit paid before acceptance (accept_when_paid)' }],
    );
  }
  const smsTo = channel === 'sms' ? await smsRecipient(deps, caller, document, input, settings) : undefined;
  if (!external && channel === 'email' && !deciders) await checkRecipient(deps, caller, document, input.to as PortalRecipient | undefined);

  const workflowId = documentWorkflowId(document.kind, documentId);
  // A quote is offered until a date and may need a signature; an order or a delivery note neither.
  // The settings' default runs to the end of its last day where the customer reads it, as a day the seller gives does.
  const validUntil =
    document.kind === 'quote'
      ? (document.validUntil ?? new Date(defaultValidUntil(now.getTime(), durationToMs(settings.quoteValidity), readerTimeZone(document.customer.timeZone, settings.timeZone))))
      : undefined;
  // The external provider's signature accepts the quote through its own workflow: no portal signature on top.
  // Several deciders: signed exactly when the seller named signers among them.
  const requireSignature =
    document.kind === 'quote' && !external ? (deciders ? deciders.deciders.some((decider) => decider.role === 'signer') : (input.requireSignature ?? settings.requireSignature)) : false;
  const claimed = await deps.prisma.document.updateMany({
    where: { id: documentId, tenantId: caller.tenantId, status: 'draft', ...(retried ? { sendDecisionId: decisionId } : { workflowId: null }) },
    // The deciders named (GetAccept's signers too, after the portal's steps), for the portal's "where the decision stands"; a send without them clears an earlier failed send's.
    data: { workflowId, sendDecisionId: decisionId, ...(validUntil ? { validUntil, requireSignature } : {}), deciders: deciders ? (named as unknown as Prisma.InputJsonValue) : Prisma.DbNull },
  });
  if (claimed.count === 0) throw new AppError('conflict', `The ${name} is already being sent.`);

  const recipient = channel === 'sms' ? smsTo : input.to && !('phone' in input.to) ? input.to : undefined;
  const send: SendInstructions = {
    channel,
    attachPdf: input.attachPdf ?? false,
    ...(recipient ? { to: recipient } : {}),
    ...(input.message ? { message: input.message } : {}),
  };
  const story = storyInput(caller, document, send);
  try {
    const signature = external ? await prepareExternalSignature(deps, caller, document, input, settings, named?.deciders.filter((decider) => decider.role === 'signer')) : undefined;
    if (document.kind === 'quote') {
      await startQuoteWorkflow(deps.temporal, deps.config.taskQueue, quoteInput(story, settings, document, { validUntil: validUntil as Date, requireSignature, ...(signature ? { signature } : {}), ...(deciders ? { deciders } : {}) }));
    } else if (document.kind === 'proof') {
      await startProofWorkflow(deps.temporal, deps.config.taskQueue, {
        ...story,
        ...(settings.termsVersion ? { termsVersion: settings.termsVersion } : {}),
        ...(document.customer.termsVersion ? { termsAcceptedVersion: document.customer.termsVersion } : {}),
        ...(readyRevision ? { readyRevision } : {}),
        // Resolved when the proof was created (documents.ts); older proofs have none: online.
        ...(isProofType(document.proofType) ? { proofType: document.proofType } : {}),
        ...withdrawalTerms(settings.withdrawalWindow, { movesOnAtOnce: false, neverAnswered: false, decidedTogether: deciders !== undefined }),
        ...(deciders ? { deciders, informContact: informsContact(deciders, document) } : {}),
      });
    } else if (document.kind === 'invoice') {
      // Payments it already has (a quote's deposit, carried over when it was made) count from the start.
      const received = await deps.prisma.payment.findMany({ where: { documentId, status: 'succeeded' }, select: { id: true, amount: true } });
      await startInvoiceWorkflow(deps.temporal, deps.config.taskQueue, invoiceWorkflowInput(story, { ...document, received }, settings));
    } else {
      await startAcceptanceWorkflow(deps.temporal, deps.config.taskQueue, { ...story, kind: document.kind, ...(signature ? { signature } : {}) });
    }
  } catch (error) {
    // Not started: give the draft back so a retry can send it. Already started: it is sent —
    // by this very send when this is its retry (the claim is this decision's).
    const started = error instanceof AppError && error.code === 'already_started';
    if (!started) await deps.prisma.document.updateMany({ where: { id: documentId, workflowId }, data: { workflowId: null, sendDecisionId: null } });
    if (!(started && retried)) throw error;
  }
  // The workflow now owns the document; the read model says "sent" as soon as its email is out.
  return sentState(validUntil);
}

/** What a send answers, and its retries again: sent, and a quote's validity. */
function sentState(validUntil: Date | null | undefined): DocumentState {
  return { status: 'sent', ...(validUntil ? { validUntil: validUntil.toISOString() } : {}) };
}

/** What every document's workflow starts with: whose it is, how it is sent, by whom. */
function storyInput(caller: TenantCaller, document: Sendable, send: SendInstructions) {
  return {
    tenantId: caller.tenantId,
    documentId: document.id,
    customerId: document.customerId,
    number: document.number,
    ...(document.title ? { title: document.title } : {}),
    // For operators (domain/summaries.ts): a proof has no amount of its own.
    customerName: document.customer.name,
    ...(document.kind === 'proof' ? {} : { grossTotal: document.grossTotal, currency: document.currency }),
    send,
    sentBy: sellerActor(caller),
  };
}

type Settings = Awaited<ReturnType<typeof getSettings>>;

/** A quote's workflow input: the story, with the tenant's terms of reminders, conversion and withdrawal, the quote's deposit, and its deciders (its contact told their decision when none of them). */
function quoteInput(
  story: ReturnType<typeof storyInput>,
  settings: Settings,
  quote: DepositColumns & Parameters<typeof informsContact>[1],
  terms: { validUntil: Date; requireSignature: boolean; signature?: QuoteWorkflowInput['signature']; deciders?: QuoteWorkflowInput['deciders'] },
): QuoteWorkflowInput {
  const { signature, deciders } = terms;
  const depositPolicy = depositPolicyOf(quote);
  return {
    ...story,
    validUntil: terms.validUntil.getTime(),
    reminderAfterMs: durationToMs(settings.reminderAfter),
    // The provider reminds the signer itself; approvers on the portal before its signers are reminded by us until the signing starts.
    maxReminders: signature && !deciders ? 0 : settings.maxReminders,
    requireSignature: terms.requireSignature,
    ...(settings.autoConvertToOrder ? { autoConvertToOrder: true } : {}),
    ...(signature ? { signature } : {}),
    ...(deciders ? { deciders, informContact: informsContact(deciders, quote) } : {}),
    ...(depositPolicy ? { deposit: { policy: depositPolicy } } : {}),
    ...withdrawalTerms(settings.withdrawalWindow, { movesOnAtOnce: settings.autoConvertToOrder, neverAnswered: Boolean(signature), decidedTogether: deciders !== undefined }),
  };
}

/**
 * How long a portal acceptance may be withdrawn (settings.withdrawalWindow): for that long, and
 * in any case until the seller converts the quote; without a window, until then. An automatic
 * conversion is the quote moving on at once, so without a window it leaves none; with one, it
 * happens when the window ends. A quote signed at an external provider is never accepted on the
 * portal. A proof's approval is withdrawn until the seller marks it in production, on the same terms.
 * A decision several people took together is not taken back by one of them.
 */
function withdrawalTerms(
  withdrawalWindow: string | null,
  { movesOnAtOnce, neverAnswered, decidedTogether }: { movesOnAtOnce: boolean; neverAnswered: boolean; decidedTogether: boolean },
): Pick<QuoteWorkflowInput, 'withdrawal'> {
  if (neverAnswered || decidedTogether) return {};
  if (withdrawalWindow === null) return movesOnAtOnce ? {} : { withdrawal: {} };
  return { withdrawal: { windowMs: durationToMs(withdrawalWindow) } };
}

/** The quote statuses a seller takes up again instead of duplicating the quote. */
const REOPENABLE: readonly string[] = ['refused', 'expired'];

/**
 * The seller takes a refused or expired quote up again (POST /v1/documents/:id/reopen): its
 * workflow is over, so a new run starts under the same id, one version later (REOPEN: written,
 * recorded `reopened`, emailed with the new link, as a revision is), valid until `validUntil`
 * (else the settings' quoteValidity from now). Its writes are numbered after the earlier runs'.
 * 409 for any other status, a quote signed at an external provider (duplicate it), or a run
 * already under way (a reopen taken a moment ago).
 */
export async function reopenDocument(deps: AppDeps, caller: TenantCaller, documentId: string, input: { validUntil?: string }, now = new Date()): Promise<DocumentState> {
  const document = await findSendable(deps, caller, documentId);
  if (document.kind !== 'quote') throw new AppError('decision_rejected', `Only quotes are reopened; ${document.number} is ${withArticle(document.kind)}.`);
  if (!REOPENABLE.includes(document.status) || !document.workflowId) {
    throw new AppError('decision_rejected', `Only a refused or expired quote is reopened; this one is ${document.status.replace('_', ' ')}.`);
  }
  if (await deps.prisma.externalSignature.findUnique({ where: { documentId }, select: { provider: true } })) {
    throw new AppError('decision_rejected', 'A quote signed through an external provider is not reopened; duplicate it instead.');
  }
  const settings = await getSettings(deps.prisma, caller.tenantId);
  const validUntil = input.validUntil
    ? await validUntilOf(deps.prisma, caller.tenantId, document.customerId, input.validUntil)
    : new Date(defaultValidUntil(now.getTime(), durationToMs(settings.quoteValidity), readerTimeZone(document.customer.timeZone, settings.timeZone)));
  if (validUntil.getTime() <= now.getTime()) throw new AppError('unprocessable', 'A reopened quote must be valid after now.', [{ path: 'validUntil', message: 'in the past' }]);
  const story = storyInput(caller, document, { channel: 'email', attachPdf: false });
  await reopenQuote(deps.temporal, deps.config.taskQueue, {
    ...quoteInput(story, settings, document, { validUntil, requireSignature: document.requireSignature }),
    reopen: { version: document.version },
    writtenBefore: await lastWriteOf(deps, document.workflowId),
  });
  return { status: 'sent', validUntil: validUntil.toISOString() };
}

/** The number of the last write of a document's workflow, over all its runs (the audit rows' keys "<workflowId>#<seq>"). */
async function lastWriteOf(deps: AppDeps, workflowId: string): Promise<number> {
  const prefix = `${workflowId}#`;
  const rows = await deps.prisma.auditEvent.findMany({ where: { dedupeKey: { startsWith: prefix } }, select: { dedupeKey: true } });
  return rows.reduce((last, row) => Math.max(last, Number.parseInt(row.dedupeKey.slice(prefix.length), 10) || 0), 0);
}

/** The seller marks an approved proof in production (POST /v1/documents/:id/production): its approval can no longer be withdrawn. */
export async function markInProduction(deps: AppDeps, caller: TenantCaller, documentId: string, decisionId: string): Promise<DocumentState> {
  const document = await findSendable(deps, caller, documentId);
  if (document.kind !== 'proof') throw new AppError('decision_rejected', `Only proofs go into production; ${document.number} is ${withArticle(document.kind)}.`);
  return stateOf(await markProofInProduction(deps.temporal, documentId, decisionId, { actor: sellerActor(caller) }));
}

export async function remindDocument(deps: AppDeps, caller: TenantCaller, documentId: string, decisionId: string): Promise<DocumentState> {
  const document = await findSendable(deps, caller, documentId);
  if (!document.workflowId) throw new AppError('decision_rejected', `The ${kindName(document.kind)} has not been sent yet; send it first.`);
  // Out for signature at an external provider, the provider reminds the signer: only while the signer has something to sign.
  // Approvers on the portal before its signers are ours to remind, until the signing starts there.
  const external = await deps.prisma.externalSignature.findUnique({ where: { documentId }, select: { provider: true, providerDocumentId: true } });
  const approversFirst = external?.providerDocumentId === null && document.deciders !== null && portalPart(document.deciders as unknown as DeciderPlan) !== undefined;
  if (external && !approversFirst && document.digitalStatus !== 'sent' && document.digitalStatus !== 'viewed') {
    throw new AppError('decision_rejected', `The digital signing is ${document.digitalStatus ?? 'draft'}: there is no signer to remind at ${external.provider}.`);
  }
  const view = await decideDocument(deps.temporal, document, 'remind', decisionId, { actor: sellerActor(caller) });
  return stateOf(view);
}

export async function cancelDocument(
  deps: AppDeps,
  caller: TenantCaller,
  documentId: string,
  input: { reason?: string },
  decisionId: string,
): Promise<DocumentState> {
  const document = await findSendable(deps, caller, documentId);
  const decision = { actor: sellerActor(caller), ...(input.reason ? { reason: input.reason } : {}) };
  let view: DocumentView;
  if (document.status === 'draft') {
    view = await cancelDraftDocument(deps, caller, document, decision, decisionId);
  } else if (document.workflowId) {
    // One decision: the workflow cancels the document and withdraws its signing, if one is out.
    view = await decideDocument(deps.temporal, document, 'cancel', decisionId, decision);
  } else {
    // Cancelled in the read model alone, before drafts had workflows.
    throw new AppError('decision_rejected', `The ${kindName(document.kind)} is already ${document.status}.`);
  }
  // A document never sent answers its status alone (also to a retry): it had no reminders nor validity.
  return document.sentAt ? stateOf(view) : { status: view.status };
}

export interface RecordAnswerRequest {
  answer: OfflineAnswer;
  channel: AnswerChannel;
  by?: string;
  at?: string;
  options?: string[];
  reason?: string;
}

/**
 * The customer answered off line (seed 003: by phone, at the counter): the seller records it and
 * the document's workflow (a quote's, an order's, a delivery note's) takes it as the customer's
 * decision, cancelling an open signing first; an accepted quote converts as any accepted quote.
 * The options named must be the quote's optional lines.
 */
export async function recordAnswer(deps: AppDeps, caller: TenantCaller, documentId: string, input: RecordAnswerRequest, decisionId: string): Promise<DocumentState> {
  const document = await findDocument(deps, caller, documentId);
  const kind = document.kind as DocumentKind;
  if (kind !== 'quote' && !isAcceptanceKind(kind)) {
    throw new AppError('decision_rejected', `Only a quote, an order or a delivery note is answered by the customer; ${document.number} is ${withArticle(kind)}.`);
  }
  if (!document.workflowId) throw new AppError('decision_rejected', `The ${kindName(kind)} has not been sent yet`);
  if (input.options?.length) {
    if (input.answer !== 'accepted') throw new AppError('unprocessable', 'Options are chosen with an acceptance.', [{ path: 'options', message: 'only when accepted' }]);
    const optional = await deps.prisma.documentLine.findMany({ where: { documentId, optional: true, id: { in: input.options } }, select: { id: true } });
    const unknown = input.options.filter((option) => !optional.some((line) => line.id === option));
    if (unknown.length) throw new AppError('unprocessable', `Not optional lines of this ${kindName(kind)}: ${unknown.join(', ')}.`, [{ path: 'options', message: 'unknown optional line' }]);
  }
  const view = await recordWorkflowAnswer(deps.temporal, { id: documentId, kind }, decisionId, {
    actor: sellerActor(caller),
    answer: input.answer,
    channel: input.channel,
    ...(input.by ? { by: input.by } : {}),
    ...(input.at ? { answeredAt: Date.parse(input.at) } : {}),
    ...(input.options?.length ? { options: input.options } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
  });
  return stateOf(view);
}

/**
 * A draft never sent is cancelled by its own workflow, started for that decision (README:
 * "A draft's cancel"). Claimed first as a send claims it, so a send at the same time starts
 * nothing under it; given back when Temporal could not be reached, so the draft can still go.
 */
async function cancelDraftDocument(deps: AppDeps, caller: TenantCaller, document: Sendable, decision: DecisionInput, decisionId: string) {
  const workflowId = documentWorkflowId(document.kind, document.id);
  const claimed = document.workflowId
    ? 0
    : (await deps.prisma.document.updateMany({ where: { id: document.id, tenantId: caller.tenantId, status: 'draft', workflowId: null }, data: { workflowId } })).count;
  try {
    return await cancelDraft(deps.temporal, deps.config.taskQueue, document, decisionId, decision);
  } catch (error) {
    // A refusal or a known answer came from Temporal, about a workflow that is there.
    if (claimed && !(error instanceof AppError)) await deps.prisma.document.updateMany({ where: { id: document.id, workflowId, status: 'draft' }, data: { workflowId: null } });
    throw error;
  }
}

/**
 * The seller's own look at the PDF: a proof's is its newest revision's original. It is kept in
 * the trail as a download by the seller with `counted: false`: downloadCount and viewCount
 * report what the customer did, never previews. Each look is a fact of its own (a GET, not a
 * decision: the same seller looking twice looked twice, and nothing in the request tells a
 * retry from a second look), so its dedupe key is new on every request, drawn once here and
 * kept by its fact workflow through every retry of the recording.
 */
export async function previewPdf(deps: AppDeps, caller: TenantCaller, documentId: string): Promise<{ bytes: Uint8Array; filename: string }> {
  const document = await findDocument(deps, caller, documentId);
  const original = document.kind === 'proof' ? await readProofOriginal(deps, document.id) : undefined;
  const bytes = original?.bytes ?? (await renderQuotePdf(deps.prisma, { tenantId: caller.tenantId, documentId }));
  const data = { by: 'seller', counted: false, ...(original ? { revision: original.revision } : {}) };
  await recordFact(deps, sellerFact(caller, documentId, { dedupeKey: `api:pdf:${randomUUID()}`, type: 'downloaded', data }));
  return { bytes, filename: original ? `${document.number}-r${original.revision}.pdf` : `${document.number}.pdf` };
}
