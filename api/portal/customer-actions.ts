/**
 * What a customer does through a link, recorded once and in the right place: facts
 * (viewed, downloaded) go to the document's workflow while it runs, straight to the audit
 * trail when it does not (a draft, a closed document, a kind without one) — never both;
 * decisions always go to the workflow, whose validators decide.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../../generated/prisma/client';
import type { AccessLink } from '../../generated/prisma/client';
import { recordAuditEvent } from '../../activities/db/audit';
import type { FoundLink } from '../../activities/db/links';
import { actorLabel, type Actor, type QuoteStatus, type RequestSource } from '../../domain/documents';
import type { ViewedSignal } from '../../workflows/api';
import type { SignatureEvidence } from '../../domain/signature';
import { decideDocument, signalDocumentFact, signQuote } from '../operations/quote-workflow';
import type { PortalDecision } from './decisions';

export interface CustomerActionDeps {
  prisma: PrismaClient;
  temporal: Client;
}

export function customerActor(link: AccessLink): Actor {
  return {
    kind: 'customer',
    linkId: link.id,
    ...(link.recipientName ? { name: link.recipientName } : {}),
    ...(link.recipientEmail ? { email: link.recipientEmail } : {}),
  };
}

/** The link a fact came through and the document it is about (the link's, or one of its chain). */
export interface FactTarget {
  link: AccessLink;
  document: { id: string; tenantId: string };
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
  // The row names the workflow that owns the document once it was sent, whatever its kind.
  const { workflowId } = await deps.prisma.document.findUniqueOrThrow({ where: { id: found.document.id }, select: { workflowId: true } });
  if (workflowId && (await signalDocumentFact(deps.temporal, workflowId, fact, payload))) return;
  await recordAuditEvent(deps.prisma, {
    tenantId: found.document.tenantId,
    documentId: found.document.id,
    dedupeKey: `portal:${payload.eventId}`,
    type: fact,
    at: new Date(payload.at),
    actor: actorLabel(payload.actor),
    ...source,
    data: { linkId: found.link.id },
  });
}

export interface DecisionRequest {
  decision: PortalDecision;
  decisionId: string;
  reason?: string;
  options?: string[];
  source: RequestSource;
  /** The version the link was made for: accepting or signing an older one is refused. */
  version?: number;
  /** Signing only. */
  signature?: SignatureEvidence;
}

/**
 * Takes the decision through the workflow and answers the quote's new status. The decision
 * id is the workflow's update id: a repeated submit gets the first answer, also after the
 * decision closed the workflow (Temporal keeps completed updates' outcomes with the closed
 * execution; test/integration/portal-decisions.test.ts proves it).
 */
export async function takeDecision(deps: CustomerActionDeps, found: FoundLink, request: DecisionRequest): Promise<QuoteStatus> {
  const input = {
    actor: customerActor(found.link),
    source: request.source,
    ...(request.reason ? { reason: request.reason } : {}),
    ...(request.options ? { options: request.options } : {}),
    ...(request.version !== undefined ? { version: request.version } : {}),
  };
  const { decision, decisionId, signature } = request;
  if (decision === 'sign') {
    if (!signature) throw new Error('A signature decision carries its evidence');
    return (await signQuote(deps.temporal, found.document.id, decisionId, { ...input, signature })).status;
  }
  return (await decideDocument(deps.temporal, found.document, decision, decisionId, input)).status;
}
