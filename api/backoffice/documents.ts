/** /v1/documents: create, read, list, audit trail, and the quote's send / remind / cancel / PDF. */
import type { AuditEvent } from '../../generated/prisma/client';
import type { DocumentKind } from '../../domain/documents';
import { fileRoute, jsonRoute } from '../openapi';
import { createDocument, getDocument, listDocumentEvents, listDocuments, type DocumentRow, type DocumentWithLines } from '../operations/documents';
import { cancelQuote, previewQuotePdf, remindQuote, sendQuote } from '../operations/quote-lifecycle';
import {
  auditEventListSchema,
  cancelDocumentSchema,
  createDocumentSchema,
  documentListSchema,
  documentSchema,
  idParamsSchema,
  listDocumentsQuerySchema,
  pdfSchema,
  remindDocumentSchema,
  sendDocumentSchema,
  workflowStateSchema,
} from '../schemas';

const iso = (date: Date | null) => date?.toISOString() ?? null;

function presentSummary(document: DocumentRow) {
  return {
    id: document.id,
    kind: document.kind as DocumentKind,
    number: document.number,
    title: document.title,
    status: document.status,
    digitalStatus: document.digitalStatus,
    currency: document.currency,
    totals: { net: document.netTotal, tax: document.taxTotal, gross: document.grossTotal, currency: document.currency },
    customerId: document.customerId,
    contactId: document.contactId,
    assigneeId: document.assigneeId,
    validUntil: iso(document.validUntil),
    dueDate: iso(document.dueDate),
    sentAt: iso(document.sentAt),
    viewCount: document.viewCount,
    lastViewedAt: iso(document.lastViewedAt),
    downloadCount: document.downloadCount,
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
  };
}

function presentDocument(document: DocumentWithLines) {
  return {
    ...presentSummary(document),
    lines: document.lines.map((line) => ({
      id: line.id,
      position: line.position,
      description: line.description,
      quantity: Number(line.quantity),
      unitPrice: line.unitPrice,
      taxRate: Number(line.taxRate),
      optional: line.optional,
      selected: line.selected,
      netAmount: line.netAmount,
      taxAmount: line.taxAmount,
    })),
    // The commercial chain (quote → order → delivery note → invoice) starts with the document itself.
    chain: [{ id: document.id, kind: document.kind as DocumentKind, number: document.number, status: document.status }],
  };
}

function presentEvent(event: AuditEvent) {
  return { seq: event.seq, type: event.type, at: event.at.toISOString(), actor: event.actor, data: event.data as Record<string, unknown> };
}

export const documentRoutes = [
  jsonRoute({
    method: 'post',
    path: '/documents',
    tag: 'Documents',
    summary: 'Create a document as a draft; lines are priced and totals computed',
    auth: 'tenant',
    body: createDocumentSchema,
    problems: ['conflict', 'unprocessable'],
    response: { status: 201, description: 'The draft', schema: documentSchema },
    handle: async ({ deps, caller, body }) => presentDocument(await createDocument(deps.prisma, caller.tenantId, body)),
  }),
  jsonRoute({
    method: 'get',
    path: '/documents',
    tag: 'Documents',
    summary: 'List documents, newest first',
    auth: 'tenant',
    query: listDocumentsQuerySchema,
    response: { status: 200, description: 'A page of documents', schema: documentListSchema },
    handle: async ({ deps, caller, query }) => {
      const page = await listDocuments(deps.prisma, caller.tenantId, query);
      return { data: page.data.map(presentSummary), nextCursor: page.nextCursor };
    },
  }),
  jsonRoute({
    method: 'get',
    path: '/documents/:id',
    tag: 'Documents',
    summary: 'A document with its lines, counters and chain',
    auth: 'tenant',
    params: idParamsSchema,
    problems: ['not_found'],
    response: { status: 200, description: 'The document', schema: documentSchema },
    handle: async ({ deps, caller, params }) => presentDocument(await getDocument(deps.prisma, caller.tenantId, params.id)),
  }),
  jsonRoute({
    method: 'get',
    path: '/documents/:id/events',
    tag: 'Documents',
    summary: "The document's audit trail, in order",
    auth: 'tenant',
    params: idParamsSchema,
    problems: ['not_found'],
    response: { status: 200, description: 'The events', schema: auditEventListSchema },
    handle: async ({ deps, caller, params }) => (await listDocumentEvents(deps.prisma, caller.tenantId, params.id)).map(presentEvent),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/send',
    tag: 'Quotes',
    summary: 'Send a quote: starts its workflow (email with the portal link, reminders, expiry)',
    auth: 'tenant',
    params: idParamsSchema,
    body: sendDocumentSchema,
    problems: ['not_found', 'conflict', 'unprocessable', 'unavailable'],
    response: { status: 202, description: 'Sending', schema: workflowStateSchema },
    handle: ({ deps, caller, params, body }) => sendQuote(deps, caller, params.id, body),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/remind',
    tag: 'Quotes',
    summary: 'Send the reminder now (the reminder template, not the first one)',
    auth: 'tenant',
    params: idParamsSchema,
    body: remindDocumentSchema,
    problems: ['not_found', 'decision_rejected', 'unprocessable', 'unavailable'],
    response: { status: 202, description: 'Reminder on its way', schema: workflowStateSchema },
    handle: ({ deps, caller, params, idempotencyKey }) => remindQuote(deps, caller, params.id, idempotencyKey),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/cancel',
    tag: 'Quotes',
    summary: 'Cancel a quote; the customer can no longer decide',
    auth: 'tenant',
    params: idParamsSchema,
    body: cancelDocumentSchema,
    problems: ['not_found', 'decision_rejected', 'unprocessable', 'unavailable'],
    response: { status: 202, description: 'Cancelled', schema: workflowStateSchema },
    handle: ({ deps, caller, params, body, idempotencyKey }) => cancelQuote(deps, caller, params.id, body, idempotencyKey),
  }),
  fileRoute({
    method: 'get',
    path: '/documents/:id/pdf',
    tag: 'Quotes',
    summary: "The quote's PDF (a seller preview: recorded, not counted as a customer download)",
    auth: 'tenant',
    params: idParamsSchema,
    problems: ['not_found', 'unprocessable'],
    response: { description: 'The PDF', contentType: 'application/pdf', schema: pdfSchema },
    handle: async ({ deps, caller, params }) => {
      const pdf = await previewQuotePdf(deps, caller, params.id);
      return { bytes: pdf.bytes, filename: `${pdf.number}.pdf` };
    },
  }),
];
