/**
 * Outbound webhooks, the pure part: which event types exist, which endpoint wants which
 * event, and how long a failing delivery keeps being retried.
 */
import { AUDIT_EVENT_TYPES, type AuditEventType } from './documents';

/** Every audit event of a document is a webhook event: "document.<audit event type>". */
export type WebhookEventType = `document.${AuditEventType}`;
export const WEBHOOK_EVENT_TYPES = AUDIT_EVENT_TYPES.map((type) => `document.${type}` as WebhookEventType);
/** What an endpoint may subscribe to: one event type, or every document event. */
export const WEBHOOK_SUBSCRIPTIONS = ['document.*', ...WEBHOOK_EVENT_TYPES] as const;

export function webhookEventType(auditType: AuditEventType): WebhookEventType {
  return `document.${auditType}`;
}

export function endpointWants(subscriptions: readonly string[], type: WebhookEventType): boolean {
  return subscriptions.includes('document.*') || subscriptions.includes(type);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Waits between attempts, after the first: ten attempts over about three days (75.6 h), as
 * Standard Webhooks suggests — quick retries catch a blip, the long tail outlives a weekend
 * outage of the receiver.
 */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
];

/** A receiver's Retry-After is honoured up to this: a typo of a year must not stall a delivery for good. */
const MAX_RETRY_AFTER_MS = 24 * HOUR;

/** The wait before the next attempt: the schedule's, or longer when the receiver asked for it. */
export function nextAttemptDelay(scheduledMs: number, retryAfterMs?: number): number {
  return Math.max(scheduledMs, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** How one attempt went, as the delivery workflow needs to know it. */
export type AttemptOutcome =
  /** 2xx: done, never sent again. */
  | { kind: 'delivered' }
  /** Anything else that may succeed later; retryAfterMs when the receiver said when. */
  | { kind: 'retry'; retryAfterMs?: number }
  /** Nothing more to do: 410 Gone (the endpoint is now disabled), the endpoint deleted or disabled, or already delivered. */
  | { kind: 'abandoned'; reason: string };

/** The delivery workflow's id: one workflow per delivery, so a delivery never runs twice at once. */
export function webhookWorkflowId(deliveryId: string): string {
  return `webhook-${deliveryId}`;
}

export interface WebhookDeliveryInput {
  deliveryId: string;
  /** Waits between attempts; tests pass seconds. Defaults to DEFAULT_WEBHOOK_RETRY_DELAYS_MS. */
  retryDelaysMs?: number[];
  /** Number of the first attempt of this run: a replay by hand goes on after the earlier attempts. */
  firstAttempt?: number;
}

export type WebhookDeliveryResult = 'delivered' | 'failed' | 'abandoned';
