/**
 * Sending SMS through Twilio's official SDK. Activities see only SmsSender. The SDK talks to
 * TWILIO_API_URL: Twilio itself, or in development and tests the local outbox, which answers
 * Twilio's Messages API as Twilio does (devtools/outbox).
 *
 * Once per idempotency key: Twilio takes no key of its own, so each text is claimed in
 * SmsDelivery before it goes and its message id written when Twilio answers. A retry finds the
 * id and sends nothing; one that finds a claim without id (the attempt died between Twilio's
 * answer and the write, or lost the answer) asks Twilio for the messages sent to that number
 * since the claim, and sends only when this text is not among them.
 */
import type { Twilio } from 'twilio';
import type { PrismaClient } from '../../generated/prisma/client';
import type { TwilioConfig } from '../../platform/config';
import { isUniqueViolation } from '../../platform/db';
import { DeliveryError } from './delivery-error';

export interface OutgoingSms {
  /** E.164 (domain/phone.ts normalisePhone). */
  to: string;
  body: string;
  /** Stable across retries: the same key sends once. */
  idempotencyKey: string;
}

export interface SmsSender {
  send(message: OutgoingSms): Promise<{ id: string }>;
}

/** Twilio's answer to a refused request: its HTTP status and error code (21211: the To number is not valid). */
interface TwilioFailure {
  status?: number;
  code?: number;
  message?: string;
}

function deliveryError(error: unknown): DeliveryError {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as TwilioFailure;
  if (typeof failure.status !== 'number') return new DeliveryError('sms', 'unreachable', null, String(error), true);
  const retryable = failure.status >= 500 || failure.status === 429;
  return new DeliveryError('sms', String(failure.code ?? 'unexpected_response'), failure.status, failure.message ?? 'refused', retryable);
}

/**
 * Twilio's SDK speaking to `apiUrl` instead of https://api.twilio.com (the local outbox). Loaded
 * with the first text, not with the worker: its 10 MB stay out of a worker that sends none.
 */
async function twilioClient(config: TwilioConfig): Promise<Twilio> {
  const { default: twilio } = await import('twilio');
  const target = new URL(config.apiUrl);
  const httpClient = new twilio.RequestClient({ timeout: 30_000 });
  const request = httpClient.request.bind(httpClient);
  httpClient.request = (options) => {
    const uri = new URL(options.uri);
    uri.protocol = target.protocol;
    uri.host = target.host;
    return request({ ...options, uri: uri.href });
  };
  return twilio(config.accountSid, config.authToken, { httpClient });
}

/** Production without TWILIO_ACCOUNT_SID: no sender, and what needs one answers 503. */
export function createTwilioSmsSender(prisma: PrismaClient, config: TwilioConfig): SmsSender | undefined {
  if (!config.accountSid) return undefined;
  let loading: Promise<Twilio> | undefined;
  const client = () => (loading ??= twilioClient(config));

  /** The text already at Twilio for this claim: sent to the same number, from us, since it was claimed. */
  async function sentSince(claim: { to: string; body: string; claimedAt: Date }): Promise<string | undefined> {
    // A minute's margin for clocks; Twilio lists newest first.
    const since = claim.claimedAt.getTime() - 60_000;
    const messages = await (await client()).messages.list({ to: claim.to, from: config.from, limit: 50 });
    return messages.find((message) => message.body === claim.body && message.dateCreated.getTime() >= since)?.sid;
  }

  return {
    async send({ to, body, idempotencyKey }) {
      const claim = await prisma.smsDelivery.findUnique({ where: { idempotencyKey } });
      if (claim?.providerId) return { id: claim.providerId };
      if (!claim) {
        await prisma.smsDelivery.create({ data: { idempotencyKey, to, body } }).catch((error: unknown) => {
          // Another attempt claimed it just now: the text is its to send; this one tries again later.
          if (isUniqueViolation(error)) throw new DeliveryError('sms', 'in_progress', null, `${idempotencyKey} is being sent by another attempt`, true);
          throw error;
        });
      }
      const id = (claim ? await askTwilio(() => sentSince(claim)) : undefined) ?? (await askTwilio(async () => (await client()).messages.create({ to, from: config.from, body }))).sid;
      await prisma.smsDelivery.update({ where: { idempotencyKey }, data: { providerId: id } });
      return { id };
    },
  };
}

/** Twilio's refusals and silences as DeliveryErrors: what a retry can mend is retryable. */
async function askTwilio<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw deliveryError(error);
  }
}
