/**
 * A conversion the back office asks for (POST /v1/documents/:id/convert): the next document of
 * the chain made from this one, as a decision of its own. One short workflow per source and
 * target, `convert-<documentId>-<to>`, runs `convertDocument`, which creates the document and
 * records `converted` whole or not at all (Temporal retries it through any outage, and a retry
 * finds the document its first attempt made), then answers what it made and whether this
 * decision made it. Requests for the same conversion run one after another under that id, each
 * in a run of its own. Converting changes no status of the source, so its own workflow (closed,
 * in most cases: a quote converts once accepted) has no part in it.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { GreenlightActivities } from '../activities/types';
import type { ConversionTarget } from '../domain/chain';
import { patiently } from './story';
import { withArticle } from '../domain/summaries';

const { convertDocument } = proxyActivities<GreenlightActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });

export const conversionWorkflowId = (documentId: string, to: ConversionTarget): string => `convert-${documentId}-${to}`;

export interface ConversionInput {
  tenantId: string;
  documentId: string;
  to: ConversionTarget;
  /** As actorLabel() writes it: who asked. */
  actor: string;
  /** The request's decision id: the new document's id is derived from it, so a retried request is answered as the one that made it. */
  decisionId: string;
}

export type ConversionOutcome =
  /** `created`: this decision made it (now, or in the attempt a retry repeats); false: the chain already had it. */
  | { outcome: 'converted'; documentId: string; number: string; created: boolean }
  /** The chain's rules refused (domain/chain.ts), with the reason; nothing was written. */
  | { outcome: 'refused'; reason: string };

/** "Convert doc_… into an order": the conversion workflow's one line, set by the API at start. */
export function conversionSummary(input: Pick<ConversionInput, 'documentId' | 'to'>): string {
  return `Convert ${input.documentId} into ${withArticle(input.to)}`;
}

export async function conversionWorkflow(input: ConversionInput): Promise<ConversionOutcome> {
  try {
    const converted = await convertDocument.executeWithOptions({ summary: `make ${withArticle(input.to)} from ${input.documentId}` }, [{ ...input, at: Date.now() }]);
    return { outcome: 'converted', ...converted };
  } catch (error) {
    // A refusal no retry cures (activities/failures.ts): the seller's answer, not a failed workflow.
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.nonRetryable) {
      return { outcome: 'refused', reason: error.cause.message };
    }
    throw error;
  }
}
