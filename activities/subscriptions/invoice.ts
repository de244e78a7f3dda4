/**
 * The invoice of one period of a subscription billed by invoice: an invoice document made once
 * per (subscription, period) — its id derived from both, its SubscriptionInvoice row beside it
 * in one transaction — with one line for the plan over the period's dates, due after the
 * tenant's payment terms, and its `created` event (data.from: the subscription and the period)
 * recorded, whose webhooks the activity starts. It answers what the invoice's workflow starts
 * with (workflows/subscription.ts starts it, under the document's own workflow id, which the
 * row names from the start: the workflow sends it). A retry finds the invoice its first
 * attempt made, and records nothing twice.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { priceLine } from '../../domain/money';
import { durationToMs } from '../../domain/durations';
import { lockUntilCommit } from '../../platform/db';
import { derivedId } from '../../platform/ids';
import { recordAuditEvent } from '../../services/db/audit';
import { invoiceDueAfter } from '../../services/db/chain';
import { numberDocument, unnumbered } from '../../services/db/document-numbers';
import { lineRows } from '../../services/db/lines';
import { invoiceWorkflowInput } from '../../services/invoice-terms';
import { documentWorkflowId } from '../../workflows/messages/document';
import type { IssuedSubscriptionInvoice, IssueSubscriptionInvoiceInput } from './types';

const isoDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

export async function issueSubscriptionInvoice(
  prisma: PrismaClient,
  input: IssueSubscriptionInvoiceInput,
): Promise<{ issued: IssuedSubscriptionInvoice; createdEventId: string }> {
  const { tenantId, subscriptionId, customerId, period } = input;
  const documentId = derivedId('doc', tenantId, subscriptionId, `period-${period}`);
  const at = new Date(input.at);
  const invoice = await prisma.$transaction(async (tx) => {
    // Two attempts at the same period at once: the second waits here, then finds the first's invoice.
    await lockUntilCommit(tx, `document:${documentId}`);
    const existing = await tx.document.findFirst({ where: { id: documentId, tenantId } });
    if (existing) return existing;
    // Dates, not words: the line reads the same in every language.
    const line = priceLine({ description: `${input.planName} · ${isoDay(input.from)} – ${isoDay(input.to)}`, quantity: 1, unitPrice: input.amount });
    const created = await tx.document.create({
      data: {
        id: documentId,
        tenantId,
        kind: 'invoice',
        number: unnumbered(documentId),
        title: input.planName,
        status: 'draft',
        currency: input.currency,
        customerId,
        netTotal: line.netAmount,
        taxTotal: line.taxAmount,
        grossTotal: line.netAmount + line.taxAmount,
        dueDate: new Date(at.getTime() + durationToMs(await invoiceDueAfter(tx, tenantId))),
        workflowId: documentWorkflowId('invoice', documentId),
        lines: { create: lineRows([line]) },
      },
    });
    await tx.subscriptionInvoice.create({ data: { subscriptionId, period, documentId } });
    return { ...created, number: await numberDocument(tx, { id: documentId, tenantId, kind: 'invoice' }, at) };
  });
  const { event } = await recordAuditEvent(prisma, {
    tenantId,
    documentId,
    type: 'created',
    dedupeKey: `created:${documentId}`,
    at,
    actor: 'system',
    data: { from: { subscriptionId, period } },
  });
  const [customer, settings] = await Promise.all([
    prisma.customer.findUniqueOrThrow({ where: { id: customerId }, select: { name: true } }),
    prisma.tenantSettings.upsert({ where: { tenantId }, create: { tenantId }, update: {} }),
  ]);
  const workflowInput = invoiceWorkflowInput(
    {
      tenantId,
      documentId,
      customerId,
      number: invoice.number,
      ...(invoice.title ? { title: invoice.title } : {}),
      customerName: customer.name,
      send: { channel: 'email', attachPdf: false },
      sentBy: { kind: 'system' },
    },
    invoice,
    settings,
  );
  return { issued: { documentId, number: invoice.number, workflowInput }, createdEventId: event.id };
}
