/**
 * Changing a quote's content: title, lines, validity, contact, assignee. A draft is edited in
 * place; a sent quote's change is written by its workflow (applyRevision) as a new version,
 * so a signature or an acceptance in flight and the revision are taken one after the other.
 */
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { computeTotals, priceLine } from '../../domain/money';
import { lineRows } from './lines';
import type { DocumentChanges } from '../../domain/documents';

async function writeChanges(tx: Prisma.TransactionClient, documentId: string, changes: DocumentChanges, version?: number): Promise<void> {
  const data: Prisma.DocumentUpdateInput = {
    ...(changes.title !== undefined ? { title: changes.title } : {}),
    ...(changes.validUntil !== undefined ? { validUntil: new Date(changes.validUntil) } : {}),
    ...(changes.contactId !== undefined ? { contact: { connect: { id: changes.contactId } } } : {}),
    ...(changes.assigneeId !== undefined ? { assignee: { connect: { id: changes.assigneeId } } } : {}),
    ...(version !== undefined ? { version } : {}),
  };
  if (changes.lines) {
    const document = await tx.document.findUniqueOrThrow({ where: { id: documentId }, select: { currency: true } });
    // A new version starts with no option chosen: the customer picks again.
    const priced = changes.lines.map((line) => priceLine({ ...line, selected: false }));
    const totals = computeTotals(priced, document.currency);
    await tx.documentLine.deleteMany({ where: { documentId } });
    await tx.documentLine.createMany({ data: lineRows(priced).map((row) => ({ ...row, documentId })) });
    Object.assign(data, { netTotal: totals.net, taxTotal: totals.tax, grossTotal: totals.gross });
  }
  await tx.document.update({ where: { id: documentId }, data });
}

/** A draft's edit: no version, no trail (nothing was sent yet). */
export async function editDraft(prisma: PrismaClient, ref: { tenantId: string; documentId: string }, changes: DocumentChanges): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    // Only while still a draft nobody is sending: the row lock makes send and edit take turns.
    const claimed = await tx.document.updateMany({
      where: { id: ref.documentId, tenantId: ref.tenantId, status: 'draft', workflowId: null },
      data: { updatedAt: new Date() },
    });
    if (claimed.count === 0) return false;
    await writeChanges(tx, ref.documentId, changes);
    return true;
  });
}

/**
 * A sent quote's revision, as version `version`. Idempotent: the row moves from the version
 * before to this one exactly once; a retry finds it there and writes nothing.
 */
export async function applyRevision(
  prisma: PrismaClient,
  input: { tenantId: string; documentId: string; version: number; changes: DocumentChanges },
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const moved = await tx.document.updateMany({
      where: { id: input.documentId, tenantId: input.tenantId, version: input.version - 1 },
      data: { version: input.version },
    });
    if (moved.count === 0) return;
    await writeChanges(tx, input.documentId, input.changes);
  });
}
