/**
 * The commercial chain in the read model: converting a document into the next one
 * (quote → order → delivery note → invoice), and listing a chain. The back office converts
 * through the API; a quote workflow converts on acceptance when the tenant asks it to
 * (autoConvertToOrder). Both go through convertDocument, so the rules (domain/chain.ts) and
 * the trail are the same.
 */
import { AppError } from '../../domain/errors';
import { numberDocument, unnumbered } from './document-numbers';
import { chainPosition, linesCarriedOver, whyNotConvertible, type ConversionTarget } from '../../domain/chain';
import type { DocumentKind } from '../../domain/documents';
import type { DocumentStatus } from '../../domain/document-statuses';
import { computeTotals } from '../../domain/money';
import type { Document, Prisma, PrismaClient } from '../../generated/prisma/client';
import { durationToMs } from '../../domain/durations';
import { DEFAULT_INVOICE_DUE_AFTER } from '../../domain/invoice';
import { lockUntilCommit } from '../../platform/db';
import { derivedId, newId } from '../../platform/ids';
import { recordAuditEvent } from './audit';
import { lineRows } from './lines';
import { carryDepositInto } from './payments';

export interface ConvertDocumentInput {
  tenantId: string;
  sourceId: string;
  to: ConversionTarget;
  /** As actorLabel() writes it. */
  actor: string;
  at: Date;
  /** The decision asking for it (a seller's request): the new document's id is derived from it, so its retry is told it made it. */
  decisionId?: string;
}

export interface ConvertedDocument {
  document: Document;
  /** false: the chain already held a document of that kind, made by another decision, which is returned instead. */
  created: boolean;
  /** The trail's events of the conversion (`converted`, `created`), recorded now or before: the caller starts their webhook deliveries. */
  eventIds: string[];
}

/**
 * Creates the next document of the source's chain, as a draft with the source's customer,
 * contact, assignee, title and the lines the source carries over (firm ones, and the optional
 * ones the customer chose); an invoice, with the deposit paid on the chain's quote as a payment
 * already received. When the chain already has a document of that kind, nothing is
 * written and that document is returned: a retried conversion finds its first result, and is
 * told it made it when it names the same decision.
 * A source the rules refuse throws AppError('conflict') with the reason, having written nothing.
 */
export async function convertDocument(prisma: PrismaClient, input: ConvertDocumentInput): Promise<ConvertedDocument> {
  // A decision's document has an id derived from it: its retry recognises the document it made.
  const newDocumentId = input.decisionId ? derivedId('doc', input.tenantId, input.sourceId, input.to, input.decisionId) : newId('doc');
  const { document, created, source } = await prisma.$transaction(async (tx) => {
    const source = await tx.document.findFirst({
      where: { id: input.sourceId, tenantId: input.tenantId },
      include: { lines: { orderBy: { position: 'asc' } } },
    });
    if (!source) throw new AppError('not_found', `No document ${input.sourceId}.`);
    const chainId = source.chainId ?? source.id;
    // Two conversions of one chain at once: the second waits here, then finds what the first made.
    await lockUntilCommit(tx, `document-chain:${chainId}`);
    const existing = await tx.document.findFirst({ where: { tenantId: input.tenantId, chainId, kind: input.to } });
    if (existing) return { document: existing, created: false, source };
    const reason = whyNotConvertible({ kind: source.kind as DocumentKind, status: source.status, digitalStatus: source.digitalStatus }, input.to);
    if (reason) throw new AppError('conflict', `${reason}.`);

    if (!source.chainId) await tx.document.update({ where: { id: source.id }, data: { chainId } });
    // An invoice is due after the tenant's payment terms, counted from the day it is made.
    const dueDate = input.to === 'invoice' ? new Date(input.at.getTime() + durationToMs(await invoiceDueAfter(tx, input.tenantId))) : null;
    const lines = linesCarriedOver(source.lines);
    const totals = computeTotals(lines, source.currency);
    const document = await tx.document.create({
      data: {
        id: newDocumentId,
        tenantId: input.tenantId,
        kind: input.to,
        number: unnumbered(newDocumentId),
        title: source.title,
        status: 'draft',
        currency: source.currency,
        customerId: source.customerId,
        contactId: source.contactId,
        assigneeId: source.assigneeId,
        netTotal: totals.net,
        taxTotal: totals.tax,
        grossTotal: totals.gross,
        dueDate,
        chainId,
        sourceDocumentId: source.id,
        lines: {
          // A chosen option is part of the deal from now on.
          create: lineRows(lines.map((line) => ({ ...line, optional: false, selected: false }))),
        },
      },
    });
    // The deposit paid with the quote's yes is already received: the invoice asks for the rest.
    if (input.to === 'invoice') await carryDepositInto(tx, { id: document.id, tenantId: input.tenantId, chainId });
    const number = await numberDocument(tx, { id: document.id, tenantId: input.tenantId, kind: input.to }, input.at);
    return { document: { ...document, number }, created: true, source };
  });

  // Keyed by the new document, so a retry after a crash here completes the trail once.
  // Recorded also when the chain already had the document: the first call may have stopped short.
  const eventIds: string[] = [];
  if (document.sourceDocumentId === source.id) {
    const trail = [
      { documentId: source.id, type: 'converted', data: { targetId: document.id, kind: document.kind, number: document.number } },
      { documentId: document.id, type: 'created', data: { from: { id: source.id, kind: source.kind, number: source.number } } },
    ] as const;
    for (const event of trail) {
      const recorded = await recordAuditEvent(prisma, { ...event, tenantId: input.tenantId, dedupeKey: `${event.type}:${document.id}`, at: input.at, actor: input.actor });
      eventIds.push(recorded.event.id);
    }
  }
  return { document, created: created || document.id === newDocumentId, eventIds };
}

/** The tenant's payment terms (settings.invoiceDueAfter); the column's default for a tenant whose settings were never written. */
export async function invoiceDueAfter(tx: Prisma.TransactionClient, tenantId: string): Promise<string> {
  const settings = await tx.tenantSettings.findUnique({ where: { tenantId }, select: { invoiceDueAfter: true } });
  return settings?.invoiceDueAfter ?? DEFAULT_INVOICE_DUE_AFTER;
}

export interface ChainLink {
  id: string;
  kind: DocumentKind;
  number: string;
  status: DocumentStatus;
}

/** Every document of the chain `document` belongs to, in chain order; itself alone when it has none. */
export async function listChain(
  prisma: PrismaClient,
  document: { id: string; tenantId: string; chainId: string | null; kind: string; number: string; status: string },
): Promise<ChainLink[]> {
  const members = document.chainId
    ? await prisma.document.findMany({
        where: { tenantId: document.tenantId, chainId: document.chainId },
        select: { id: true, kind: true, number: true, status: true },
      })
    : [document];
  return members
    .map((member) => ({ id: member.id, kind: member.kind as DocumentKind, number: member.number, status: member.status as DocumentStatus }))
    .sort((a, b) => chainPosition(a.kind) - chainPosition(b.kind));
}
