/**
 * Standard Webhooks signing, with the standard's own reference library (`standardwebhooks`):
 * the secret is "whsec_" + base64 of random bytes, and a message is signed
 * `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`. Using the library
 * rather than our reading of the spec means a receiver on any of its reference libraries
 * verifies what we send.
 *
 * Rotation: a rotated endpoint's previous secret keeps signing beside the new one for
 * SECRET_OVERLAP_MS (the standard allows several space-separated signatures in
 * `webhook-signature`), so a receiver can switch to the new secret whenever it likes in that
 * window without dropping a delivery.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const SECRET_PREFIX = 'whsec_';
/** The spec asks for 24 to 64 bytes. */
const SECRET_BYTES = 32;
/** How long a rotated-out secret still signs. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** An endpoint's secrets as stored: the current one, and the one a rotation replaced with its expiry. */
export interface EndpointSecrets {
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/** The secrets that sign a message sent at `at`: the current one, and the previous one until it expires. */
export function signingSecrets(endpoint: EndpointSecrets, at: Date): string[] {
  const { secret, previousSecret, previousSecretExpiresAt } = endpoint;
  return previousSecret && previousSecretExpiresAt && previousSecretExpiresAt > at ? [secret, previousSecret] : [secret];
}

/** The three headers of one attempt, `webhook-signature` holding one signature per secret. */
export function signWebhook(secrets: readonly string[], messageId: string, at: Date, body: string): SignedHeaders {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body));
  return { 'webhook-id': messageId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signatures.join(' ') };
}
