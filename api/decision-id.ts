/**
 * The id of a decision, end to end (DESIGN.md §3): the workflow's update id, the key of what a
 * decision writes. It comes from the caller when the caller gives one — the portal form's
 * `decisionId` (minted when the page was rendered, so a double submit of one form is one
 * decision), or the back office's `Idempotency-Key`. When the caller gives neither, it is
 * derived from the request, never drawn at random per attempt: a retried request must name
 * the same decision as the attempt it retries.
 *
 * What a retry looks like: the same caller (tenant, or portal link), the same operation on
 * the same document, the same body, moments later — a client timing out and trying again, a
 * proxy replaying, a double click. What a new decision with the same words looks like: the
 * seller reminding again tomorrow, a revision undone and redone. Nothing in the request tells
 * the two apart but time, so the derived id hashes the request with the ten-minute window it
 * arrived in (`DERIVED_DECISION_WINDOW_MS`): the same request within the window is one
 * decision, a later one is a new decision.
 *
 * The cost, written down: a retry that straddles a window boundary is a second decision. For a
 * decision taken once by nature (cancel, accept, convert, terminate) the workflow then refuses
 * it with the reason ("already cancelled"); a repeatable one (remind, revise, forward, a
 * message) is taken again. A caller for whom that matters sends an Idempotency-Key, which
 * also replays the first answer for 24 hours (api/idempotency.ts).
 */
import { sha256Hex } from '../platform/ids';
import { canonicalJson } from './idempotency';

export const DERIVED_DECISION_WINDOW_MS = 10 * 60 * 1000;

export interface DecisionRequest {
  /** Who asks: a tenant's id (or "operator"), or `link:<id>` for the portal. */
  scope: string;
  /** What is asked, naming its target: "POST /v1/documents/doc_…/cancel", "accept". */
  operation: string;
  body: unknown;
}

/** The decision id of a request that carries none of its own. */
export function derivedDecisionId(request: DecisionRequest, now = Date.now()): string {
  const window = Math.floor(now / DERIVED_DECISION_WINDOW_MS);
  return `derived-${sha256Hex(canonicalJson({ ...request, window })).slice(0, 40)}`;
}
