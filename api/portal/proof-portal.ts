/**
 * The portal's proof link (seed 000): what the proof page shows, read from the read model and
 * the proof's workflow; its page images and watermarked PDF; and what a proof decision posts.
 * The router mounts these beside the quote's; decisions go through the same decide handler
 * (router.ts) and the same workflow bridge (customer-actions.ts, operations/quote-workflow.ts).
 *
 * Which revision is which:
 * - the current revision is the one the workflow asks about (its query; the trail once it has
 *   closed): the forms act on it and name it;
 * - the customer sees every revision up to the current one, each at ?revision=N, the current
 *   one by default;
 * - page images and the PDF are served for ready revisions of the link's own document only.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { FoundLink } from '../../services/db/links';
import { pickLocale, type Locale, type ProofStatus, type RequestSource } from '../../domain/documents';
import { AppError } from '../../domain/errors';
import type { ProofPinInput } from '../../workflows/messages/proof';
import type { AppDeps } from '../app';
import { readRevisionPage, readWatermarkedPdf } from '../operations/proof-files';
import { readProofTrail } from '../../services/db/proof-trail';
import { queryProof } from '../operations/quote-workflow';
import { getSettings } from '../operations/settings';
import { PAGE_IMAGE_SIZES, parseWith } from '../schemas';
import { signForm } from './csrf';
import type { ProofDecisionDetails } from './customer-actions';
import { decisionsOffered, type PortalDecision } from './decisions';
import { html, type SafeHtml } from './html';
import { MESSAGES, PROOF_MESSAGES } from './i18n';
import { sellerContact } from './page-state';
import { renderProofPage } from './proof-page';
import { sellerToCall } from './seller-brand';
import { recordDownload } from './view-tracking';

/** A proof's state as the page needs it: the workflow's while it runs, the trail's after. */
interface ProofState {
  status: ProofStatus;
  revision: number;
  termsRequired: boolean;
}

const LIVE_STATUSES: readonly string[] = ['draft', 'sent', 'viewed', 'changes_requested'];

async function proofState(deps: AppDeps, found: FoundLink, lastSentRevision: number): Promise<ProofState> {
  const { document } = found;
  // Only a running workflow is asked: a closed one would be replayed just to answer.
  const live = document.workflowId && LIVE_STATUSES.includes(document.status) ? await queryProof(deps.temporal, document.id) : null;
  return live ?? { status: document.status as ProofStatus, revision: lastSentRevision, termsRequired: false };
}

function customerLocale(found: FoundLink): Locale {
  return pickLocale(found.document.customer.locale, found.document.tenant.locale);
}

export interface ProofPageState {
  /** The status a decision just answered (newer than the row). */
  status?: ProofStatus;
  notice?: { tone: 'success' | 'error'; text: string };
  /** The revision asked for (?revision=N). */
  revision?: number;
  /** Facing pages asked for (?view=spreads). */
  spreads?: boolean;
  /** The revision to compare the shown one with (?compare=N), overlaid (?view=overlay) or side by side. */
  compare?: { number: number; overlay: boolean };
  /** Below the proof: the conversation, the view beacon, a forward form. */
  sections?: SafeHtml[];
}

export async function proofPortalPage(deps: AppDeps, linkPath: string, found: FoundLink, state: ProofPageState): Promise<string> {
  const { document } = found;
  const locale = customerLocale(found);
  const trail = await readProofTrail(deps.prisma, document.tenantId, document.id);
  const contact = sellerContact(found);
  const [live, revisions, settings] = await Promise.all([
    proofState(deps, found, trail.lastSentRevision),
    deps.prisma.revision.findMany({
      where: { documentId: document.id },
      orderBy: { number: 'asc' },
      select: { number: true, status: true, pages: { orderBy: { position: 'asc' }, select: { position: true, width: true, height: true } } },
    }),
    getSettings(deps.prisma, document.tenantId),
  ]);
  const status = state.status ?? live.status;
  const current = Math.max(live.revision, trail.lastSentRevision);
  const visible = revisions.filter((revision) => revision.number <= current);
  const ready = visible.filter((revision) => revision.status === 'ready');
  const shown = ready.find((revision) => revision.number === state.revision) ?? ready.find((revision) => revision.number === current) ?? ready.at(-1);
  // Page n against page n means something only for revisions of the same page count; any other ?compare= shows the revision alone.
  const comparable = shown ? ready.filter((revision) => revision.pages.length === shown.pages.length) : [];
  const compared = state.compare && comparable.find((revision) => revision.number === state.compare?.number && revision.number !== shown?.number);

  // An approval is offered back until the seller marks the proof in production; its workflow has the last word.
  const inProduction = status === 'approved' && (await deps.prisma.auditEvent.count({ where: { documentId: document.id, type: 'in_production' } })) > 0;
  // A decision several people took together (domain/deciders.ts) is not withdrawn by one of them.
  const withdrawable = !inProduction && document.deciders === null;
  const forms = decisionsOffered('proof', status, found.link.actions).filter((decision) => decision !== 'withdraw' || withdrawable).map((decision) => {
    const decisionId = randomUUID();
    return { decision, decisionId, csrf: signForm(deps.config.appSecret, found.link.id, decisionId) };
  });
  const lastRequest = trail.changeRequests.at(-1);
  return renderProofPage({
    locale,
    linkPath,
    document,
    status,
    currentRevision: status === 'approved' && trail.approved ? trail.approved.revision : current,
    ...(status === 'approved' && trail.approved ? { statusSince: trail.approved.at } : {}),
    ...(status === 'changes_requested' && lastRequest ? { statusSince: lastRequest.at } : {}),
    revisions: visible.map((revision) => ({ number: revision.number, ready: revision.status === 'ready' })),
    ...(shown ? { shown: { number: shown.number, pages: shown.pages } } : {}),
    changeRequests: trail.changeRequests,
    canDownload: found.link.actions.includes('download'),
    forms,
    ...(live.termsRequired && settings.termsVersion ? { terms: { version: settings.termsVersion, text: settings.termsText } } : {}),
    ...(settings.hourlyRate ? { hourlyRate: { amount: settings.hourlyRate, currency: document.tenant.currency } } : {}),
    ...(contact ? { sellerContact: contact } : {}),
    ...(state.notice ? { notice: state.notice } : {}),
    // In production, the approval is past withdrawing online: the page says whom to call.
    sections: [...(state.sections ?? []), ...(inProduction && !state.notice ? [html`<p class="notice">${MESSAGES[locale].withdrawalClosed(sellerToCall(document))}</p>`] : [])],
    ...(state.spreads && !compared ? { spreads: true } : {}),
    comparable: comparable.map((revision) => revision.number),
    ...(compared && state.compare ? { compare: { number: compared.number, pages: compared.pages, overlay: state.compare.overlay } } : {}),
  });
}

// ---------------------------------------------------------------- page images and the PDF

const revisionParam = z.coerce.number().int().positive().max(100_000);

const pageImageQuerySchema = z.object({
  revision: revisionParam.optional(),
  size: z.enum(PAGE_IMAGE_SIZES).default('preview'),
});

const pdfQuerySchema = z.object({ revision: revisionParam.optional() });

/** The revision a file request is about: the one asked for, else the one last sent to the customer. */
async function revisionAsked(deps: AppDeps, found: FoundLink, asked: number | undefined): Promise<number> {
  if (asked !== undefined) return asked;
  const { lastSentRevision } = await readProofTrail(deps.prisma, found.document.tenantId, found.document.id);
  if (!lastSentRevision) throw new AppError('not_found', 'This proof has no revision to show yet');
  return lastSentRevision;
}

function proofOnly(found: FoundLink): void {
  if (found.document.kind !== 'proof') throw new AppError('not_found', 'Only a proof has page images');
}

/**
 * GET /d/:token/pages/:n?revision=R&size=preview|zoom|thumbnail. A revision's images never
 * change, so an address naming its revision is cached for good (privately: the address holds
 * the token); without one it may mean another revision tomorrow, so it is revalidated.
 */
export async function sendProofPageImage(deps: AppDeps, req: Request, res: Response, found: FoundLink): Promise<void> {
  proofOnly(found);
  const position = Number(req.params.n);
  if (!Number.isInteger(position) || position < 1) throw new AppError('not_found', 'No such page');
  const query = parseWith(pageImageQuerySchema, req.query, 'query');
  const revision = await revisionAsked(deps, found, query.revision);
  const image = await readRevisionPage(deps, found.document.id, revision, position, query.size);
  res
    .set({
      'Cache-Control': query.revision ? 'private, max-age=31536000, immutable' : 'private, no-cache',
      ETag: `"${image.revisionId}-${position}-${query.size}"`,
    })
    .type('image/jpeg')
    .send(image.bytes);
}

/** GET /d/:token/pdf of a proof: the watermarked PDF of the revision shown (never the original), recorded as a download. */
export async function sendProofPdf(deps: AppDeps, req: Request, res: Response, found: FoundLink, source: RequestSource): Promise<void> {
  const query = parseWith(pdfQuerySchema, req.query, 'query');
  const revision = await revisionAsked(deps, found, query.revision);
  const pdf = await readWatermarkedPdf(deps, found.document.id, revision);
  if (req.method !== 'HEAD') await recordDownload(deps, found, source);
  const name = `${PROOF_MESSAGES[customerLocale(found)].proof} ${found.document.number} r${revision}.pdf`.replace(/[^\p{L}\p{N} ._-]/gu, '_');
  res.attachment(name).type('application/pdf').send(pdf.bytes);
}

// ---------------------------------------------------------------- decisions

/** Form fields arrive as strings: "true" (a ticked box), and the pins as the script's JSON. */
const pinSchema = z.object({
  page: z.number().int(),
  x: z.number(),
  y: z.number(),
  comment: z.string().trim().min(1).max(1000),
});

/** The fields a proof decision adds to a portal post (router.ts decisionBodySchema). */
export const PROOF_DECISION_FIELDS = {
  revision: revisionParam.optional(),
  acceptTerms: z.preprocess((value) => (value === 'true' || value === 'on' ? true : value), z.boolean()).optional(),
  termsVersion: z.string().trim().min(1).max(50).optional(),
  comment: z
    .string()
    .max(5000)
    .transform((text) => text.trim() || undefined)
    .optional(),
  // The form always posts its `pins` field, empty without a pin: that is no pins, so the
  // optional is inside, where the emptied value is read (outside, it sees the raw string).
  pins: z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    if (!value.trim()) return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }, z.array(pinSchema).max(50).optional()),
};

interface ProofDecisionFields {
  revision?: number;
  acceptTerms?: boolean;
  termsVersion?: string;
  comment?: string;
  pins?: ProofPinInput[];
}

/**
 * What the workflow is asked: the revision the page showed (the current one for a JSON client
 * that names none), the terms the box showed, the change request. A change request without a
 * comment is refused here, as bad input, before it reaches the workflow.
 */
export async function proofDecisionDetails(deps: AppDeps, found: FoundLink, decision: PortalDecision, body: ProofDecisionFields): Promise<ProofDecisionDetails> {
  const commented = decision === 'request-changes' || decision === 'comment';
  const comment = commented ? requiredComment(decision, body.comment) : undefined;
  const revision = body.revision ?? (await queryProof(deps.temporal, found.document.id))?.revision ?? 0;
  if (commented) return { revision, comment, ...(body.pins ? { pins: body.pins } : {}) };
  if (!body.acceptTerms) return { revision };
  // A JSON client may tick the terms without naming them: it accepts the tenant's current version.
  const termsVersion = body.termsVersion ?? (await getSettings(deps.prisma, found.document.tenantId)).termsVersion ?? undefined;
  return { revision, termsAccepted: true, ...(termsVersion ? { termsVersion } : {}) };
}

/** The words a change request or a reviewer's comment (a proof's or a quote's) carries: without them, bad input, refused before the workflow. */
export function requiredComment(decision: PortalDecision, comment: string | undefined): string {
  if (comment) return comment;
  throw new AppError('validation_failed', 'Some fields are missing or invalid; see errors.', [{ path: 'comment', message: decision === 'comment' ? 'say what you think' : 'say what should change' }]);
}

/** The page's words for a refused proof decision: a newer revision, the terms, or a status that no longer allows it. */
export async function proofRefusalText(
  deps: AppDeps,
  found: FoundLink,
  decision: PortalDecision,
  details: ProofDecisionDetails | undefined,
  status: string,
): Promise<string> {
  const t = PROOF_MESSAGES[customerLocale(found)];
  // A closed proof's workflow is not asked (it would be replayed to answer): its status says it.
  const live = LIVE_STATUSES.includes(status) ? await queryProof(deps.temporal, found.document.id) : null;
  if (live && details && (live.status === 'sent' || live.status === 'viewed')) {
    if (details.revision !== live.revision) return t.refused.staleRevision(live.revision);
    if (decision === 'approve' && live.termsRequired && !details.termsAccepted) return t.refused.termsRequired;
  }
  return t.refused.status(t.statusNames[(live?.status ?? status) as ProofStatus] ?? status);
}
