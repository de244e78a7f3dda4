/**
 * A fact recorded by a workflow of its own, when no running workflow of the document takes it:
 * a message, a link made or revoked, a duplicate's `created`, a seller's preview, a scanner's
 * download, or a customer's view or download of a document whose workflow is not running (a
 * draft, a closed document). So every row of a document's trail but a page's doubtful open
 * (api/portal/view-tracking.ts says why) is written by an activity, which also starts the
 * row's webhook deliveries at once.
 *
 * Money that came for a document whose workflow is over (a quote's deposit paid once its run had
 * ended, api/operations/payments.ts) is such a fact too: the payment is kept with its receipt by
 * the invoices' own activity (recordPayment, once per provider payment id) before its event is
 * written, and the assignee is told after, as the document's workflow would have done.
 *
 * Its id is the fact's dedupe key (`fact-<dedupeKey>`), which the request gives (its decision
 * id, Idempotency-Key, portal form or page view id): a retried request finds the workflow its
 * first attempt started and answers what it recorded (api/operations/facts.ts).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { FactActivities, GreenlightActivities, PaymentActivities, RecordPaymentInput } from '../activities/types';
import type { AuditEventType, NotifyEvent, RequestSource } from '../domain/documents';
import { patiently } from './story';

export interface FactInput {
  tenantId: string;
  documentId: string;
  /** The fact's identity, from the request that reports it: its workflow's id, and the audit row's dedupeKey. */
  dedupeKey: string;
  type: AuditEventType;
  /** Epoch ms. */
  at: number;
  /** As actorLabel() writes it. */
  actor: string;
  source?: RequestSource;
  data?: Record<string, unknown>;
  /** A message of the conversation: its row is written with its event. */
  message?: FactMessage;
  /** `assigned`: the user now in charge of the document, written with its event. */
  assigneeId?: string;
  /** Money taken for the document: kept, with its receipt, before its event is written. */
  payment?: KeptPayment;
  /** The assignee is told, on this event's channels, once the fact is recorded. */
  notify?: NotifyEvent;
}

/** A payment as recordPayment keeps it: the receipt's number in the document's series, and what is paid on it with this one. */
export type KeptPayment = Omit<RecordPaymentInput, 'tenantId' | 'documentId'>;

export interface FactMessage {
  /** From the request that writes it (api/operations/messages.ts): the same request twice writes once. */
  id: string;
  author: 'customer' | 'seller';
  authorName?: string;
  body: string;
  internal: boolean;
}

export interface RecordedFact {
  eventId: string;
  /** false when an earlier attempt had recorded it. */
  created: boolean;
}

const { recordFact } = proxyActivities<FactActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });
const { notifyAssignee } = proxyActivities<GreenlightActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });
/** Rendering the receipt may take a while, as for the invoices' payments. */
const { recordPayment } = proxyActivities<PaymentActivities>({ startToCloseTimeout: '2 minutes', retry: patiently });

export const factWorkflowId = (dedupeKey: string): string => `fact-${dedupeKey}`;

/** Only a fact that carries a payment or a notice runs more than its record: earlier histories replay as they were. */
export async function factWorkflow(input: FactInput): Promise<RecordedFact> {
  const { payment, notify, ...fact } = input;
  const { tenantId, documentId } = fact;
  if (payment) await recordPayment({ tenantId, documentId, ...payment });
  const recorded = await recordFact(fact);
  if (notify) await notifyAssignee({ tenantId, documentId, event: notify, what: fact.type, at: fact.at, idempotencyKey: `${factWorkflowId(fact.dedupeKey)}#notify` });
  return recorded;
}
