/**
 * Writes what the request machine decided into the request's rows: box, billing, unread mark,
 * outcome, flag, the seller's reason for declining, and the proposals (one row each, by sequence). The document's totals follow
 * the last proposal, so the emails and the customer's page show the price proposed.
 * Idempotent: a retry writes the same values.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { newId } from '../../platform/ids';
import type { RecordSubscriptionStartedInput, SyncServiceRequestInput } from './types';

export async function syncServiceRequest(prisma: PrismaClient, input: SyncServiceRequestInput): Promise<void> {
  const last = input.proposals.at(-1);
  await prisma.$transaction([
    prisma.serviceRequest.update({
      where: { documentId: input.documentId },
      data: {
        box: input.box,
        billing: input.billing,
        unread: input.unread,
        outcome: input.outcome,
        handledWithoutProposal: input.handledWithoutProposal,
        declineReason: input.declineReason,
      },
    }),
    ...input.proposals.map((proposal) =>
      prisma.serviceRequestProposal.upsert({
        where: { documentId_seq: { documentId: input.documentId, seq: proposal.seq } },
        create: { id: newId('prp'), documentId: input.documentId, ...proposal },
        update: { status: proposal.status },
      }),
    ),
    ...(last
      ? [prisma.document.updateMany({ where: { id: input.documentId, tenantId: input.tenantId }, data: { netTotal: last.amount, taxTotal: 0, grossTotal: last.amount } })]
      : []),
  ]);
}

export async function recordSubscriptionStarted(prisma: PrismaClient, input: RecordSubscriptionStartedInput): Promise<void> {
  await prisma.serviceRequest.updateMany({ where: { documentId: input.documentId, tenantId: input.tenantId }, data: { subscriptionId: input.subscriptionId } });
}
