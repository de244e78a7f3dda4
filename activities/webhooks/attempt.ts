/**
 * attemptWebhookDelivery: one attempt of one delivery, the activity the delivery workflow
 * calls once per attempt. The HTTP outcome is a value (never a thrown error), so every
 * attempt is in the attempt list and the workflow's durable timers space them out; only
 * a database failure throws, and Temporal retries that.
 */
import type { PrismaClient, WebhookAttempt } from '../../generated/prisma/client';
import type { AttemptOutcome } from '../../domain/webhooks';
import { newId } from '../../platform/ids';
import { postWebhook, type PostResult } from './post';
import { signingSecrets, signWebhook } from '../../services/webhooks/signature';

export interface AttemptWebhookDeliveryInput {
  deliveryId: string;
  /** 1, 2, ...: with the delivery id, makes a retried activity record its attempt once. */
  attempt: number;
  /** No retry follows: a failure now fails the delivery. */
  lastAttempt: boolean;
}

export interface WebhookAttemptDeps {
  prisma: PrismaClient;
  /** How long a receiver may take to answer before the attempt counts as failed. */
  timeoutMs: number;
}

const isSuccess = (statusCode: number | null | undefined) => statusCode !== undefined && statusCode !== null && statusCode >= 200 && statusCode < 300;
const GONE = 410;

function outcomeOf(attempt: Pick<PostResult, 'statusCode' | 'retryAfterMs'>): AttemptOutcome {
  if (isSuccess(attempt.statusCode)) return { kind: 'delivered' };
  if (attempt.statusCode === GONE) return { kind: 'abandoned', reason: 'the receiver answered 410 Gone: endpoint disabled' };
  return { kind: 'retry', ...(attempt.retryAfterMs !== undefined ? { retryAfterMs: attempt.retryAfterMs } : {}) };
}

function recordedOutcome(attempt: WebhookAttempt): AttemptOutcome {
  return outcomeOf({ statusCode: attempt.statusCode ?? undefined });
}

export async function attemptWebhookDelivery(deps: WebhookAttemptDeps, input: AttemptWebhookDeliveryInput): Promise<AttemptOutcome> {
  const { prisma } = deps;
  const delivery = await prisma.webhookDelivery.findUnique({ where: { id: input.deliveryId }, include: { endpoint: true } });
  if (!delivery) return { kind: 'abandoned', reason: 'the delivery no longer exists' };
  // Once delivered, never again: a replayed or duplicated workflow stops here.
  if (delivery.status === 'delivered') return { kind: 'delivered' };
  // This activity, retried after its attempt was recorded: the POST went out; don't send it twice.
  const recorded = await prisma.webhookAttempt.findUnique({ where: { deliveryId_number: { deliveryId: delivery.id, number: input.attempt } } });
  if (recorded) return recordedOutcome(recorded);

  const { endpoint } = delivery;
  if (endpoint.deletedAt || endpoint.disabledAt) {
    await prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'failed' } });
    return { kind: 'abandoned', reason: endpoint.deletedAt ? 'the endpoint was deleted' : `the endpoint is disabled (${endpoint.disabledReason})` };
  }
  const settings = await prisma.tenantSettings.findUnique({ where: { tenantId: delivery.tenantId }, select: { allowPrivateWebhookUrls: true } });

  const at = new Date();
  const result = await postWebhook({
    url: endpoint.url,
    // The delivery id is the message id: the same on every attempt, so receivers deduplicate on it.
    headers: { ...signWebhook(signingSecrets(endpoint, at), delivery.id, at, delivery.payload) },
    body: delivery.payload,
    timeoutMs: deps.timeoutMs,
    allowPrivate: settings?.allowPrivateWebhookUrls ?? false,
  });
  const outcome = outcomeOf(result);

  await prisma.$transaction(async (tx) => {
    await tx.webhookAttempt.create({
      data: {
        id: newId('wha'),
        deliveryId: delivery.id,
        number: input.attempt,
        at,
        statusCode: result.statusCode ?? null,
        durationMs: result.durationMs,
        error: result.error ?? null,
      },
    });
    if (outcome.kind === 'delivered') {
      await tx.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'delivered', deliveredAt: new Date() } });
    } else if (outcome.kind === 'abandoned') {
      await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { disabledAt: at, disabledReason: 'the receiver answered 410 Gone' } });
      await tx.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'failed' } });
    } else if (input.lastAttempt) {
      await tx.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'failed' } });
    }
  });
  return outcome;
}
