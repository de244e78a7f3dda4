/**
 * What a customer does through a link, recorded once and in the right place: facts
 * (viewed, downloaded) go to the document's workflow while it runs (a signal: the portal's hot
 * path starts nothing), to a fact workflow of their own when it does not (a draft, a closed
 * document, a kind without one; api/operations/facts.ts) — never both; decisions always go to
 * the workflow, whose validators decide.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../../generated/prisma/client';
import type { AccessLink } from '../../generated/prisma/client';
import type { FoundLink } from '../../services/db/links';
import { actorLabel, type Actor, type AuditEventType, type ProofStatus, type QuoteStatus, type RequestSource } from '../../domain/documents';
import type { ProofPinInput } from '../../workflows/messages/proof';
import type { ViewedSignal } from '../../workflows/messages/document';
import type { FactInput } from '../../workflows/fact';
import type { SignatureEvidence } from '../../domain/signature';
import { recordFact, type FactDeps } from '../operations/facts';
import { commentOnQuote, decideDocument, decideProof, forwardProof, recordsBehindTheAnswer, signalDocumentFact, signQuote } from '../operations/quote-workflow';
import { answerProposal } from '../operations/requests';
import { apiMetrics } from '../metrics';
import type { PortalDecision } from './decisions';
import { eventOfStatus } from './page-state';

export interface CustomerActionDeps extends FactDeps {
  prisma: PrismaClient;
  temporal: Client;
}

export function customerActor(link: AccessLink): Actor {
  return {
    kind: 'customer',
    linkId: link.id,
    ...(link.recipientName ? { name: link.recipientName } : {}),
    ...(link.recipientEmail ? { email: link.recipientEmail } : {}),
    ...(link.forwardedFromLinkId ? { forwardedFromLinkId: link.forwardedFromLinkId } : {}),
    ...(link.deciderId ? { deciderId: link.deciderId } : {}),
  };
}

/**
 * The link a fact came through and the document it is about (the link's, or one of its chain),
 * with its workflow id and kind when the caller has read them with the link.
 */
export interface FactTarget {
  link: AccessLink;
  document: { id: string; tenantId: string; workflowId?: string | null; kind?: string };
}

/** A fact the customer reports through the link, on the document it is about: theirs, from where they are. */
export function customerFact(found: FactTarget, fact: Omit<FactInput, 'tenantId' | 'documentId' | 'actor'> & { source: RequestSource }): FactInput {
  return { ...fact, tenantId: found.document.tenantId, documentId: found.document.id, actor: actorLabel(customerActor(found.link)) };
}

/**
 * A customer's view (a human one: see view-tracking.ts) or download. `eventId` makes it
 * once-only: a page view's confirmation passes the page's view id.
 */
export async function recordCustomerFact(
  deps: CustomerActionDeps,
  found: FactTarget,
  fact: 'viewed' | 'downloaded',
  source: RequestSource,
  eventId: string = randomUUID(),
): Promise<void> {
  const payload: ViewedSignal = { eventId, at: Date.now(), actor: customerActor(found.link), source };
  // The row names the workflow that owns the document once it was sent, whatever its kind. That id
  // is the document's own (documentWorkflowId) once set: one read with the link needs no second.
  const { workflowId, kind } =
    found.document.workflowId && found.document.kind
      ? { workflowId: found.document.workflowId, kind: found.document.kind }
      : await deps.prisma.document.findUniqueOrThrow({ where: { id: found.document.id }, select: { workflowId: true, kind: true } });
  const toldWorkflow = workflowId !== null && (await signalDocumentFact(deps.temporal, workflowId, fact, payload));
  if (!toldWorkflow) await recordFact(deps, customerFact(found, { dedupeKey: `portal:${eventId}`, type: fact, at: payload.at, source, data: { linkId: found.link.id, eventId } }));
  if (fact === 'viewed') apiMetrics.portalViews.inc({ kind });
}

export interface DecisionRequest {
  decision: PortalDecision;
  decisionId: string;
  reason?: string;
  options?: string[];
  source: RequestSource;
  /** The version the link was made for: accepting or signing an older one is refused. */
  version?: number;
  /** The view the decision confirms, taken by the workflow just before it (view-tracking.ts `viewForDecision`). */
  viewed?: ViewedSignal;
  /** Signing only. */
  signature?: SignatureEvidence;
  /** A quote's reviewer's comment (a proof's is in `proof`). */
  comment?: string;
  /** Proofs only: the revision the page showed, the terms its checkbox showed, the change request. */
  proof?: ProofDecisionDetails;
}

export interface ProofDecisionDetails {
  revision: number;
  termsAccepted?: boolean;
  termsVersion?: string;
  comment?: string;
  pins?: ProofPinInput[];
}

/**
 * Takes the decision through the workflow and answers the quote's new status. The decision
 * id is the workflow's update id: a repeated submit gets the first answer, also after the
 * decision closed the workflow (Temporal keeps completed updates' outcomes with the closed
 * execution; test/integration/portal-decisions.test.ts proves it).
 */
export async function takeDecision(deps: CustomerActionDeps, found: FoundLink, request: DecisionRequest): Promise<QuoteStatus | ProofStatus> {
  const input = {
    actor: customerActor(found.link),
    source: request.source,
    ...(request.reason ? { reason: request.reason } : {}),
    ...(request.options ? { options: request.options } : {}),
    ...(request.version !== undefined ? { version: request.version } : {}),
    ...(request.viewed ? { viewed: request.viewed } : {}),
  };
  const { decision, decisionId, signature } = request;
  if (decision === 'sign') {
    if (!signature) throw new Error('A signature decision carries its evidence');
    return (await signQuote(deps.temporal, found.document.id, decisionId, { ...input, signature })).status;
  }
  if (decision === 'comment' && found.document.kind === 'quote') {
    return (await commentOnQuote(deps.temporal, found.document.id, decisionId, { ...input, comment: request.comment ?? '' })).status;
  }
  if (decision === 'approve' || decision === 'request-changes' || decision === 'comment') {
    const proof = request.proof;
    if (!proof) throw new Error('A proof decision names its revision');
    const { revision, termsAccepted, termsVersion, comment, pins } = proof;
    const taken =
      decision === 'approve'
        ? { kind: decision, input: { ...input, revision, ...(termsAccepted ? { termsAccepted } : {}), ...(termsVersion ? { termsVersion } : {}) } }
        : { kind: decision, input: { ...input, revision, comment: comment ?? '', ...(pins?.length ? { pins } : {}) } };
    return (await decideProof(deps.temporal, found.document.id, decisionId, taken)).status;
  }
  if (found.document.kind === 'request' && (decision === 'accept' || decision === 'refuse')) {
    // The portal's status type predates requests; the JSON answer carries the request's own status.
    return (await answerProposal(deps.temporal, found.document.id, decision, decisionId, input)).status as QuoteStatus;
  }
  // An invoice takes none of the portal's decisions (whyKindRefuses): its page pays instead (portal/online-payment.ts).
  return (await decideDocument(deps.temporal, found.document, decision, decisionId, input)).status as QuoteStatus | ProofStatus;
}

/** How long a page waits for its decision to be recorded, and how often it looks. */
const RECORDED_WITHIN_MS = 2_000;
const RECORDED_POLL_MS = 20;

/**
 * Waits, a moment at most, until the trail holds the decision just taken (the event that puts
 * the document in its status: `accepted`, the last write of an acceptance or a signature): a
 * quote's or an order's workflow answers a customer's decision before it records it
 * (workflows/story.ts), and the page answering a form is rendered from the rows — the options
 * chosen in its totals, the signature's certificate, the time since — as is the link opened
 * again right after, which must not show the quote still open. The JSON answer does not wait:
 * it is the decision's own result. Polled, because the rows are the workflow's to write and
 * nothing tells the API when they land (`event`: a decision whose status has no event of its own, a
 * withdrawal's `withdrawn`). When they did not in time (a worker slow or gone), the
 * page shows the decision's status and the options it chose over the rows as they are.
 */
export async function untilRecorded(
  prisma: PrismaClient,
  document: { id: string; kind: string },
  status: string,
  event?: AuditEventType,
  /** A decider's vote (domain/deciders.ts): their own decider_approved or decider_declined, which the page's standing shows. */
  deciderId?: string,
  /** The trail's last seq before the decision: a reviewer's second comment is not their first. */
  afterSeq?: number,
): Promise<void> {
  const type = event ?? eventOfStatus(status);
  if (!type || !recordsBehindTheAnswer(document.kind)) return;
  const deadline = Date.now() + RECORDED_WITHIN_MS;
  for (;;) {
    const whose = deciderId ? { data: { path: ['deciderId'], equals: deciderId } } : {};
    const since = afterSeq !== undefined ? { seq: { gt: afterSeq } } : {};
    const recorded = await prisma.auditEvent.findFirst({ where: { documentId: document.id, type, ...whose, ...since }, select: { id: true } });
    if (recorded || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, RECORDED_POLL_MS));
  }
}

export interface ForwardRequest {
  decisionId: string;
  to: { email: string; name?: string };
  source: RequestSource;
}

/** The customer sends the proof to a colleague, through the proof's workflow (taken once per decision id); answers its status. */
export async function forwardToColleague(deps: CustomerActionDeps, found: FoundLink, request: ForwardRequest): Promise<ProofStatus> {
  const input = { actor: customerActor(found.link), source: request.source, to: request.to };
  return (await forwardProof(deps.temporal, found.document.id, request.decisionId, input)).status;
}
