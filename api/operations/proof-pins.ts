/**
 * The seller marks a pin of a proof's change request done, or not done after all
 * (`PATCH /v1/documents/:id/revisions/:number/pins/:pin`), so the next revision shows the
 * customer which points were handled.
 *
 * A fact, not a decision: whether a pin is handled changes nothing the proof's workflow decides
 * (its status, who may decide, its reminders), holds at any status — while the next revision is
 * made, after it is sent, after approval, when the workflow has closed — and is the seller's own
 * word, like a message. So it is recorded by the fact workflow (api/operations/facts.ts) as
 * `pin_resolved` / `pin_reopened`, and read back from the trail (services/db/proof-trail.ts)
 * by the seller's API, the customer's page and the next revision's email; the proof's workflow
 * and its recorded histories are untouched.
 *
 * The fact is keyed on the pin's state it changes (the last resolution fact, or none): the same
 * request retried, or sent twice at once, records once; asking for the state the pin already
 * has records nothing and answers it.
 */
import { AppError } from '../../domain/errors';
import { readProofTrail, type ChangeRequest, type ChangeRequestPin } from '../../services/db/proof-trail';
import type { AppDeps } from '../app';
import type { TenantCaller } from '../auth';
import { recordFact, sellerFact } from './facts';
import { findSellerProof } from './proof-files';

export interface PinResolutionInput {
  resolved: boolean;
  note?: string;
}

/** A pin as the seller reads it: its number in its request (the path's `:pin`) and whether it is done. */
export function presentPin(pin: ChangeRequestPin, index: number) {
  const { resolution, ...asked } = pin;
  return {
    number: index + 1,
    ...asked,
    resolved: resolution?.resolved ?? false,
    resolution: resolution ? { resolved: resolution.resolved, at: resolution.at.toISOString(), actor: resolution.actor, note: resolution.note ?? null } : null,
  };
}

/** The change request of a revision: a revision is decided once, so it has one at most. */
async function changeRequestOf(deps: AppDeps, tenantId: string, documentId: string, revision: number): Promise<ChangeRequest> {
  const request = (await readProofTrail(deps.prisma, tenantId, documentId)).changeRequests.findLast((candidate) => candidate.revision === revision);
  if (!request) throw new AppError('not_found', `Revision ${revision} of this proof has no change request.`);
  return request;
}

export async function setPinResolution(deps: AppDeps, caller: TenantCaller, documentId: string, revision: number, number: number, input: PinResolutionInput) {
  const proof = await findSellerProof(deps, caller.tenantId, documentId);
  const request = await changeRequestOf(deps, caller.tenantId, proof.id, revision);
  const pin = request.pins[number - 1];
  if (!pin) throw new AppError('not_found', `The change request on revision ${revision} has ${request.pins.length} pin(s), not a pin ${number}.`);
  if ((pin.resolution?.resolved ?? false) !== input.resolved) {
    const type = input.resolved ? 'pin_resolved' : 'pin_reopened';
    await recordFact(
      deps,
      sellerFact(caller, proof.id, {
        dedupeKey: `api:${type}:${request.id}:${number}:after:${pin.resolution?.eventId ?? 'none'}`,
        type,
        data: { revision, pin: number, requestId: request.id, ...(input.note ? { note: input.note } : {}) },
      }),
    );
  }
  const now = await changeRequestOf(deps, caller.tenantId, proof.id, revision);
  return presentPin(now.pins[number - 1]!, number - 1);
}
