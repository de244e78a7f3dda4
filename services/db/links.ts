/**
 * Customer links: one token opens one document for one recipient, with the actions that
 * recipient may take. The token (256 bits) leaves this module only inside the URL; the
 * database keeps its SHA-256, so a leaked table opens nothing.
 */
import { createHmac } from 'node:crypto';
import type { AccessLink, PrismaClient } from '../../generated/prisma/client';
import type { Prisma } from '../../generated/prisma/client';
import type { LinkAction } from '../../domain/documents';
import { newId, newSecret, sha256Hex } from '../../platform/ids';

export interface LinkRecipient {
  contactId?: string;
  name?: string;
  email?: string;
  phone?: string;
}

export interface CreateAccessLinkInput {
  tenantId: string;
  documentId: string;
  recipient: LinkRecipient;
  actions: LinkAction[];
  expiresAt?: Date;
  /** The document version the link is made for (the current one when absent). */
  documentVersion?: number;
  /** A colleague's link: the link whose recipient forwarded the document. */
  forwardedFromLinkId?: string;
  /** A decider's link (domain/deciders.ts): whose votes it carries. */
  deciderId?: string;
}

export interface CreatedAccessLink {
  link: AccessLink;
  /** Shown once, in the message sent; never stored. */
  token: string;
  url: string;
}

/** The portal address of a token: what every email and SMS carries. */
function portalUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/d/${token}`;
}

/** Stores a link for a token; the same token twice gives back the first link. */
async function saveLink(prisma: PrismaClient, input: CreateAccessLinkInput, token: string, publicUrl: string): Promise<CreatedAccessLink> {
  const tokenHash = sha256Hex(token);
  const documentVersion =
    input.documentVersion ?? (await prisma.document.findUniqueOrThrow({ where: { id: input.documentId }, select: { version: true } })).version;
  // The no-op update (the token's hash, unchanged) lets Prisma send one INSERT … ON CONFLICT DO
  // UPDATE … RETURNING: with an empty one it reads, inserts and reads again in a transaction of
  // its own, five statements for each message that carries a link (issue 12).
  const link = await prisma.accessLink.upsert({
    where: { tokenHash },
    update: { tokenHash },
    create: {
      id: newId('lnk'),
      tenantId: input.tenantId,
      documentId: input.documentId,
      tokenHash,
      contactId: input.recipient.contactId ?? null,
      recipientName: input.recipient.name ?? null,
      recipientEmail: input.recipient.email ?? null,
      recipientPhone: input.recipient.phone ?? null,
      actions: [...new Set(input.actions)],
      expiresAt: input.expiresAt ?? null,
      documentVersion,
      forwardedFromLinkId: input.forwardedFromLinkId ?? null,
      deciderId: input.deciderId ?? null,
    },
  });
  return { link, token, url: portalUrl(publicUrl, token) };
}

/** A link with a random token (back office "create a link", forwards to a colleague). */
export function createAccessLink(prisma: PrismaClient, input: CreateAccessLinkInput, publicUrl: string): Promise<CreatedAccessLink> {
  return saveLink(prisma, input, newSecret().secret, publicUrl);
}

/**
 * The link carried by one outgoing message. Its token is an HMAC of the message's
 * idempotency key under the server secret: 256 bits nobody can compute without the
 * secret, and the same on every attempt. That is what makes sending idempotent: a retried
 * send renders byte-for-byte the same email, which the mail provider recognises by its
 * idempotency key (Resend refuses the same key with a different body), and the retry finds
 * the link row it already wrote instead of minting one nobody received.
 */
export function createMessageAccessLink(
  prisma: PrismaClient,
  input: CreateAccessLinkInput,
  publicUrl: string,
  message: { secret: string; idempotencyKey: string },
): Promise<CreatedAccessLink> {
  const token = createHmac('sha256', message.secret)
    .update(`access-link\0${input.tenantId}\0${input.documentId}\0${message.idempotencyKey}`)
    .digest('base64url');
  return saveLink(prisma, input, token, publicUrl);
}

export const linkDocumentInclude = {
  // The seller's identity and time zone, and its logo's address (never its bytes): every portal page shows them.
  tenant: { include: { settings: { select: { seller: true, timeZone: true } }, logo: { select: { sha256: true, width: true, height: true } } } },
  customer: true,
  contact: true,
  lines: { orderBy: { position: 'asc' } },
  // Whom the customer can ask, and whether it was signed: every quote page shows both.
  assignee: { select: { name: true, email: true, tenantId: true } },
  signatures: { select: { id: true }, take: 1 },
} as const satisfies Prisma.DocumentInclude;

export type LinkedDocument = Prisma.DocumentGetPayload<{ include: typeof linkDocumentInclude }>;

/** Why a link opens nothing any more: the error code its 410 answer carries. */
export type LinkGone = 'link_revoked' | 'document_cancelled' | 'link_expired';

export interface FoundLink {
  link: AccessLink;
  document: LinkedDocument;
  /** Set when the link opens nothing any more: the portal says why (410), and nothing else runs. */
  gone: LinkGone | null;
}

/** A link turned off by the seller first, then a cancelled document, then the link's own expiry: the most telling reason wins. */
function whyGone(link: AccessLink, document: LinkedDocument, now: Date): LinkGone | null {
  if (link.revokedAt) return 'link_revoked';
  if (document.status === 'cancelled') return 'document_cancelled';
  if (link.expiresAt !== null && link.expiresAt.getTime() <= now.getTime()) return 'link_expired';
  return null;
}

/** A colleague's link opens its one document and nothing else of the account: no chain, no conversation, no forwarding. */
export function isColleagueLink(link: Pick<AccessLink, 'forwardedFromLinkId'>): boolean {
  return link.forwardedFromLinkId !== null;
}

/** newSecret's tokens: 32 bytes in base64url, no padding. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The link a token opens, or null for an unknown or malformed token. A link that opens
 * nothing any more (revoked, expired, its document cancelled) is found with the reason, so
 * the customer is told whom to ask. Looking up by hash means a token matches only its own row.
 */
export async function findLinkByToken(prisma: PrismaClient, token: string, now = new Date()): Promise<FoundLink | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const found = await prisma.accessLink.findUnique({
    where: { tokenHash: sha256Hex(token) },
    include: { document: { include: linkDocumentInclude } },
  });
  if (!found) return null;
  const { document, ...link } = found;
  return { link, document, gone: whyGone(link, document, now) };
}
