/**
 * Digital signing through an external provider (GetAccept), as the back office sees it:
 * sending a document for signature (called by sendDocument), checking now, cancelling, the
 * start page's counts, the signed PDF, and the provider's webhooks. The signature's workflow
 * (workflows/signature.ts) does the work; this file reaches it and the read model.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { Prisma, type TenantSettings } from '../../generated/prisma/client';
import type { Decider } from '../../domain/deciders';
import { openFileStore } from '../../services/files/store';
import { ProviderError, WebhookRefused, type SignatureProvider } from '../../services/signature/provider';
import { createSignatureProviders, getAcceptFromConfig, signatureProviderName } from '../../services/signature/registry';
import { requireTenantGetAccept } from '../../services/signature/tenant-getaccept';
import { GETACCEPT_WEBHOOK_EVENTS, getAcceptWebhookToken, getAcceptWebhookUrl } from '../../services/signature/webhook-token';
import {
  DIGITAL_STATUSES,
  kindForPurpose,
  type DigitalStatus,
  type ExternalSignatureProvider,
  type SignatureChannel,
  type SignaturePurpose,
  type SignatureProviderName,
} from '../../domain/digital-status';
import { durationToMs } from '../../domain/durations';
import { AppError } from '../../domain/errors';
import { askWorkflow } from '../../platform/temporal';
import { cancelSignatureUpdate, checkSignatureSignal, signatureWorkflowId, type ExternalSignatureStart, type SignatureView } from '../../workflows/messages/signature';
import type { AppDeps } from '../app';
import { cancelQuoteSigning } from './quote-workflow';
import { sellerActor, type TenantCaller } from '../auth';

export interface SignatureRequest {
  signature?: { provider: 'builtin' | ExternalSignatureProvider };
  purpose?: SignaturePurpose;
  channel?: SignatureChannel;
  to?: { contactId: string } | { email: string; name?: string } | { phone: string; name?: string };
}

interface SendableDocument {
  id: string;
  kind: string;
  number: string;
  contactId: string | null;
  customerId: string;
}

/** The provider a send uses: the request's, else the tenant's setting. */
export function signatureProviderFor(input: SignatureRequest, settings: Pick<TenantSettings, 'signatureProvider'>): SignatureProviderName {
  return signatureProviderName(input.signature?.provider, settings.signatureProvider);
}

/**
 * Prepares the external signature of a document being sent: refuses when the tenant has no
 * GetAccept account to send through (409, services/signature/tenant-getaccept.ts), checks the
 * purpose fits the document, resolves the signer (the contact, or the address given) for the
 * channel, keeps the row the workflow works from and shows digital status "draft" at once
 * (seed: "Utkast").
 */
export async function prepareExternalSignature(
  deps: AppDeps,
  caller: TenantCaller,
  document: SendableDocument,
  input: SignatureRequest,
  settings: Pick<TenantSettings, 'signaturePollInterval'>,
  /** Several signers (domain/deciders.ts): the provider's recipients, in the order of their steps (counted from 1 after the portal's). */
  signers?: Decider[],
): Promise<ExternalSignatureStart> {
  await requireTenantGetAccept(deps.prisma, deps.config, caller.tenantId);
  const purpose = input.purpose ?? (document.kind === 'order' ? 'order_confirmation' : 'quote');
  if (kindForPurpose(purpose) !== document.kind) {
    throw new AppError('unprocessable', `A ${purpose.replace('_', ' ')} is signed on ${kindForPurpose(purpose) === 'order' ? 'an order' : 'a quote'}; ${document.number} is a ${document.kind.replace('_', ' ')}.`, [
      { path: 'purpose', message: `not for a ${document.kind}` },
    ]);
  }
  const channel = input.channel ?? 'email';
  const firstStep = signers && Math.min(...signers.map((one) => one.step));
  const ordered = signers && [...signers].sort((a, b) => a.step - b.step).map((one) => ({ name: one.name ?? one.email, email: one.email, order: one.step - (firstStep ?? 1) + 1 }));
  const recipient: { name: string; email?: string; mobile?: string } = ordered?.[0] ?? (await signer(deps, caller, document, input.to));
  if (channel === 'sms' && !recipient.mobile) {
    throw new AppError('unprocessable', 'Sending by SMS needs a mobile number: the contact has none.', [{ path: 'channel', message: 'no mobile number' }]);
  }
  if (channel === 'email' && !recipient.email) {
    throw new AppError('unprocessable', 'Sending by email needs an email address: the contact has none.', [{ path: 'channel', message: 'no email address' }]);
  }
  const fields = {
    provider: 'getaccept',
    purpose,
    channel,
    recipientName: recipient.name,
    recipientEmail: recipient.email ?? null,
    recipientMobile: recipient.mobile ?? null,
    signers: ordered ?? Prisma.DbNull,
  };
  await deps.prisma.$transaction([
    // A send that failed to start its workflow left its row: the retry takes it over.
    deps.prisma.externalSignature.upsert({
      where: { documentId: document.id },
      create: { id: `esig_${document.id}`, tenantId: caller.tenantId, documentId: document.id, ...fields },
      update: fields,
    }),
    deps.prisma.document.update({ where: { id: document.id }, data: { digitalStatus: 'draft' } }),
  ]);
  return { provider: 'getaccept', purpose, channel, pollIntervalMs: durationToMs(settings.signaturePollInterval) };
}

async function signer(
  deps: AppDeps,
  caller: TenantCaller,
  document: SendableDocument,
  to: SignatureRequest['to'],
): Promise<{ name: string; email?: string; mobile?: string }> {
  if (to && 'email' in to) return { name: to.name ?? to.email, email: to.email };
  if (to && 'phone' in to) return { name: to.name ?? to.phone, mobile: to.phone };
  const contactId = to?.contactId ?? document.contactId;
  const contact = contactId
    ? await deps.prisma.contact.findFirst({ where: { id: contactId, tenantId: caller.tenantId, customerId: document.customerId } })
    : null;
  if (!contact) throw new AppError('unprocessable', 'Name the signer: the document has no contact.', [{ path: 'to', message: 'required when the document has no contact' }]);
  return { name: contact.name, ...(contact.email ? { email: contact.email } : {}), ...(contact.phone ? { mobile: contact.phone } : {}) };
}

/**
 * A quote sent to be signed on our portal (requireSignature, no external provider): the
 * built-in provider answers for it (services/signature/builtin.ts); undefined otherwise.
 */
async function builtinSigning(deps: AppDeps, caller: TenantCaller, documentId: string): Promise<SignatureProvider | undefined> {
  const quote = await deps.prisma.document.findFirst({
    where: { id: documentId, tenantId: caller.tenantId, kind: 'quote', requireSignature: true, workflowId: { not: null }, externalSignature: { is: null } },
    select: { id: true },
  });
  return quote ? createSignatureProviders(deps.prisma, deps.config).builtin : undefined;
}

/** The built-in provider's refusals as the API's errors. */
async function atBuiltin<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProviderError && !error.retryable) throw new AppError(error.httpStatus === 404 ? 'not_found' : 'decision_rejected', error.message);
    throw error;
  }
}

async function findSignature(deps: AppDeps, caller: TenantCaller, documentId: string) {
  const signature = await deps.prisma.externalSignature.findFirst({
    where: { documentId, tenantId: caller.tenantId },
    include: { document: { select: { digitalStatus: true, number: true } } },
  });
  if (!signature) throw new AppError('not_found', `Document ${documentId} was not sent for digital signing.`);
  return signature;
}

/** "Kontrollera status": the workflow checks at its next turn, at once unless a check is running. */
export async function checkSignatureNow(deps: AppDeps, caller: TenantCaller, documentId: string): Promise<{ digitalStatus: string }> {
  // Signed on our portal: the status is ours, read now.
  const builtin = await builtinSigning(deps, caller, documentId);
  if (builtin) return { digitalStatus: (await atBuiltin(() => builtin.getDocument(documentId))).status };
  const signature = await findSignature(deps, caller, documentId);
  await askWorkflow(
    () => deps.temporal.workflow.getHandle(signatureWorkflowId(documentId)).signal(checkSignatureSignal, { trigger: 'check' }),
    () => `The digital signing is over (${signature.document.digitalStatus}).`,
  );
  return { digitalStatus: signature.document.digitalStatus ?? 'draft' };
}

/**
 * "Avbryt digital offert": withdrawn at the provider, polling stops, the document stays open to
 * convert by hand. One decision of the workflow that runs the signing: the signature's, or for
 * a quote signed on our portal the quote's own (it ends the signing, the customer's link kept, and records who and why).
 */
export async function cancelSignature(
  deps: AppDeps,
  caller: TenantCaller,
  documentId: string,
  input: { reason?: string },
  decisionId: string,
): Promise<SignatureView> {
  const cancel = { actor: sellerActor(caller), ...(input.reason ? { reason: input.reason } : {}) };
  if (await builtinSigning(deps, caller, documentId)) {
    await cancelQuoteSigning(deps.temporal, documentId, decisionId, cancel);
    return { digitalStatus: 'cancelled', checks: 0, consecutiveFailures: 0 };
  }
  await findSignature(deps, caller, documentId);
  const handle = deps.temporal.workflow.getHandle(signatureWorkflowId(documentId));
  return askWorkflow(() => handle.executeUpdate(cancelSignatureUpdate, { args: [cancel], updateId: decisionId }), () => 'The digital signing is already over.');
}

/** The start page's summary: documents per digital status. */
export async function signatureSummary(deps: AppDeps, caller: TenantCaller): Promise<{ counts: Record<DigitalStatus, number>; total: number }> {
  const groups = await deps.prisma.document.groupBy({
    by: ['digitalStatus'],
    where: { tenantId: caller.tenantId, digitalStatus: { not: null } },
    _count: { _all: true },
  });
  const counts = Object.fromEntries(DIGITAL_STATUSES.map((status) => [status, 0])) as Record<DigitalStatus, number>;
  for (const group of groups) {
    if ((DIGITAL_STATUSES as readonly string[]).includes(group.digitalStatus ?? '')) counts[group.digitalStatus as DigitalStatus] = group._count._all;
  }
  return { counts, total: Object.values(counts).reduce((sum, count) => sum + count, 0) };
}

/** The signature of a document as GET /v1/documents/:id/signature shows it. */
export async function externalSignatureOf(deps: AppDeps, caller: TenantCaller, documentId: string) {
  const base = deps.config.publicUrl;
  const builtin = await builtinSigning(deps, caller, documentId);
  if (builtin) return builtinSignatureOf(deps, builtin, documentId);
  const signature = await findSignature(deps, caller, documentId);
  return {
    provider: signature.provider,
    providerDocumentId: signature.providerDocumentId,
    providerStatus: signature.providerStatus,
    digitalStatus: signature.document.digitalStatus ?? 'draft',
    purpose: signature.purpose,
    channel: signature.channel,
    recipient: { name: signature.recipientName, email: signature.recipientEmail, mobile: signature.recipientMobile },
    signedAt: signature.signedAt?.toISOString() ?? null,
    signedPdfUrl: signature.signedFileKey ? `${base}/v1/documents/${encodeURIComponent(documentId)}/signature/signed.pdf` : null,
    cancelledBy: signature.cancelledBy,
    cancelReason: signature.cancelReason,
    lastCheckedAt: signature.lastCheckedAt?.toISOString() ?? null,
  };
}

/** The portal signing in the same shape: the signer once signed (else the quote's contact), who cancelled from the trail. */
async function builtinSignatureOf(deps: AppDeps, builtin: SignatureProvider, documentId: string) {
  const current = await atBuiltin(() => builtin.getDocument(documentId));
  const [quote, cancelled] = await Promise.all([
    deps.prisma.document.findUniqueOrThrow({
      where: { id: documentId },
      select: { contact: { select: { name: true, email: true, phone: true } }, signatures: { select: { signerName: true, signerEmail: true, signedAt: true }, orderBy: { signedAt: 'desc' }, take: 1 } },
    }),
    deps.prisma.auditEvent.findFirst({ where: { documentId, type: 'signature_cancelled' }, orderBy: { seq: 'desc' }, select: { actor: true, data: true } }),
  ]);
  const reason = (cancelled?.data as { reason?: unknown } | undefined)?.reason;
  // Several signers (domain/deciders.ts): the last one to sign.
  const signature = quote.signatures[0];
  return {
    provider: 'builtin',
    providerDocumentId: documentId,
    providerStatus: current.providerStatus,
    digitalStatus: current.status,
    purpose: 'quote',
    channel: 'email',
    recipient: signature
      ? { name: signature.signerName, email: signature.signerEmail, mobile: null }
      : { name: quote.contact?.name ?? '', email: quote.contact?.email ?? null, mobile: quote.contact?.phone ?? null },
    signedAt: signature?.signedAt.toISOString() ?? null,
    signedPdfUrl: signature ? `${deps.config.publicUrl}/v1/documents/${encodeURIComponent(documentId)}/signature/signed.pdf` : null,
    cancelledBy: cancelled?.actor ?? null,
    cancelReason: typeof reason === 'string' ? reason : null,
    // Read from our own records at this moment.
    lastCheckedAt: new Date().toISOString(),
  };
}

export async function signedDocument(deps: AppDeps, caller: TenantCaller, documentId: string): Promise<{ bytes: Uint8Array; filename: string }> {
  const builtin = await builtinSigning(deps, caller, documentId);
  if (builtin) {
    const bytes = await atBuiltin(() => builtin.downloadSignedDocument(documentId));
    const { number } = await deps.prisma.document.findUniqueOrThrow({ where: { id: documentId }, select: { number: true } });
    return { bytes, filename: `${number}-signed.pdf` };
  }
  const signature = await findSignature(deps, caller, documentId);
  if (!signature.signedFileKey) throw new AppError('not_found', `Document ${signature.document.number} is not signed (yet).`);
  return { bytes: await openFileStore(deps.config).get(signature.signedFileKey), filename: `${signature.document.number}-signed.pdf` };
}

/** Where the tenant's GetAccept account posts its events (register one subscription per event). */
export function webhookRegistration(deps: AppDeps, caller: TenantCaller): { url: string; events: string[] } {
  return { url: getAcceptWebhookUrl(deps.config, caller.tenantId), events: [...GETACCEPT_WEBHOOK_EVENTS] };
}

/**
 * A GetAccept webhook: verified (the tenant's URL token) and matched to one of the tenant's
 * signatures before anything is signalled; then the workflow checks the API now (the body's
 * status is never taken as the truth). Refused: 401 for a bad token, 404 for a document unknown here.
 */
export async function receiveGetAcceptWebhook(deps: AppDeps, tenantId: string, token: string | undefined, body: unknown): Promise<void> {
  const provider = getAcceptFromConfig(deps.config);
  let notice;
  try {
    notice = provider.verifyWebhook({ body, token, expectedToken: getAcceptWebhookToken(deps.config.appSecret, tenantId) });
  } catch (error) {
    if (error instanceof WebhookRefused) throw new AppError(error.message.includes('token') ? 'unauthorized' : 'validation_failed', error.message);
    throw error;
  }
  const signature = await deps.prisma.externalSignature.findFirst({
    where: { tenantId, provider: 'getaccept', providerDocumentId: notice.providerDocumentId },
    select: { documentId: true },
  });
  if (!signature) throw new AppError('not_found', `No signature for GetAccept document ${notice.providerDocumentId}.`);
  try {
    await deps.temporal.workflow.getHandle(signatureWorkflowId(signature.documentId)).signal(checkSignatureSignal, { trigger: 'webhook' });
  } catch (error) {
    // Over already: nothing left to learn, and GetAccept must not retry for days.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
