/** The service request activities, built from their dependencies like every activity (activities/index.ts). */
import type { PrismaClient } from '../../generated/prisma/client';
import { failingClearly } from '../failures';
import type { NotifyAssigneeDeps } from '../notify/notify-assignee';
import { notifyAssignee } from '../notify/notify-assignee';
import type { PaymentProvider } from '../../services/payment/provider';
import { chargeConfirmedRequest } from './charge';
import { recordSubscriptionStarted, syncServiceRequest } from './sync';
import type { RequestActivities } from './types';

export interface RequestActivityDeps extends NotifyAssigneeDeps {
  prisma: PrismaClient;
  payments?: PaymentProvider | undefined;
  /** Sends the webhooks queued for an audit event the charge recorded. */
  dispatchWebhooks: (auditEventId: string) => Promise<void>;
}

export function requestActivities(deps: RequestActivityDeps): RequestActivities {
  return {
    syncServiceRequest: failingClearly((input) => syncServiceRequest(deps.prisma, input)),
    chargeConfirmedRequest: failingClearly((input) =>
      chargeConfirmedRequest(
        {
          prisma: deps.prisma,
          payments: deps.payments,
          dispatchWebhooks: deps.dispatchWebhooks,
          notifyOutcome: ({ detail, event, ...notice }) =>
            notifyAssignee(deps, { ...notice, event, what: event, at: Date.now(), detail: detail.failureMessage ? { reason: detail.failureMessage } : {} }),
        },
        input,
      ),
    ),
    recordSubscriptionStarted: failingClearly((input) => recordSubscriptionStarted(deps.prisma, input)),
  };
}
