/**
 * The back office moving documents along the commercial chain: convert (the next document
 * of the chain) and duplicate (a fresh draft outside any chain).
 */
import { convertDocument } from '../../services/db/chain';
import { recordAuditEvent } from '../../services/db/audit';
import type { ConversionTarget } from '../../domain/chain';
import { actorLabel, type DocumentKind } from '../../domain/documents';
import type { PrismaClient } from '../../generated/prisma/client';
import { sellerActor, type TenantCaller } from '../auth';
import { AppError } from '../../domain/errors';
import { createDocument, getDocument, type DocumentWithLines } from './documents';

/** The converted document; 409 with the reason when the rules refuse, or the chain already has one of that kind. */
export async function convertForSeller(prisma: PrismaClient, caller: TenantCaller, documentId: string, to: ConversionTarget): Promise<DocumentWithLines> {
  const { document, created } = await convertDocument(prisma, {
    tenantId: caller.tenantId,
    sourceId: documentId,
    to,
    actor: actorLabel(sellerActor(caller)),
    at: new Date(),
  });
  if (!created) throw new AppError('conflict', `The chain already has ${to.replace('_', ' ')} ${document.number}.`);
  return getDocument(prisma, caller.tenantId, document.id);
}

/** A new draft of the same kind, customer and lines, with its own number, in no chain. */
export async function duplicateDocument(prisma: PrismaClient, caller: TenantCaller, documentId: string): Promise<DocumentWithLines> {
  const source = await getDocument(prisma, caller.tenantId, documentId);
  const copy = await createDocument(prisma, caller.tenantId, {
    kind: source.kind as DocumentKind,
    customerId: source.customerId,
    ...(source.contactId ? { contactId: source.contactId } : {}),
    ...(source.assigneeId ? { assigneeId: source.assigneeId } : {}),
    ...(source.title ? { title: source.title } : {}),
    currency: source.currency,
    lines: source.lines.map((line) => ({
      description: line.description,
      quantity: line.quantity.toString(),
      unitPrice: line.unitPrice,
      taxRate: line.taxRate.toString(),
      optional: line.optional,
    })),
  });
  await recordAuditEvent(prisma, {
    tenantId: caller.tenantId,
    documentId: copy.id,
    // Keyed by the copy: each duplicate is a new draft (a retried request without Idempotency-Key makes another).
    dedupeKey: `created:${copy.id}`,
    type: 'created',
    at: copy.createdAt,
    actor: actorLabel(sellerActor(caller)),
    data: { duplicateOf: { id: source.id, number: source.number } },
  });
  return getDocument(prisma, caller.tenantId, copy.id);
}
