/**
 * A fact recorded by a workflow of its own, when no running workflow of the document takes it:
 * a message, a link made or revoked, a duplicate's `created`, a seller's preview, a scanner's
 * download, or a customer's view or download of a document whose workflow is not running (a
 * draft, a closed document). So every row of a document's trail but a page's doubtful open
 * (api/portal/view-tracking.ts says why) is written by an activity, which also starts the
 * row's webhook deliveries at once.
 *
 * Its id is the fact's dedupe key (`fact-<dedupeKey>`), which the request gives (its decision
 * id, Idempotency-Key, portal form or page view id): a retried request finds the workflow its
 * first attempt started and answers what it recorded (api/operations/facts.ts).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { FactActivities } from '../activities/types';
import type { AuditEventType, RequestSource } from '../domain/documents';
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
}

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

export const factWorkflowId = (dedupeKey: string): string => `fact-${dedupeKey}`;

export async function factWorkflow(input: FactInput): Promise<RecordedFact> {
  return recordFact(input);
}
