/**
 * Customer links the seller makes, lists and turns off (seed 002: every document but a draft
 * has its web link, which the seller copies to hand over in a chat or a text). A link is
 * services/db/links.ts's, as an emailed one: one token for one recipient of one document,
 * kept as its SHA-256 only. Making and revoking one is in the document's trail (link_created,
 * link_revoked), by the seller, recorded by a fact workflow (api/operations/facts.ts); the
 * portal answers a revoked link 410 at once.
 */
import { createAccessLink, type CreatedAccessLink, type LinkRecipient } from '../../services/db/links';
import { actorLabel, customerLinkActions, type LinkAction } from '../../domain/documents';
import { AppError, type FieldError } from '../../domain/errors';
import type { AccessLink, PrismaClient } from '../../generated/prisma/client';
import type { AppDeps } from '../app';
import type { TenantCaller } from '../auth';
import { assertDocumentOf } from './documents';
import { recordFact, sellerFact } from './facts';
import { mapPage, NEWEST_FIRST, readPage, type Page, type PageRequest } from './pagination';

export interface CreateLinkInput {
  recipient: { contactId: string } | { email: string; name?: string };
  actions?: LinkAction[];
  expiresAt?: string;
}

interface LinkableDocument {
  id: string;
  tenantId: string;
  customerId: string;
  number: string;
  kind: string;
  status: string;
  digitalStatus: string | null;
}

/** A draft has no customer link until it is sent; a cancelled document's links all answer 410. */
function whyNoLink(document: LinkableDocument): AppError | undefined {
  if (document.status === 'draft') {
    return new AppError('conflict', `${document.number} is a draft: it has no customer link until it is sent (POST /v1/documents/${document.id}/send).`);
  }
  if (document.status === 'cancelled') return new AppError('conflict', `${document.number} is cancelled: its links answer 410 Gone.`);
  return undefined;
}

/** The recipient as the link keeps it; a contact must be one of the document's customer's. */
async function linkRecipient(prisma: PrismaClient, document: LinkableDocument, recipient: CreateLinkInput['recipient']): Promise<LinkRecipient | undefined> {
  if (!('contactId' in recipient)) return recipient;
  const contact = await prisma.contact.findFirst({ where: { id: recipient.contactId, tenantId: document.tenantId, customerId: document.customerId } });
  if (!contact) return undefined;
  return { contactId: contact.id, name: contact.name, ...(contact.email ? { email: contact.email } : {}), ...(contact.phone ? { phone: contact.phone } : {}) };
}

/**
 * A new link for a sent document. `view` is always granted; the other actions default to what
 * the document's emailed links carry, and may not exceed it. An Idempotency-Key replay gets the
 * same URL from the answer kept sealed (api/idempotency.ts).
 */
export async function createSellerLink(
  deps: AppDeps,
  caller: TenantCaller,
  documentId: string,
  input: CreateLinkInput,
  now = new Date(),
): Promise<CreatedAccessLink> {
  const document = await deps.prisma.document.findFirst({ where: { id: documentId, tenantId: caller.tenantId } });
  if (!document) throw new AppError('not_found', `No document ${documentId}.`);
  const refusal = whyNoLink(document);
  if (refusal) throw refusal;

  const allowed = customerLinkActions(document.kind, document.digitalStatus);
  const actions: LinkAction[] = input.actions ? [...new Set<LinkAction>(['view', ...input.actions])] : allowed;
  const recipient = await linkRecipient(deps.prisma, document, input.recipient);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : undefined;
  const errors: FieldError[] = [];
  const outOfKind = actions.filter((action) => !allowed.includes(action));
  if (outOfKind.length) errors.push({ path: 'actions', message: `not for ${document.number}: ${outOfKind.join(', ')} (its links may carry ${allowed.join(', ')})` });
  if (!recipient) errors.push({ path: 'recipient.contactId', message: "not a contact of this document's customer" });
  if (expiresAt && expiresAt.getTime() <= now.getTime()) errors.push({ path: 'expiresAt', message: 'must be in the future' });
  if (!recipient || errors.length) throw new AppError('unprocessable', 'The link cannot be made as asked; see errors.', errors);

  const linkInput = { tenantId: caller.tenantId, documentId, recipient, actions, documentVersion: document.version, ...(expiresAt ? { expiresAt } : {}) };
  const created = await createAccessLink(deps.prisma, linkInput, deps.config.publicUrl);
  const { link } = created;
  // Keyed by the link this request made.
  const data = { linkId: link.id, recipient: presentRecipient(link), actions: link.actions, expiresAt: link.expiresAt?.toISOString() ?? null };
  await recordFact(deps, sellerFact(caller, documentId, { dedupeKey: `api:link_created:${link.id}`, type: 'link_created', at: link.createdAt, data }));
  return created;
}

export function presentRecipient(link: AccessLink) {
  return { contactId: link.contactId, name: link.recipientName, email: link.recipientEmail, phone: link.recipientPhone };
}

export type ListedLink = AccessLink & { lastUsedAt: Date | null };

/** A document's links, newest first, each with the last time anything was recorded through it. */
export async function listDocumentLinks(prisma: PrismaClient, tenantId: string, documentId: string, page: PageRequest): Promise<Page<ListedLink>> {
  await assertDocumentOf(prisma, tenantId, documentId);
  const links = await readPage(page, NEWEST_FIRST, ({ after, orderBy, take }) => prisma.accessLink.findMany({ where: { tenantId, documentId, ...after }, orderBy, take }));
  // The trail names a customer's doings after their link (actorLabel): its latest row is the link's last use.
  const uses = await prisma.auditEvent.groupBy({
    by: ['actor'],
    where: { tenantId, documentId, actor: { in: links.data.map((link) => actorLabel({ kind: 'customer', linkId: link.id })) } },
    _max: { at: true },
  });
  const lastUse = new Map(uses.map((use) => [use.actor, use._max.at]));
  return mapPage(links, (link) => ({ ...link, lastUsedAt: lastUse.get(actorLabel({ kind: 'customer', linkId: link.id })) ?? null }));
}

/**
 * Turns a link off, with the colleague links forwarded from it (they never outlive it).
 * Revoking again changes nothing and is not an error. The trail gets one link_revoked at the
 * first revocation's time, written again on every call so a call cut short still leaves it.
 */
export async function revokeLink(deps: AppDeps, caller: TenantCaller, linkId: string, now = new Date()): Promise<void> {
  const { prisma } = deps;
  const link = await prisma.accessLink.findFirst({ where: { id: linkId, tenantId: caller.tenantId }, select: { id: true, documentId: true } });
  if (!link) throw new AppError('not_found', `No link ${linkId}.`);
  const forwarded = { forwardedFromLinkId: link.id };
  await prisma.$transaction([
    prisma.accessLink.updateMany({ where: { id: link.id, revokedAt: null }, data: { revokedAt: now } }),
    prisma.accessLink.updateMany({ where: { ...forwarded, revokedAt: null }, data: { revokedAt: now } }),
  ]);
  const [{ revokedAt }, colleagues] = await Promise.all([
    prisma.accessLink.findUniqueOrThrow({ where: { id: link.id }, select: { revokedAt: true } }),
    prisma.accessLink.findMany({ where: forwarded, select: { id: true }, orderBy: { createdAt: 'asc' } }),
  ]);
  const data = { linkId: link.id, colleagueLinkIds: colleagues.map((colleague) => colleague.id) };
  await recordFact(deps, sellerFact(caller, link.documentId, { dedupeKey: `api:link_revoked:${link.id}`, type: 'link_revoked', at: revokedAt ?? now, data }));
}
