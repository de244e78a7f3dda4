/**
 * The webhook outbox. Called inside the audit event's own transaction (services/db/
 * audit.ts): the event and one delivery row per subscribed endpoint commit together, so an
 * event is never recorded without its deliveries nor delivered without being recorded.
 * The body is built here, once: every attempt sends (and signs) the same bytes, showing
 * the document as it was when the event happened.
 */
import type { AuditEvent, Document, Prisma } from '../../generated/prisma/client';
import type { AuditEventType } from '../../domain/documents';
import { endpointWants, webhookEventType } from '../../domain/webhooks';
import { newId } from '../../platform/ids';
import { rowFields } from '../../platform/rows';

function webhookDocument(document: Document) {
  return {
    ...rowFields(document, ['id', 'kind', 'number', 'title', 'status', 'customerId', 'contactId', 'assigneeId', 'viewCount', 'openCount', 'lastViewedAt', 'downloadCount', 'createdAt', 'updatedAt']),
    totals: { net: document.netTotal, tax: document.taxTotal, gross: document.grossTotal, currency: document.currency },
  };
}

function webhookEvent(event: AuditEvent) {
  return { ...rowFields(event, ['id', 'seq', 'type', 'at', 'actor']), data: event.data };
}

/** Writes the deliveries of the event for every endpoint that wants it; answers how many. */
export async function queueWebhookDeliveries(tx: Prisma.TransactionClient, event: AuditEvent): Promise<number> {
  const type = webhookEventType(event.type as AuditEventType);
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { tenantId: event.tenantId, disabledAt: null, deletedAt: null },
    select: { id: true, events: true },
  });
  const subscribed = endpoints.filter((endpoint) => endpointWants(endpoint.events, type));
  if (subscribed.length === 0) return 0;

  const document = await tx.document.findUniqueOrThrow({ where: { id: event.documentId } });
  const at = event.at.toISOString();
  const payload = JSON.stringify({
    type,
    // Standard Webhooks names it `timestamp`; `createdAt`, its name before, stays for one release.
    timestamp: at,
    createdAt: at,
    data: { document: webhookDocument(document), event: webhookEvent(event) },
  });
  const { count } = await tx.webhookDelivery.createMany({
    data: subscribed.map((endpoint) => ({ id: newId('whm'), tenantId: event.tenantId, endpointId: endpoint.id, auditEventId: event.id, type, payload })),
  });
  return count;
}
