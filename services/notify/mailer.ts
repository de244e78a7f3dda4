/**
 * Sending email. Activities see only the Mailer interface; createResendMailer talks to
 * Resend through its SDK, or to the local outbox (devtools/outbox) when baseUrl points
 * there, so development and tests exercise the very requests production sends.
 */
import { Resend } from 'resend';
import { DeliveryError } from './delivery-error';

export interface EmailAttachment {
  filename: string;
  content: Uint8Array;
  contentType?: string;
}

export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
  attachments?: EmailAttachment[];
  /** Stable across retries: the provider sends a message once per key (24 h at Resend). */
  idempotencyKey: string;
}

export interface Mailer {
  send(message: OutgoingEmail): Promise<{ id: string }>;
}

/** Resend's codes for a request that will fail the same way however often it is sent. */
const REFUSED_FOR_GOOD = new Set([
  'validation_error',
  'missing_required_field',
  'invalid_parameter',
  'invalid_from_address',
  'invalid_attachment',
  'invalid_idempotency_key',
  'invalid_idempotent_request',
]);

/** The outbox accepts any key; an empty one would make the SDK throw before sending anything. */
const LOCAL_OUTBOX_KEY = 're_local_outbox';

export function createResendMailer(options: { apiKey: string; baseUrl: string }): Mailer {
  const resend = new Resend(options.apiKey || LOCAL_OUTBOX_KEY, { baseUrl: options.baseUrl.replace(/\/$/, '') });
  return {
    async send(message) {
      const { data, error } = await resend.emails.send(
        {
          from: message.from,
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
          ...(message.attachments?.length
            ? {
                attachments: message.attachments.map((attachment) => ({
                  filename: attachment.filename,
                  content: Buffer.from(attachment.content),
                  ...(attachment.contentType ? { contentType: attachment.contentType } : {}),
                })),
              }
            : {}),
        },
        { idempotencyKey: message.idempotencyKey },
      );
      if (error) {
        throw new DeliveryError('email', error.name, error.statusCode, error.message, !REFUSED_FOR_GOOD.has(error.name));
      }
      return { id: data.id };
    },
  };
}
