/** The subscription activities, built from their dependencies like every activity (activities/index.ts). */
import type { PrismaClient } from '../../generated/prisma/client';
import { failingClearly } from '../failures';
import type { PaymentProvider } from '../../services/payment/provider';
import { chargeSubscription } from './charge';
import { issueSubscriptionInvoice } from './invoice';
import { createSubscription } from '../../services/subscriptions/create';
import { recordSubscription } from './record';
import type { SubscriptionActivities } from './types';

export interface SubscriptionActivityDeps {
  prisma: PrismaClient;
  payments?: PaymentProvider | undefined;
  /** Starts the webhook deliveries of an audit event recorded here (a period's invoice created). */
  dispatchWebhooks: (auditEventId: string) => Promise<void>;
}

export function subscriptionActivities(deps: SubscriptionActivityDeps): SubscriptionActivities {
  return {
    createSubscription: failingClearly((input) => createSubscription(deps.prisma, input)),
    chargeSubscription: failingClearly((input) => chargeSubscription({ prisma: deps.prisma, payments: deps.payments }, input)),
    issueSubscriptionInvoice: failingClearly(async (input) => {
      const { issued, createdEventId } = await issueSubscriptionInvoice(deps.prisma, input);
      await deps.dispatchWebhooks(createdEventId);
      return issued;
    }),
    recordSubscription: failingClearly((input) => recordSubscription(deps.prisma, input)),
  };
}
