/** Webhook endpoints of a tenant, their deliveries, and replaying a failed delivery by hand. */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { PrismaClient, WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../../generated/prisma/client';
import { checkDestination, DestinationRefused } from '../../services/webhooks/destination';
import { startDeliveryWorkflow, type WebhookDispatcher } from '../../services/webhooks/dispatch';
import { webhookWorkflowId } from '../../domain/webhooks';
import { newWebhookSecret, SECRET_OVERLAP_MS } from '../../services/webhooks/signature';
import { insertOnce } from '../../platform/db';
import type { AppDeps } from '../app';
import { AppError } from '../../domain/errors';
import { NEWEST_FIRST, OLDEST_FIRST, readPage, type Page, type PageRequest } from './pagination';

export interface NewWebhookEndpoint {
  url: string;
  events: string[];
}

export async function createWebhookEndpoint(prisma: PrismaClient, tenantId: string, input: NewWebhookEndpoint, id: string): Promise<WebhookEndpoint> {
  const settings = await prisma.tenantSettings.findUnique({ where: { tenantId }, select: { allowPrivateWebhookUrls: true } });
  try {
    await checkDestination(new URL(input.url), settings?.allowPrivateWebhookUrls ?? false);
  } catch (error) {
    if (!(error instanceof DestinationRefused)) throw error;
    throw new AppError('unprocessable', error.message, [{ path: 'url', message: error.message }]);
  }
  return insertOnce(
    () => prisma.webhookEndpoint.create({ data: { id, tenantId, url: input.url, events: [...new Set(input.events)], secret: newWebhookSecret() } }),
    () => prisma.webhookEndpoint.findFirst({ where: { id, tenantId } }),
  );
}

/** In the order they were registered. */
export function listWebhookEndpoints(prisma: PrismaClient, tenantId: string, page: PageRequest): Promise<Page<WebhookEndpoint>> {
  return readPage(page, OLDEST_FIRST, ({ after, orderBy, take }) => prisma.webhookEndpoint.findMany({ where: { tenantId, deletedAt: null, ...after }, orderBy, take }));
}

async function findEndpoint(prisma: PrismaClient, tenantId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = await prisma.webhookEndpoint.findFirst({ where: { id, tenantId, deletedAt: null } });
  if (!endpoint) throw new AppError('not_found', `No webhook endpoint ${id}.`);
  return endpoint;
}

/** Deliveries still waiting stop at their next attempt; the history stays listed. */
export async function deleteWebhookEndpoint(prisma: PrismaClient, tenantId: string, id: string): Promise<WebhookEndpoint> {
  await findEndpoint(prisma, tenantId, id);
  return prisma.webhookEndpoint.update({ where: { id }, data: { deletedAt: new Date() } });
}

/**
 * A new secret for the endpoint; the one it replaces keeps signing beside it for
 * SECRET_OVERLAP_MS. Rotating again within that window drops the older one at once: only the
 * secret just replaced is kept. The update is conditional on the secret read, so of two
 * concurrent rotations one wins and the other is told, rather than handing out a secret that
 * never signs.
 *
 * `rotationId` is the route's createdId (api/openapi.ts). The resend of the rotation that made the
 * current secret (after its API died: the same Idempotency-Key) gives that secret anew — the first
 * attempt's was never shown — and keeps the secret it replaced until its overlap ends, rather than
 * rotating again and dropping the one the receiver still holds.
 */
export async function rotateWebhookSecret(prisma: PrismaClient, tenantId: string, id: string, rotationId: string): Promise<{ secret: string; previousSecretExpiresAt: Date }> {
  const endpoint = await findEndpoint(prisma, tenantId, id);
  const firstOverlapEnd = endpoint.rotationId === rotationId ? endpoint.previousSecretExpiresAt : null;
  const rotated = { secret: newWebhookSecret(), previousSecretExpiresAt: firstOverlapEnd ?? new Date(Date.now() + SECRET_OVERLAP_MS) };
  const { count } = await prisma.webhookEndpoint.updateMany({
    where: { id, secret: endpoint.secret },
    data: firstOverlapEnd ? { secret: rotated.secret } : { ...rotated, previousSecret: endpoint.secret, rotationId },
  });
  if (count === 0) throw new AppError('conflict', 'The secret was rotated by another request meanwhile; rotate again if that one is not yours.');
  return rotated;
}

export type DeliveryWithAttempts = WebhookDelivery & { attempts: WebhookAttempt[] };

export async function listWebhookDeliveries(
  prisma: PrismaClient,
  tenantId: string,
  endpointId: string,
  page: PageRequest,
): Promise<Page<DeliveryWithAttempts>> {
  await findEndpoint(prisma, tenantId, endpointId);
  return readPage(page, NEWEST_FIRST, ({ after, orderBy, take }) =>
    prisma.webhookDelivery.findMany({ where: { endpointId, tenantId, ...after }, include: { attempts: { orderBy: { number: 'asc' } } }, orderBy, take }),
  );
}

function apiDispatcher(deps: AppDeps): WebhookDispatcher {
  return { client: deps.temporal, taskQueue: deps.config.taskQueue, retryDelaysMs: deps.config.webhooks.retryDelaysMs };
}

/** How long a replay waits for the last run of a delivery to close before answering 409. */
const PREVIOUS_RUN_GRACE_MS = 10_000;

/**
 * The last attempt marks its row failed just before its workflow returns, so a replay asked
 * for at once may find that run still closing: wait for it, briefly.
 */
async function previousRunClosed(deps: AppDeps, deliveryId: string): Promise<void> {
  const closed = deps.temporal.workflow
    .getHandle(webhookWorkflowId(deliveryId))
    .result()
    .then(
      () => undefined,
      // Failed, terminated or never started: nothing to wait for either.
      () => undefined,
    );
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, PREVIOUS_RUN_GRACE_MS)));
  await Promise.race([closed, grace]);
  clearTimeout(timer);
}

/**
 * A failed delivery, sent again with the same webhook-id (receivers that saw it already
 * drop it) and a fresh retry schedule. Replaying re-enables an endpoint disabled by a 410:
 * asking for it by hand says the receiver is back.
 */
export async function replayWebhookDelivery(deps: AppDeps, tenantId: string, deliveryId: string): Promise<DeliveryWithAttempts> {
  const { prisma } = deps;
  const delivery = await prisma.webhookDelivery.findFirst({ where: { id: deliveryId, tenantId }, include: { endpoint: true, attempts: true } });
  if (!delivery) throw new AppError('not_found', `No webhook delivery ${deliveryId}.`);
  if (delivery.endpoint.deletedAt) throw new AppError('conflict', 'The endpoint of this delivery was deleted.');
  if (delivery.status !== 'failed') throw new AppError('conflict', `Only a failed delivery can be replayed; this one is ${delivery.status}.`);
  await previousRunClosed(deps, delivery.id);

  await prisma.$transaction([
    prisma.webhookEndpoint.update({ where: { id: delivery.endpointId }, data: { disabledAt: null, disabledReason: null } }),
    prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'pending' } }),
  ]);
  const firstAttempt = Math.max(0, ...delivery.attempts.map((attempt) => attempt.number)) + 1;
  try {
    await startDeliveryWorkflow(apiDispatcher(deps), delivery.id, { replay: { firstAttempt } });
  } catch (error) {
    await prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'failed' } });
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new AppError('conflict', 'The previous run of this delivery is still finishing; replay it in a moment.');
    }
    throw error;
  }
  return prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id }, include: { attempts: { orderBy: { number: 'asc' } } } });
}
