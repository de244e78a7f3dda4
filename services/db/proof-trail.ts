/**
 * What a proof's audit trail says about its revisions: which ones were sent, the change
 * requests (comment and pins, per revision, with who and when) and the approval. The trail is
 * the record the workflow writes (recordTransition), so the seller's API, the customer's page
 * and the next revision's email read the same facts.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { ProofPinInput } from '../../workflows/messages/proof';

export interface ChangeRequest {
  revision: number;
  comment: string;
  pins: ProofPinInput[];
  at: Date;
  /** As the trail names it: "customer:<linkId>". */
  actor: string;
}

export interface ProofTrail {
  /** The revisions sent to the customer, in the order sent. */
  sentRevisions: number[];
  /** The revision last sent to the customer; 0 before the first. */
  lastSentRevision: number;
  changeRequests: ChangeRequest[];
  approved?: { revision: number; at: Date };
}

interface RevisionEventData {
  revision?: unknown;
  comment?: unknown;
  pins?: unknown;
}

const revisionOf = (data: RevisionEventData): number => (typeof data.revision === 'number' ? data.revision : 0);

/** Pins as the machine recorded them; anything else in the JSON is left out. */
function pinsOf(value: unknown): ProofPinInput[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((pin: Partial<ProofPinInput>) =>
    typeof pin?.page === 'number' && typeof pin.x === 'number' && typeof pin.y === 'number' && typeof pin.comment === 'string'
      ? [{ page: pin.page, x: pin.x, y: pin.y, comment: pin.comment }]
      : [],
  );
}

export async function readProofTrail(prisma: PrismaClient, tenantId: string, documentId: string): Promise<ProofTrail> {
  const events = await prisma.auditEvent.findMany({
    where: { tenantId, documentId, type: { in: ['sent', 'changes_requested', 'approved'] } },
    orderBy: { seq: 'asc' },
    select: { type: true, at: true, actor: true, data: true },
  });
  const trail: ProofTrail = { sentRevisions: [], lastSentRevision: 0, changeRequests: [] };
  for (const event of events) {
    const data = (event.data ?? {}) as RevisionEventData;
    const revision = revisionOf(data);
    if (event.type === 'sent') {
      trail.sentRevisions.push(revision);
      trail.lastSentRevision = Math.max(trail.lastSentRevision, revision);
    }
    if (event.type === 'approved') trail.approved = { revision, at: event.at };
    if (event.type === 'changes_requested') {
      trail.changeRequests.push({ revision, comment: typeof data.comment === 'string' ? data.comment : '', pins: pinsOf(data.pins), at: event.at, actor: event.actor });
    }
  }
  return trail;
}

