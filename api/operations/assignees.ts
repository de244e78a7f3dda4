/**
 * Who is in charge of a document: the salesperson its notices go to (activities/notify reads the
 * row when a notice goes out). Putting another user in charge is not a change of the customer's
 * document — no version, nothing sent — so whatever the kind and status it is recorded by the
 * fact workflow (api/operations/facts.ts) as `assigned`, the column written with its event: no
 * machine reads the assignee, so no document workflow has anything to decide, and a closed one
 * (an accepted quote, a paid invoice) still gets its later notices to the right person.
 */
import { AppError } from '../../domain/errors';
import type { AppDeps } from '../app';
import type { TenantCaller } from '../auth';
import { recordFact, sellerFact } from './facts';

/** Records the new assignee once per decision; the same assignee again records nothing. */
export async function assignDocument(
  deps: AppDeps,
  caller: TenantCaller,
  document: { id: string; assigneeId: string | null },
  assigneeId: string,
  decisionId: string,
): Promise<void> {
  if (assigneeId === document.assigneeId) return;
  await recordFact(
    deps,
    sellerFact(caller, document.id, {
      dedupeKey: `api:assigned:${document.id}:${decisionId}`,
      type: 'assigned',
      data: { assigneeId, previousAssigneeId: document.assigneeId },
      assigneeId,
    }),
  );
}

/** The assignee must be a user of the tenant: 422 otherwise, nothing changed. */
export async function checkAssignee(deps: AppDeps, tenantId: string, assigneeId: string): Promise<void> {
  if (await deps.prisma.user.findFirst({ where: { id: assigneeId, tenantId }, select: { id: true } })) return;
  throw new AppError('unprocessable', 'The document refers to records that do not exist.', [{ path: 'assigneeId', message: `no user ${assigneeId}` }]);
}
