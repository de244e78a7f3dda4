/** The service request workflow's own activities (activities/requests/), as the workflow sees them. */
import type { RequestView } from '../../workflows/machines/request';
import type { SavedCardChargeOutcome } from '../payment/saved-card';

/** The request's row as the machine sees it now (workflows/machines/request.ts requestView). */
export type SyncServiceRequestInput = { tenantId: string; documentId: string } & Omit<RequestView, 'status'>;

export interface ChargeConfirmedRequestInput {
  tenantId: string;
  documentId: string;
  amount: number;
  currency: string;
  /** 1 for the first (and, so far, only) attempt: its idempotency key is confirmChargeKey(documentId, attempt). */
  attempt: number;
}

export interface RecordSubscriptionStartedInput {
  tenantId: string;
  documentId: string;
  subscriptionId: string;
}

export interface RequestActivities {
  /** Writes the request's box, proposals, outcome, unread mark, flag and decline reason; a retry writes the same. */
  syncServiceRequest(input: SyncServiceRequestInput): Promise<void>;
  /** One attempt to charge the saved card for a confirmed request, kept as a charge row; once per attempt. */
  chargeConfirmedRequest(input: ChargeConfirmedRequestInput): Promise<SavedCardChargeOutcome>;
  /** Remembers the subscription the confirmed request created. */
  recordSubscriptionStarted(input: RecordSubscriptionStartedInput): Promise<void>;
}
