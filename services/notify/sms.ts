/**
 * Sending SMS. Activities see only SmsSender; no SMS provider is wired yet, so the one
 * implementation posts to the local outbox (`POST /sms`), which lists texts beside the
 * emails. A provider (Twilio, 46elks, ...) is another implementation of this interface.
 */
import { DeliveryError } from './delivery-error';

export interface OutgoingSms {
  to: string;
  body: string;
  /** Sender name shown on the phone. */
  from?: string;
  /** Stable across retries: the same key sends once. */
  idempotencyKey: string;
}

export interface SmsSender {
  send(message: OutgoingSms): Promise<{ id: string }>;
}

export function createOutboxSmsSender(outboxUrl: string): SmsSender {
  const endpoint = `${outboxUrl.replace(/\/$/, '')}/sms`;
  return {
    async send(message) {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            authorization: 'Bearer local-outbox',
            'content-type': 'application/json',
            'idempotency-key': message.idempotencyKey,
          },
          body: JSON.stringify({ to: message.to, body: message.body, ...(message.from ? { from: message.from } : {}) }),
        });
      } catch (error) {
        throw new DeliveryError('sms', 'unreachable', null, `outbox at ${endpoint}: ${String(error)}`, true);
      }
      const body = (await response.json().catch(() => ({}))) as { id?: string; name?: string; message?: string };
      if (!response.ok || !body.id) {
        const retryable = response.status >= 500 || response.status === 429;
        throw new DeliveryError('sms', body.name ?? 'unexpected_response', response.status, body.message ?? response.statusText, retryable);
      }
      return { id: body.id };
    },
  };
}
