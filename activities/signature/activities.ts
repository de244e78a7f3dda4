/**
 * The external signature's side effects, for workflows/signature.ts: create and send at the
 * provider, check, cancel, keep the signed PDF, and tell the document's own workflow the
 * outcome. The provider and the file store are injected (ActivityDeps.signatures).
 */
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '../../generated/prisma/client';
import { actorLabel, pickLocale } from '../../domain/documents';
import type { SignatureChannel, SignaturePurpose } from '../../domain/digital-status';
import { AppError } from '../../domain/errors';
import { formatMoney } from '../../domain/money';
import { providerSignerActor } from '../../domain/signature';
import type { DecisionInput } from '../../workflows/messages/document';
import { cancelSignatureUpdate, signatureWorkflowId, type CancelSignatureInput } from '../../workflows/messages/signature';
import { decideDocument } from '../decide-document';
import type { FileStore } from '../../services/files/store';
import { renderQuotePdf } from '../../services/render/quote-pdf';
import { ProviderError, type ProviderDocument, type SignatureProvider } from '../../services/signature/provider';
import { purposeMessage } from '../../services/signature/purpose-templates';
import { waitForToken, type RateLimit } from './rate-limit';
import type { ProviderStatus, SignatureActivities, SignatureRef } from './types';

export interface SignatureDeps {
  prisma: PrismaClient;
  /** By name ("getaccept"): the provider as the tenant signs through it (its own GetAccept account, services/signature/tenant-getaccept.ts). */
  providers: Record<string, (prisma: PrismaClient, tenantId: string) => Promise<SignatureProvider>>;
  files: FileStore;
  rateLimit: RateLimit;
}

function signedFileKey(documentId: string): string {
  return `signatures/${documentId}/signed.pdf`;
}

/** The failure type of a provider's refusal (workflows/signature.ts reads it too). */
const PROVIDER_REJECTED = 'ProviderRejected';

/** A refusal no retry can cure ends the activity at once; an outage is thrown as is and retried. */
async function atProvider<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProviderError && !error.retryable) {
      throw ApplicationFailure.create({ message: error.message, type: PROVIDER_REJECTED, nonRetryable: true });
    }
    throw error;
  }
}

/** The provider's words when a signature workflow's update failed on its refusal (atProvider's ProviderRejected). */
function providerRefusalOf(error: unknown): string | undefined {
  if (!(error instanceof WorkflowUpdateFailedError) || !(error.cause instanceof ActivityFailure)) return undefined;
  const cause = error.cause.cause;
  return cause instanceof ApplicationFailure && cause.type === PROVIDER_REJECTED ? cause.message : undefined;
}

function statusOf(document: ProviderDocument): ProviderStatus {
  return { status: document.status, providerStatus: document.providerStatus, providerDocumentId: document.providerDocumentId };
}

export function createSignatureActivities(deps: SignatureDeps): SignatureActivities {
  const { prisma } = deps;

  async function load(ref: SignatureRef) {
    const signature = await prisma.externalSignature.findFirst({
      where: { documentId: ref.documentId, tenantId: ref.tenantId },
      include: { document: { include: { tenant: { include: { settings: true } }, customer: true } } },
    });
    if (!signature) throw new AppError('not_found', `No external signature for document ${ref.documentId}`);
    const providerOf = deps.providers[signature.provider];
    if (!providerOf) throw new AppError('unprocessable', `No signature provider "${signature.provider}" is configured`);
    // The tenant's account, read now: a workflow's input carries no credentials.
    return { signature, provider: await providerOf(prisma, ref.tenantId) };
  }

  function providerIdOf(signature: { providerDocumentId: string | null; documentId: string }): string {
    if (!signature.providerDocumentId) throw new AppError('conflict', `Document ${signature.documentId} was never created at the provider`);
    return signature.providerDocumentId;
  }

  async function remember(documentId: string, document: ProviderDocument): Promise<void> {
    await prisma.externalSignature.update({
      where: { documentId },
      data: { providerDocumentId: document.providerDocumentId, providerStatus: document.providerStatus, lastCheckedAt: new Date() },
    });
  }

  return {
    async startExternalSignature(ref) {
      const { signature, provider } = await load(ref);
      const { document } = signature;
      let current: ProviderDocument;
      if (signature.providerDocumentId) {
        current = await atProvider(() => provider.getDocument(signature.providerDocumentId as string));
      } else {
        const locale = pickLocale(document.customer.locale, document.tenant.locale);
        const pdf = await renderQuotePdf(prisma, ref);
        current = await atProvider(() =>
          provider.createDocument({
            externalId: document.id,
            name: document.title ? `${document.number} — ${document.title}` : document.number,
            pdf,
            channel: signature.channel as SignatureChannel,
            recipient: {
              name: signature.recipientName,
              ...(signature.recipientEmail ? { email: signature.recipientEmail } : {}),
              ...(signature.recipientMobile ? { mobile: signature.recipientMobile } : {}),
              companyName: document.customer.name,
            },
            ...(signature.signers ? { signers: (signature.signers as { name: string; email: string; order: number }[]).map((signer) => ({ ...signer, companyName: document.customer.name })) } : {}),
            message: purposeMessage(signature.purpose as SignaturePurpose, locale, signature.channel as SignatureChannel, {
              number: document.number,
              seller: document.tenant.name,
              customer: signature.recipientName,
              total: formatMoney(document.grossTotal, document.currency, locale),
            }, document.tenant.settings?.templates),
            value: document.grossTotal / 100,
            ...(document.validUntil ? { expiresAt: document.validUntil } : {}),
          }),
        );
        // Kept before sending: a retry after a crash here finds it instead of creating another.
        await remember(document.id, current);
      }
      if (current.status === 'draft') current = await atProvider(() => provider.sendDocument(current.providerDocumentId));
      await remember(document.id, current);
      return statusOf(current);
    },

    async checkExternalSignature(ref) {
      const { signature, provider } = await load(ref);
      const context = Context.current();
      await waitForToken(prisma, { tenantId: ref.tenantId, provider: signature.provider }, deps.rateLimit, () => context.heartbeat(), context.cancellationSignal);
      const current = await atProvider(() => provider.getDocument(providerIdOf(signature)));
      await remember(signature.documentId, current);
      return statusOf(current);
    },

    async cancelExternalSignature(input) {
      const { signature, provider } = await load(input);
      if (signature.providerDocumentId) await atProvider(() => provider.cancelDocument(signature.providerDocumentId as string));
      await prisma.externalSignature.update({
        where: { documentId: signature.documentId },
        data: { cancelledBy: actorLabel(input.actor), cancelReason: input.reason ?? null, providerStatus: 'recalled' },
      });
    },

    async remindExternalSigner(ref) {
      const { signature, provider } = await load(ref);
      await atProvider(() => provider.remindSigner(providerIdOf(signature), signature.channel as SignatureChannel));
    },

    async storeSignedDocument(ref) {
      const { signature, provider } = await load(ref);
      const key = signedFileKey(signature.documentId);
      if (signature.signedFileKey && (await deps.files.exists(signature.signedFileKey))) return { key: signature.signedFileKey };
      const bytes = await atProvider(() => provider.downloadSignedDocument(providerIdOf(signature)));
      await deps.files.put(key, bytes);
      await prisma.externalSignature.update({ where: { documentId: signature.documentId }, data: { signedFileKey: key, signedAt: new Date() } });
      return { key };
    },

    async decideParentDocument(input) {
      const decision: DecisionInput = {
        // The signer decided, through the provider: the audit trail names it.
        actor: providerSignerActor(input.documentId),
        ...(input.reason ? { reason: input.reason } : {}),
      };
      const answer = await decideDocument(Context.current().client, input.parentWorkflowId, input.decision, { args: [decision], updateId: input.decisionId });
      return answer.outcome === 'refused' ? { outcome: 'refused', detail: answer.reason } : { outcome: answer.outcome };
    },

    async dropUnstartedSignature({ tenantId, documentId }) {
      // Only a signing never created at the provider, with the digital status the send set for it; in one transaction, so a retry finds either both or neither.
      await prisma.$transaction(async (tx) => {
        if (await tx.externalSignature.count({ where: { tenantId, documentId, providerDocumentId: { not: null } } })) return;
        await tx.externalSignature.deleteMany({ where: { tenantId, documentId } });
        await tx.document.updateMany({ where: { id: documentId, tenantId }, data: { digitalStatus: null } });
      });
    },

    async withdrawDocumentSignature(input) {
      const { client, info } = Context.current();
      const cancel: CancelSignatureInput = { actor: input.actor, ...(input.reason ? { reason: input.reason } : {}) };
      // An update that failed (the provider kept refusing) keeps its failure under its id: each
      // attempt asks anew. An attempt after one that was taken is refused ("already cancelled").
      try {
        const answer = await decideDocument(client, signatureWorkflowId(input.documentId), cancelSignatureUpdate, {
          args: [cancel],
          updateId: `${input.decisionId}#attempt-${info.attempt}`,
        });
        return answer.outcome === 'refused' ? { outcome: 'refused', detail: answer.reason } : { outcome: answer.outcome };
      } catch (error) {
        // The provider refused the withdrawal for good (signed there a moment ago): no retry changes that.
        const refusal = providerRefusalOf(error);
        if (refusal === undefined) throw error;
        return { outcome: 'refused', detail: refusal };
      }
    },
  };
}
