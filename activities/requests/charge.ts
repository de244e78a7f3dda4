/**
 * The charge of a confirmed service request on the customer's saved card (seed 004: "Débiter
 * la CB"), one attempt at a time.
 *
 * The attempt's row is written first (pending) with its idempotency key
 * `<requestId>-confirm-attempt-<n>`, the provider is asked with that same key, then the outcome
 * is written with the request's payment status and an audit event (paid, or payment_failed),
 * and the assignee told either way. A retry of the activity (a timeout, a worker killed between the charge and
 * the write) asks the provider again with the same key and gets the first answer back: the card
 * is charged once. A row already settled is answered as it is.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { AuditEventType } from '../../domain/documents';
import { confirmChargeKey } from '../../domain/requests';
import { newId } from '../../platform/ids';
import { recordTransition } from '../db/record-transition';
import type { PaymentProvider } from '../../services/payment/provider';
import { chargeCustomerSavedCard, settledChargeOutcome, type SavedCardChargeOutcome } from '../payment/saved-card';
import type { ChargeConfirmedRequestInput } from './types';

export interface RequestChargeDeps {
  prisma: PrismaClient;
  payments: PaymentProvider | undefined;
  dispatchWebhooks: (auditEventId: string) => Promise<void>;
  /** Tells the request's assignee (or the tenant's notification address) that the card was charged, or declined (notifyAssignee). */
  notifyOutcome: (input: { tenantId: string; documentId: string; event: 'paid' | 'payment_failed'; idempotencyKey: string; detail: Record<string, unknown> }) => Promise<unknown>;
}

export async function chargeConfirmedRequest(deps: RequestChargeDeps, input: ChargeConfirmedRequestInput): Promise<SavedCardChargeOutcome> {
  const { prisma } = deps;
  const idempotencyKey = confirmChargeKey(input.documentId, input.attempt);
  const row = await prisma.serviceRequestCharge.upsert({
    where: { documentId_attempt: { documentId: input.documentId, attempt: input.attempt } },
    create: { id: newId('pay'), documentId: input.documentId, attempt: input.attempt, idempotencyKey, status: 'pending', amount: input.amount, currency: input.currency },
    update: {},
  });
  const outcome =
    row.status === 'pending'
      ? await chargeCustomerSavedCard(deps, {
          tenantId: input.tenantId,
          customerId: (await prisma.document.findFirstOrThrow({ where: { id: input.documentId, tenantId: input.tenantId } })).customerId,
          subject: { tenantId: input.tenantId, subjectId: input.documentId, subjectKind: 'request' },
          amount: input.amount,
          currency: input.currency,
          description: `Request ${input.documentId}`,
          idempotencyKey,
        })
      : settledChargeOutcome(row);

  const succeeded = outcome.status === 'succeeded';
  const failure = { ...(outcome.failureCode ? { failureCode: outcome.failureCode } : {}), ...(outcome.failureMessage ? { failureMessage: outcome.failureMessage } : {}) };
  await prisma.$transaction([
    prisma.serviceRequestCharge.update({
      where: { id: row.id },
      data: { status: outcome.status, paymentIntentId: outcome.paymentId || null, failureCode: outcome.failureCode ?? null, failureMessage: outcome.failureMessage ?? null },
    }),
    prisma.serviceRequest.update({ where: { documentId: input.documentId }, data: { paymentStatus: succeeded ? 'paid' : 'unpaid' } }),
  ]);
  // Its own dedupe key (not the workflow's transition sequence): the charge runs behind the confirm's answer.
  const type: AuditEventType = succeeded ? 'paid' : 'payment_failed';
  const { event } = await recordTransition(prisma, {
    tenantId: input.tenantId,
    documentId: input.documentId,
    workflowId: idempotencyKey,
    seq: 0,
    event: {
      type,
      at: Date.now(),
      actor: { kind: 'system' },
      data: { amount: input.amount, currency: input.currency, attempt: input.attempt, ...(outcome.paymentId ? { paymentId: outcome.paymentId } : {}), ...failure },
    },
  });
  // Also when the event was already there: this may be the retry of a run that died before dispatching.
  await deps.dispatchWebhooks(event.id);
  await deps.notifyOutcome({ tenantId: input.tenantId, documentId: input.documentId, event: type, idempotencyKey: `${idempotencyKey}#notify`, detail: failure });
  return outcome;
}
