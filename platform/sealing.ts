/**
 * Secrets kept at rest, sealed with AES-256-GCM under a key derived from APP_SECRET and a
 * purpose (one key per use, so a sealed value of one kind never opens as another): the
 * idempotent answers that hold a secret shown once (api/idempotency.ts), a tenant's own
 * GetAccept credentials (services/signature/tenant-credentials.ts). A leaked table holds no
 * usable secret; a value altered at rest fails its tag and is refused.
 *
 * Sealed form: base64 of iv (12 bytes) · tag (16 bytes) · ciphertext.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export type SealingPurpose = 'idempotent-answer' | 'getaccept-credentials';

function sealingKey(purpose: SealingPurpose, secret: string): Buffer {
  return createHash('sha256').update(`${purpose}:v1:${secret}`).digest();
}

/** The value as JSON, sealed. */
export function sealJson(value: unknown, secret: string, purpose: SealingPurpose): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(purpose, secret), iv);
  const text = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), text]).toString('base64');
}

/** What sealJson sealed; throws when the value was altered or sealed under another secret or purpose. */
export function unsealJson(sealed: string, secret: string, purpose: SealingPurpose): unknown {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(purpose, secret), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8'));
}
