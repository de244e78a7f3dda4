/**
 * The webhook outbox's safety net, run beside every worker. Every recorder starts its events'
 * deliveries right after its commit: the activities (retried by Temporal until they do) and the
 * API for a page's open (api/portal/view-tracking.ts), which nobody retries. A delivery that
 * recorder could not start — Temporal away for a moment, the API killed between commit and
 * start — is started from here a few seconds later. Several workers sweeping at once is
 * harmless: a delivery's workflow id is its own and starts once (services/webhooks/dispatch.ts).
 */
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../generated/prisma/client';
import { dispatchStaleWebhookDeliveries } from '../services/webhooks/dispatch';
import type { SweepScope } from '../services/db/sweep-scope';
import { startSweeper, type Sweeper } from './sweeper';

/** Younger rows are left to their recorder, which dispatches them at once. */
const STALE_AFTER_MS = 2_000;
const SWEEP_EVERY_MS = 2_000;

export type WebhookSweeper = Sweeper;

export function startWebhookSweeper(options: {
  prisma: PrismaClient;
  client: Client;
  taskQueue: string;
  retryDelaysMs?: number[];
  scope?: SweepScope;
}): WebhookSweeper {
  const dispatcher = { client: options.client, taskQueue: options.taskQueue, retryDelaysMs: options.retryDelaysMs };
  return startSweeper('webhooks', SWEEP_EVERY_MS, () => dispatchStaleWebhookDeliveries(options.prisma, dispatcher, STALE_AFTER_MS, options.scope));
}
