import { createHash, randomBytes } from 'node:crypto';

/** Readable, unguessable ids: "doc_3kq…". The prefix says what the id names. */
export function newId(prefix: 'ten' | 'key' | 'usr' | 'cus' | 'con' | 'doc' | 'lin' | 'lnk' | 'evt' | 'msg' | 'whe' | 'whm' | 'wha' | 'sig' | 'rev' | 'pag' | 'pay' | 'sub' | 'req' | 'prp' | 'rot'): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

export type IdPrefix = Parameters<typeof newId>[0];

/** An id made from what names a thing (a decision and its target): asked again, it is the same id. */
export function derivedId(prefix: IdPrefix, ...parts: string[]): string {
  return `${prefix}_${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 16)}`;
}

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A secret shown once (API key, link token): 256 random bits, base64url; store only its hash. */
export function newSecret(prefix = ''): { secret: string; hash: string } {
  const secret = prefix + randomBytes(32).toString('base64url');
  return { secret, hash: sha256Hex(secret) };
}
