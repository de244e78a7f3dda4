/**
 * What a customer does through a link, recorded once and in the right place: facts
 * (viewed, downloaded) go to the quote's workflow while it runs, straight to the audit
 * trail when it does not (a draft, a closed quote) — never both; decisions always go to the
 * workflow, whose validators decide.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../../generated/prisma/client';
import type { AccessLink } from '../../generated/prisma/client';
import { recordAuditEvent } from '../../activities/db/audit';
import type { FoundLink } from '../../activities/db/links';
import { actorLabel, type Actor, type QuoteStatus, type RequestSource } from '../../domain/documents';
import type { ViewedSignal } from '../../workflows/api';
import { decideQuote, signalQuoteFact } from '../operations/quote-workflow';
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

export async function recordCustomerFact(
  deps: CustomerActionDeps,
  found: FoundLink,
  fact: 'viewed' | 'downloaded',
  source: RequestSource,
): Promise<void> {
  const payload: ViewedSignal = { eventId: randomUUID(), at: Date.now(), actor: customerActor(found.link), source };
  if (await signalQuoteFact(deps.temporal, found.document.id, fact, payload)) return;
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
}

/**
 * Takes the decision through the workflow and answers the quote's new status. The decision
 * id is the workflow's update id: a repeated submit gets the first answer, also after the
 * decision closed the workflow (Temporal keeps completed updates' outcomes with the closed
 * execution; test/integration/portal-decisions.test.ts proves it).
 */
export async function takeDecision(deps: CustomerActionDeps, found: FoundLink, request: DecisionRequest): Promise<QuoteStatus> {
  const view = await decideQuote(deps.temporal, found.document.id, request.decision, request.decisionId, {
    actor: customerActor(found.link),
    source: request.source,
    ...(request.reason ? { reason: request.reason } : {}),
    ...(request.options ? { options: request.options } : {}),
  });
  return view.status;
}
