/** The subscription activities, built from their dependencies like every activity (activities/index.ts). */
import type { PrismaClient } from '../../generated/prisma/client';
import { failingClearly } from '../failures';
import type { PaymentProvider } from '../../services/payment/provider';
import { chargeSubscription } from './charge';
import { createSubscription } from '../../services/subscriptions/create';
import { recordSubscription } from './record';
import type { SubscriptionActivities } from './types';

export function subscriptionActivities(deps: { prisma: PrismaClient; payments?: PaymentProvider | undefined }): SubscriptionActivities {
  return {
    createSubscription: failingClearly((input) => createSubscription(deps.prisma, input)),
    chargeSubscription: failingClearly((input) => chargeSubscription({ prisma: deps.prisma, payments: deps.payments }, input)),
    recordSubscription: failingClearly((input) => recordSubscription(deps.prisma, input)),
  };
}
