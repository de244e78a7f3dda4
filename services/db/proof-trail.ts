/**
 * What a proof's audit trail says about its revisions: which ones were sent, the change
 * requests (comment and pins, per revision, with who and when; each pin resolved or not by the
 * seller: `pin_resolved` / `pin_reopened` facts, the last one wins) and the approval. The trail is
 * the record the workflow writes (recordTransition), so the seller's API, the customer's page
 * and the next revision's email read the same facts.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { ProofPinInput } from '../../workflows/messages/proof';

/** The seller's last word on a pin: done (`pin_resolved`) or not after all (`pin_reopened`). */
export interface PinResolution {
  resolved: boolean;
  at: Date;
  actor: string;
  note?: string;
  /** The fact that said it: what the next one is keyed on (api/operations/proof-pins.ts). */
  eventId: string;
}

export interface ChangeRequestPin extends ProofPinInput {
  resolution?: PinResolution;
}

export interface ChangeRequest {
  /** Its `changes_requested` event's id. */
  id: string;
  revision: number;
  comment: string;
  pins: ChangeRequestPin[];
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
  /** Of a pin's resolution: the change request's id and the pin's number (1-based). */
  requestId?: unknown;
  pin?: unknown;
  note?: unknown;
}

export const PIN_RESOLUTION_TYPES = ['pin_resolved', 'pin_reopened'] as const;

const revisionOf = (data: RevisionEventData): number => (typeof data.revision === 'number' ? data.revision : 0);

/** Pins as the machine recorded them; anything else in the JSON is left out. */
function pinsOf(value: unknown): ChangeRequestPin[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((pin: Partial<ProofPinInput>) =>
    typeof pin?.page === 'number' && typeof pin.x === 'number' && typeof pin.y === 'number' && typeof pin.comment === 'string'
      ? [{ page: pin.page, x: pin.x, y: pin.y, comment: pin.comment }]
      : [],
  );
}

export async function readProofTrail(prisma: PrismaClient, tenantId: string, documentId: string): Promise<ProofTrail> {
  const events = await prisma.auditEvent.findMany({
    where: { tenantId, documentId, type: { in: ['sent', 'changes_requested', 'approved', ...PIN_RESOLUTION_TYPES] } },
    orderBy: { seq: 'asc' },
    select: { id: true, type: true, at: true, actor: true, data: true },
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
      trail.changeRequests.push({ id: event.id, revision, comment: typeof data.comment === 'string' ? data.comment : '', pins: pinsOf(data.pins), at: event.at, actor: event.actor });
    }
    if (event.type === 'pin_resolved' || event.type === 'pin_reopened') {
      const pin = trail.changeRequests.find((request) => request.id === data.requestId)?.pins[(typeof data.pin === 'number' ? data.pin : 0) - 1];
      if (pin) {
        const note = typeof data.note === 'string' ? { note: data.note } : {};
        pin.resolution = { resolved: event.type === 'pin_resolved', at: event.at, actor: event.actor, eventId: event.id, ...note };
      }
    }
  }
  return trail;
}

