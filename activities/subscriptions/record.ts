/**
 * Writes the subscription's state as its workflow sees it, for lists and the API (read from
 * PostgreSQL, never from Temporal). Guarded by the workflow's transition number, so a retried
 * or late write never puts an older state back.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import type { RecordSubscriptionInput } from './types';

export async function recordSubscription(prisma: PrismaClient, input: RecordSubscriptionInput): Promise<void> {
  await prisma.subscription.updateMany({
    where: { id: input.subscriptionId, tenantId: input.tenantId, lastSeq: { lt: input.seq } },
    data: {
      lastSeq: input.seq,
      status: input.status,
      statusReason: input.statusReason ?? null,
      plan: { ...input.plan },
      nextPlan: input.nextPlan ? { ...input.nextPlan } : Prisma.DbNull,
      currentPeriod: input.currentPeriod,
      failures: input.failures,
      nextChargeAt: input.nextChargeAt === undefined ? null : new Date(input.nextChargeAt),
    },
  });
}
