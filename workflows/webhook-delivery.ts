/**
 * The story of one webhook delivery: attempt, wait, attempt again, until the receiver
 * answers 2xx, says 410 Gone, or about three days have passed. The waits are durable
 * timers in this workflow, not activity retries, so every attempt is its own recorded
 * activity and row in the attempt list, and a worker restart loses no schedule.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { GreenlightActivities } from '../activities/types';
import { DEFAULT_WEBHOOK_RETRY_DELAYS_MS, nextAttemptDelay, type WebhookDeliveryInput, type WebhookDeliveryResult } from '../domain/webhooks';

/**
 * The activity throws only when the database is unreachable (the HTTP outcome is a value),
 * so retrying it patiently delays an attempt without hiding one.
 */
const { attemptWebhookDelivery } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<WebhookDeliveryResult> {
  const delays = input.retryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS;
  const firstAttempt = input.firstAttempt ?? 1;
  for (let retry = 0; ; retry += 1) {
    const lastAttempt = retry >= delays.length;
    const attempt = firstAttempt + retry;
    const attempts = firstAttempt + delays.length;
    const outcome = await attemptWebhookDelivery.executeWithOptions({ summary: `deliver the webhook, attempt ${attempt} of ${attempts}` }, [{ deliveryId: input.deliveryId, attempt, lastAttempt }]);
    if (outcome.kind !== 'retry') return outcome.kind;
    if (lastAttempt) return 'failed';
    await sleep(nextAttemptDelay(delays[retry] ?? 0, outcome.retryAfterMs), { summary: `wait for attempt ${attempt + 1} of ${attempts}` });
  }
}
