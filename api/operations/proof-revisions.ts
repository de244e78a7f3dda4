/**
 * A new revision of a proof: the files are checked by content, stored, and only then is the
 * revision row written, in one transaction with its pages; a failure anywhere removes what was
 * stored, so there is never half a revision. Rendering then runs on the worker.
 */
import { openFileStore } from '../../services/files/store';
import { rowFields } from '../../platform/rows';
import { revisionPrefix, sourceKey } from '../../services/files/keys';
import { startRevisionRender } from '../../services/render/render-start';
import { inspectUpload, type InspectedFile, type ProofFileKind, type UploadedFile } from '../../services/render/inspect-upload';
import { AppError } from '../../domain/errors';
import type { Revision } from '../../generated/prisma/client';
import { isUniqueViolation } from '../../platform/db';
import { newId } from '../../platform/ids';
import { logger } from '../../platform/logger';
import type { AppDeps } from '../app';
import type { TenantCaller } from '../auth';
import { sendDocument } from './quote-lifecycle';

const EXTENSION: Record<ProofFileKind, string> = { pdf: 'pdf', jpeg: 'jpg', png: 'png', tiff: 'tif' };

export interface RevisionOptions {
  /** The route's createdId (api/openapi.ts): an upload resent after its first attempt committed the revision finds it. */
  revisionId: string;
  /** Send the proof with this revision once rendered: starts its workflow if it was never sent (a running one hears from the render anyway). */
  send?: boolean;
}

export async function createProofRevision(
  deps: AppDeps,
  caller: TenantCaller,
  documentId: string,
  files: UploadedFile[],
  options: RevisionOptions,
): Promise<{ revision: Revision; pages: number }> {
  const document = await deps.prisma.document.findFirst({ where: { id: documentId, tenantId: caller.tenantId }, select: { id: true, kind: true, workflowId: true, sendDecisionId: true } });
  if (!document) throw new AppError('not_found', `No document ${documentId}.`);
  if (document.kind !== 'proof') throw new AppError('conflict', `Revisions belong to proofs; document ${documentId} is a ${document.kind}.`);

  const inspected = await inspectUpload(files, deps.config.proofUploads, deps.config.render);
  const { revisionId } = options;
  const pages = inspected.flatMap((entry, index) => {
    const key = sourceKey(documentId, revisionId, index, EXTENSION[entry.kind]);
    const count = entry.pages === 1 ? 1 : entry.pages.length;
    return Array.from({ length: count }, (_, page) => ({ sourceKey: key, sourcePage: page + 1 }));
  });

  // An upload resent after its API died (the same Idempotency-Key and files, so the same id; one
  // request runs per key at a time) finds what its first attempt committed: no second revision,
  // and the send and the render go on below as for the first.
  const revision = (await deps.prisma.revision.findFirst({ where: { id: revisionId, documentId } })) ?? (await storeRevision(deps, documentId, revisionId, inspected, pages));
  try {
    // Started before the render, so that the render's report finds it running. The upload is the
    // send's decision: its revision names it (and a resent upload's send goes on where it stopped).
    if (options.send && (!document.workflowId || document.sendDecisionId === revisionId)) {
      await sendDocument(deps, caller, documentId, {}, revisionId, { awaitingRender: true });
    }
  } finally {
    // The revision is stored whatever the send answered: it renders, and can be sent later.
    await startRevisionRendering(deps, caller.tenantId, revision);
  }
  return { revision, pages: pages.length };
}

/** The files stored, then the revision's row with its pages in one transaction; what was stored is removed if the row is not written. */
async function storeRevision(deps: AppDeps, documentId: string, revisionId: string, inspected: InspectedFile[], pages: { sourceKey: string; sourcePage: number }[]): Promise<Revision> {
  const store = openFileStore(deps.config);
  try {
    // The revision's folder is a temporary place until the row commits.
    await Promise.all(inspected.map((entry, index) => store.put(sourceKey(documentId, revisionId, index, EXTENSION[entry.kind]), entry.file.bytes)));
    return await deps.prisma.$transaction(async (tx) => {
      const last = await tx.revision.findFirst({ where: { documentId }, orderBy: { number: 'desc' }, select: { number: true } });
      return tx.revision.create({
        data: {
          id: revisionId,
          documentId,
          number: (last?.number ?? 0) + 1,
          pages: { create: pages.map((page, index) => ({ id: newId('pag'), position: index + 1, ...page })) },
        },
      });
    });
  } catch (error) {
    await store.deletePrefix(revisionPrefix(documentId, revisionId));
    // Two uploads at once raced for the same number: the loser is told to retry.
    if (isUniqueViolation(error)) throw new AppError('conflict', 'Another revision was uploaded at the same time; send again.');
    throw error;
  }
}

/**
 * Each revision renders in a small workflow of its own, which reports the ready revision to the
 * proof's workflow. The revision is committed already: if Temporal cannot be reached now, the
 * worker's sweeper starts the render a little later (services/render/render-start.ts), so the
 * upload still answers 201 — a 5xx would invite a retry that stores the revision twice.
 */
async function startRevisionRendering(deps: AppDeps, tenantId: string, revision: Revision): Promise<void> {
  try {
    await startRevisionRender({ client: deps.temporal, taskQueue: deps.config.taskQueue }, { tenantId, documentId: revision.documentId, revisionId: revision.id });
  } catch (error) {
    logger.warn({ err: error, revisionId: revision.id }, 'render of the revision not started now; the sweeper will start it');
  }
}

export type RevisionWithPageCount = Revision & { _count: { pages: number } };

export function listRevisions(prisma: AppDeps['prisma'], documentId: string): Promise<RevisionWithPageCount[]> {
  return prisma.revision.findMany({ where: { documentId }, orderBy: { number: 'asc' }, include: { _count: { select: { pages: true } } } });
}

export function presentRevision(revision: RevisionWithPageCount) {
  return {
    ...rowFields(revision, ['id', 'number', 'failureReason', 'createdAt']),
    status: revision.status as 'rendering' | 'ready' | 'failed',
    pages: revision._count.pages,
  };
}
