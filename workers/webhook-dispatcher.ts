/**
 * The webhook outbox's sweeper, run beside every worker. Deliveries of workflow events are
 * started by the recordTransition activity right after their commit; events recorded
 * elsewhere (by the API when no workflow runs, by conversions, by messages) and any
 * delivery whose recorder died between commit and dispatch are started from here, a few
 * seconds later. Several workers sweeping at once is harmless: a delivery's workflow id is
 * its own and starts once (services/webhooks/dispatch.ts).
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
