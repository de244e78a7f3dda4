/**
 * From the outbox to Temporal: one delivery workflow per delivery row, `webhook-<id>`.
 *
 * Why this design: the rows are written in the audit event's transaction (nothing to lose
 * there); starting the workflows comes right after the commit, from the activity that recorded
 * the event — every audit row but a page's open is written by one (recordTransition,
 * recordFact, a conversion, a request's charge) — which Temporal retries until it succeeds: a
 * crash between commit and start is retried into a start. The start is idempotent: the
 * workflow id is the delivery's, started with REJECT_DUPLICATE, and the row's dispatchedAt says
 * it was done, so a retried dispatch starts nothing twice, even after the first workflow
 * finished. A page's open is written by the API (api/portal/view-tracking.ts), which no one
 * retries: its deliveries, if the API died or Temporal was away between commit and start, are
 * started by dispatchStaleWebhookDeliveries, the workers' safety net.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { PrismaClient } from '../../generated/prisma/client';
import { tenantFilter, type SweepScope } from '../db/sweep-scope';
import { webhookWorkflowId, type WebhookDeliveryInput } from '../../domain/webhooks';
import type { webhookDeliveryWorkflow } from '../../workflows/webhook-delivery';

export interface WebhookDispatcher {
  client: Client;
  taskQueue: string;
  /** Waits between attempts, given to each delivery workflow (tests use seconds). */
  retryDelaysMs?: number[];
}

export interface StartDeliveryOptions {
  /** A replay by hand starts the same workflow id again, after the failed run closed. */
  replay?: { firstAttempt: number };
}

export async function startDeliveryWorkflow(dispatcher: WebhookDispatcher, deliveryId: string, options: StartDeliveryOptions = {}): Promise<void> {
  const input: WebhookDeliveryInput = {
    deliveryId,
    ...(dispatcher.retryDelaysMs ? { retryDelaysMs: dispatcher.retryDelaysMs } : {}),
    ...(options.replay ? { firstAttempt: options.replay.firstAttempt } : {}),
  };
  try {
    await dispatcher.client.workflow.start<typeof webhookDeliveryWorkflow>('webhookDeliveryWorkflow', {
      taskQueue: dispatcher.taskQueue,
      workflowId: webhookWorkflowId(deliveryId),
      args: [input],
      workflowIdReusePolicy: options.replay ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
      staticSummary: `Deliver webhook ${deliveryId}${options.replay ? `, replayed from attempt ${options.replay.firstAttempt}` : ''}`,
    });
  } catch (error) {
    // Already running or already ran: that delivery is in hand. A replay must really start, though.
    if (options.replay || !(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

async function dispatch(prisma: PrismaClient, dispatcher: WebhookDispatcher, deliveryIds: string[]): Promise<void> {
  for (const id of deliveryIds) {
    await startDeliveryWorkflow(dispatcher, id);
    await prisma.webhookDelivery.update({ where: { id }, data: { dispatchedAt: new Date() } });
  }
}

/**
 * Starts the delivery workflows of one audit event still undispatched (a no-op when it has
 * none or they run). The dispatcher is asked for only when there is something to start.
 */
export async function dispatchWebhookDeliveries(prisma: PrismaClient, dispatcher: () => WebhookDispatcher, auditEventId: string): Promise<void> {
  const rows = await prisma.webhookDelivery.findMany({ where: { auditEventId, dispatchedAt: null }, select: { id: true } });
  if (rows.length > 0) await dispatch(prisma, dispatcher(), rows.map((row) => row.id));
}

/** The safety net: deliveries whose recorder could not start them (a page's open while Temporal was away, an API killed). */
export async function dispatchStaleWebhookDeliveries(prisma: PrismaClient, dispatcher: WebhookDispatcher, olderThanMs: number, scope?: SweepScope): Promise<number> {
  const rows = await prisma.webhookDelivery.findMany({
    where: { dispatchedAt: null, status: 'pending', createdAt: { lt: new Date(Date.now() - olderThanMs) }, ...tenantFilter(scope) },
    select: { id: true },
    take: 500,
  });
  await dispatch(prisma, dispatcher, rows.map((row) => row.id));
  return rows.length;
}
