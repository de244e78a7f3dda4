/**
 * The customer portal, mounted at /d: one link token opens one quote.
 *
 *   GET  /d/:token          the quote page (each open recorded, doubtful: see view-tracking.ts)
 *   POST /d/:token/seen     `viewId`: the page reports a person using it (the human view)
 *   GET  /d/:token/pdf      the quote as PDF (recorded as a download)
 *   POST /d/:token/accept   `options?`: ids of the optional lines chosen
 *   POST /d/:token/refuse   `reason?`
 *   POST /d/:token/hold
 *   GET  /d/:token/<decision>  back to the page (the address a decision's answer shows)
 *   GET  /d/:token/chain/:documentId  another document of the link's chain, read-only (its
 *        view recorded for it); outside the chain, or a draft: 404, nothing recorded; a
 *        cancelled one the customer had: 410, as its own link (domain/chain.ts)
 *   GET  /d/:token/messages   the conversation (JSON; a browser is sent to the page)
 *   POST /d/:token/messages   `body`: the customer writes to the seller
 *   POST /d/:token/pay        an invoice, a quote's deposit: opens the hosted payment (online-payment.ts), with
 *        GET /d/:token/payment-return and GET /d/:token/receipts/:paymentId
 *
 * Posts are HTML forms (CSRF field and one-time decision id, see csrf.ts) answered with the
 * page in its new state, or JSON (`Content-Type: application/json`, no CSRF field,
 * `decisionId` optional) answered with `{status, decisionId}` — also for any client that
 * asks `Accept: application/json`. An unknown token answers a 404 page and records nothing.
 * A link that opens nothing any more — revoked by the seller, past its own expiry, or of a
 * cancelled document — answers every route 410 Gone, records nothing, and says why and whom
 * to contact. A quote whose validity ended is not that: its link still shows it, expired.
 */
import { randomUUID } from 'node:crypto';
import { handledInFlight } from '../openapi';
import { rowFields } from '../../platform/rows';
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { listChain } from '../../services/db/chain';
import { chainMemberOnPortal, listedOnPortal } from '../../domain/chain';
import { findLinkByToken, isColleagueLink, linkDocumentInclude, type FoundLink, type LinkedDocument, type LinkGone } from '../../services/db/links';
import type { Message } from '../../generated/prisma/client';
import { renderQuotePdf } from '../../services/render/quote-pdf';
import { LOCALES, linkActionsNow, pickLocale, type DocumentKind, type Locale, type ProofStatus, type QuoteStatus, type RequestSource } from '../../domain/documents';
import type { AppDeps } from '../app';
import { AppError } from '../../domain/errors';
import { formOrJsonBody } from '../body';
import { knownAppError, sendProblem } from '../errors';
import { derivedDecisionId } from '../decision-id';
import { logWithRequest } from '../http-logging';
import { messagesForCustomer, postCustomerMessage } from '../operations/messages';
import { decidedStatus, whyKindRefuses } from '../operations/quote-workflow';
import { MAX_MESSAGE_LENGTH, parseWith } from '../schemas';
import { CHAIN_WORDS, chainSection, conversationSection } from './chain-and-conversation';
import { isFormSignatureValid, signForm } from './csrf';
import { customerActor, forwardToColleague, takeDecision, untilRecorded, type ProofDecisionDetails } from './customer-actions';
import { FORWARD_WORDS, forwardedNotice, forwardSection, offersForward, whyLinkCannotForward } from './forward-section';
import { decisionsOffered, linkAllows, PORTAL_DECISIONS, type PortalDecision } from './decisions';
import { deciderStanding, decidersSection } from './deciders-section';
import { depositPolicyOf } from '../../domain/deposit';
import { withChosenOptions } from '../../domain/money';
import { html } from './html';
import { formattersFor, invalidRequestText, MESSAGES, type Messages } from './i18n';
import { messagesFor } from './kind-words';
import { localesForVisitor, noticePage } from './layout';
import { sellerContact, statusSince } from './page-state';
import { portalSeller, sellerToCall } from './seller-brand';
import { renderQuotePage } from './quote-page';
import { PORTAL_SCRIPT_CSP_SOURCE } from './sign-form';
import { VIEW_BEACON_CSP_SOURCE, viewBeacon } from './view-beacon';
import { confirmSeen, confirmViewBeforeAction, decideHavingViewed, recordDownload, recordOpen, type PageOpen } from './view-tracking';
import { certificatePath, consentTextFor, isOutdatedLink, outdatedLinkPage, sendCertificate, signatureEvidence } from './signing';
import type { SignatureEvidence } from '../../domain/signature';
import { createPortalRateLimiters, RateLimitHits } from './rate-limits';
import { downloadReceipt, paymentPageParts, payOnline, returnFromPayment } from './online-payment';
import { PROOF_DECISION_FIELDS, proofDecisionDetails, proofPortalPage, proofRefusalText, requiredComment, sendProofPageImage, sendProofPdf } from './proof-portal';
import { PROOF_SCRIPT_CSP_SOURCE } from './proof-script';

/** Form fields arrive as strings, a repeated checkbox as an array: both read as a list. */
const idList = z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(z.string().min(1).max(64)).max(100));

const decisionBodySchema = z.object({
  decisionId: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'letters, digits, - and _ (8 to 100)').optional(),
  csrf: z.string().max(200).optional(),
  reason: z
    .string()
    .max(2000)
    .transform((text) => text.trim() || undefined)
    .optional(),
  options: idList.optional(),
  // Signing (built-in signature).
  signerName: z
    .string()
    .max(200)
    .transform((text) => text.trim() || undefined)
    .optional(),
  consent: z.preprocess((value) => (value === 'true' ? true : value), z.boolean()).optional(),
  drawnSignature: z
    .string()
    .max(140_000)
    .transform((text) => text || undefined)
    .optional(),
  // Proofs: the revision decided, the terms ticked, the change request (proof-portal.ts).
  ...PROOF_DECISION_FIELDS,
});

const seenBodySchema = z.object({ viewId: z.uuid() });

const forwardBodySchema = z.object({
  email: z.email().max(254),
  name: z
    .string()
    .max(200)
    .transform((text) => text.trim() || undefined)
    .optional(),
  decisionId: decisionBodySchema.shape.decisionId,
  csrf: decisionBodySchema.shape.csrf,
});

const messageBodySchema = z.object({
  body: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH),
  decisionId: decisionBodySchema.shape.decisionId,
  csrf: decisionBodySchema.shape.csrf,
});

/** What the customer sees of a message: never whether it is internal (they only get the others). */
function presentPortalMessage(message: Message) {
  return rowFields(message, ['id', 'author', 'authorName', 'body', 'createdAt']);
}

const PORTAL_HEADERS: Record<string, string> = {
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'X-Content-Type-Options': 'nosniff',
  // Pages carry their own inline style and no script; forms post back here only.
  // The one inline script (live totals, signature drawing) is admitted by its hash.
  // The view beacon posts back here (connect-src 'self').
  'Content-Security-Policy': `default-src 'none'; script-src ${PORTAL_SCRIPT_CSP_SOURCE} ${VIEW_BEACON_CSP_SOURCE} ${PROOF_SCRIPT_CSP_SOURCE}; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
};

type LinkHandler = (req: Request, res: Response, found: FoundLink) => Promise<void>;

/** A decider's vote that settled the document waits for the document's own event; one that did not, for the vote. */
const FINAL_VOTE_STATUSES: readonly string[] = ['accepted', 'refused', 'approved', 'changes_requested'];

/** Why a portal post was not read, and what the page says of it. */
class PostRefused {
  constructor(
    readonly error: AppError,
    readonly reason: 'invalid' | 'formExpired',
  ) {}

  /** The fields to check, or that the form expired. */
  text(t: Messages): string {
    return this.reason === 'formExpired' ? t.formExpired : invalidRequestText(t, this.error);
  }
}

/**
 * A portal post's fields, parsed; an HTML form must also carry the CSRF field signed for its
 * one-time decision id (csrf.ts). JSON posts need none: browsers cannot send them cross-site
 * without a preflight we never grant.
 */
function readPost<Body extends { decisionId?: string; csrf?: string }>(
  schema: z.ZodType<Body, unknown>,
  req: Request,
  found: FoundLink,
  appSecret: string,
): Body | PostRefused {
  let body: Body;
  try {
    body = parseWith(schema, req.body ?? {}, 'body');
  } catch (error) {
    if (error instanceof AppError) return new PostRefused(error, 'invalid');
    throw error;
  }
  const isJsonPost = Boolean(req.is('application/json'));
  if (!isJsonPost && !(body.decisionId && body.csrf && isFormSignatureValid(appSecret, found.link.id, body.decisionId, body.csrf))) {
    return new PostRefused(new AppError('forbidden', 'The form lacks a valid anti-CSRF field; reload the page and submit again'), 'formExpired');
  }
  return body;
}

export function createPortalRouter(deps: AppDeps): Router {
  const router = express.Router();
  const hits = new RateLimitHits(deps.prisma);
  const budget = (name: string) => ({ prisma: deps.prisma, hits, keyPrefix: `${deps.config.rateLimitScope}:${name}` });
  const rateLimited = createPortalRateLimiters(budget('portal'), deps.config.portalRateLimits, answerRateLimited);
  // A proof page loads one image per page (more on zoom): page images get budgets of their own, ten times the pages'.
  const { perTokenPerMinute, perIpPerMinute } = deps.config.portalRateLimits;
  const imageRateLimited = createPortalRateLimiters(
    budget('portal-images'),
    { perTokenPerMinute: perTokenPerMinute * 10, perIpPerMinute: perIpPerMinute * 10 },
    answerRateLimited,
  );
  const parseBody = formOrJsonBody('16kb');
  // A signature may carry a drawing (a PNG of at most 96 KB, base64 in the body).
  const parseSignBody = formOrJsonBody('160kb');

  router.use((_req, res, next) => {
    res.set(PORTAL_HEADERS);
    next();
  });

  /** Resolves the token first: nothing below runs, and nothing is recorded, for a dead link. */
  const withLink =
    (handler: LinkHandler): RequestHandler =>
    (req, res) =>
      handledInFlight(
        deps,
        (async () => {
          const found = await findLinkByToken(deps.prisma, String(req.params.token));
          if (!found) return answerUnknownLink(req, res);
          if (found.gone) return answerGoneLink(deps, req, res, found, found.gone);
          // A link to a version since revised opens nothing but that news; its decisions reach the
          // workflow, which refuses them for their version with the reason.
          if (isOutdatedLink(found) && req.method !== 'POST') return answerOutdatedLink(req, res, found);
          await handler(req, res, found);
        })(),
      );

  const showQuote: LinkHandler = async (req, res, found) => {
    // An open is doubtful until the page reports a person using it (view-tracking.ts).
    const open = recordOpen(deps, found, { head: req.method === 'HEAD', source: requestSource(req) });
    res.type('html').send(await pageOnceRecorded(open, quotePage(deps, req, found, { viewId: open.viewId })));
  };

  const downloadPdf: LinkHandler = async (req, res, found) => {
    if (!found.link.actions.includes('download')) throw new AppError('forbidden', 'This link does not allow downloading the PDF');
    if (found.document.kind === 'proof') return sendProofPdf(deps, req, res, found, requestSource(req));
    const pdf = await renderQuotePdf(deps.prisma, { tenantId: found.document.tenantId, documentId: found.document.id });
    if (req.method !== 'HEAD') await recordDownload(deps, found, requestSource(req));
    res.attachment(pdfFileName(found)).type('application/pdf').send(Buffer.from(pdf));
  };

  const decide =
    (decision: PortalDecision): LinkHandler =>
    async (req, res, found) => {
      const t = messagesFor(customerLocale(found), found.document.kind);
      const refuse = async (error: AppError, text: string) => {
        if (wantsJson(req)) return sendProblem(res, error);
        const current = await currentStatus(deps, found);
        res.status(error.status).type('html').send(await quotePage(deps, req, found, { status: current, notice: { tone: 'error', text } }));
      };

      const body = readPost(decisionBodySchema, req, found, deps.config.appSecret);
      if (body instanceof PostRefused) return refuse(body.error, body.text(t));
      // Hold and signing are the quote's alone, whatever a link allows: 409 with the reason.
      const kindRefusal = whyKindRefuses(found.document.kind, decision);
      if (kindRefusal) return refuse(new AppError('decision_rejected', kindRefusal), t.actionNotAllowed);
      if (!linkAllows(linkActionsNow(found.link.actions, found.document), decision)) {
        return refuse(new AppError('forbidden', `This link does not allow the decision "${decision}"`), t.actionNotAllowed);
      }
      const options = decision === 'accept' || decision === 'sign' ? body.options : undefined;
      const optionalLineIds = new Set(found.document.lines.filter((line) => line.optional).map((line) => line.id));
      const unknownOption = options?.find((id) => !optionalLineIds.has(id));
      if (unknownOption) {
        const error = new AppError('validation_failed', 'Some fields are missing or invalid; see errors.', [{ path: 'options', message: `${unknownOption} is not an optional line of this quote` }]);
        return refuse(error, invalidRequestText(t, error));
      }

      let signature: SignatureEvidence | undefined;
      let proof: ProofDecisionDetails | undefined;
      let comment: string | undefined;
      try {
        if (decision === 'sign') signature = await signatureEvidence(deps.prisma, found, body);
        if (found.document.kind === 'proof') proof = await proofDecisionDetails(deps, found, decision, body);
        else if (decision === 'comment') comment = requiredComment(decision, body.comment);
      } catch (error) {
        if (error instanceof AppError) return refuse(error, invalidRequestText(t, error));
        throw error;
      }

      const decisionId = body.decisionId ?? portalDecisionId(found, decision, body);
      // A reviewer may comment again: the page waits for this comment, written after the trail's last event now.
      const trailEnd = decision === 'comment' && !wantsJson(req) ? await lastEventSeq(deps.prisma, found.document.id) : undefined;
      let status: QuoteStatus | ProofStatus;
      try {
        // Whoever decides has read: the page they decide on is a human view, taken before the decision.
        status = await decideHavingViewed(deps, found, requestSource(req), (viewed) =>
          takeDecision(deps, found, {
            decision,
            decisionId,
            reason: body.reason,
            options,
            source: requestSource(req),
            version: found.link.documentVersion,
            ...(viewed ? { viewed } : {}),
            ...(signature ? { signature } : {}),
            ...(proof ? { proof } : {}),
            ...(comment ? { comment } : {}),
          }),
        );
      } catch (error) {
        if (error instanceof AppError && error.code === 'decision_rejected') {
          const now = await currentStatus(deps, found);
          // Too late to take an answer back online: the page says whom to call.
          if (decision === 'withdraw' && ((now as string) === 'accepted' || (now as string) === 'approved')) return refuse(error, t.withdrawalClosed(sellerToCall(found.document)));
          if (found.document.kind === 'proof') return refuse(error, await proofRefusalText(deps, found, decision, proof, now));
          return refuse(error, t.decisionNotAllowed(t.statusNames[now]));
        }
        throw error;
      }
      if (wantsJson(req)) {
        res.json({ status, decisionId });
        return;
      }
      // Read again: an acceptance changes the document itself (options chosen, totals), once recorded.
      const deciderId = found.link.deciderId ?? undefined;
      const counted = deciderId !== undefined && !FINAL_VOTE_STATUSES.includes(status) && (decision === 'accept' || decision === 'sign' || decision === 'refuse');
      const vote = counted ? (decision === 'refuse' ? 'decider_declined' : 'decider_approved') : undefined;
      // A reviewer's comment changes no status: the page shows it once its `commented` is written.
      const written = decision === 'withdraw' ? 'withdrawn' : decision === 'comment' ? 'commented' : vote;
      await untilRecorded(deps.prisma, found.document, status, written, vote !== undefined || decision === 'comment' ? deciderId : undefined, trailEnd);
      const read = (await findLinkByToken(deps.prisma, String(req.params.token))) ?? found;
      // What the decision chose shows even if its record lags (a worker slow or gone): its own result, not the row before it.
      const decided = options ? { ...read, document: { ...read.document, lines: withChosenOptions(read.document.lines, options) } } : read;
      res.type('html').send(await quotePage(deps, req, decided, { status, notice: { tone: 'success', text: t.decided[decision] } }));
    };

  /** Another document of the link's chain, read-only; a document outside the chain, or not the customer's to see, is not found. */
  const showChainDocument: LinkHandler = async (req, res, found) => {
    // A colleague's link opens its one proof: another id is not found, and nothing is recorded.
    if (isColleagueLink(found.link)) return answerUnknownLink(req, res);
    const shownId = String(req.params.documentId);
    if (shownId === found.document.id) return res.redirect(303, `${req.baseUrl}/${encodeURIComponent(String(req.params.token))}`);
    const shown = found.document.chainId
      ? await deps.prisma.document.findFirst({
          where: { id: shownId, tenantId: found.document.tenantId, chainId: found.document.chainId },
          include: linkDocumentInclude,
        })
      : null;
    // Drafts and cancelled documents are not the customer's to open (domain/chain.ts); nothing is recorded.
    const answer = shown ? chainMemberOnPortal(shown) : 'not_found';
    if (!shown || answer === 'not_found') return answerNotInChain(req, res, found);
    if (answer === 'gone') return answerGoneLink(deps, req, res, { ...found, document: shown }, 'document_cancelled');
    const open = recordOpen(deps, { link: found.link, document: shown }, { head: req.method === 'HEAD', source: requestSource(req) });
    res.type('html').send(await pageOnceRecorded(open, quotePage(deps, req, found, { shown, viewId: open.viewId })));
  };

  const listConversation: LinkHandler = async (req, res, found) => {
    if (isColleagueLink(found.link)) return answerUnknownLink(req, res);
    if (!wantsJson(req)) return res.redirect(303, `${req.baseUrl}/${encodeURIComponent(String(req.params.token))}#conversation`);
    const messages = await messagesForCustomer(deps.prisma, found.document);
    res.json({ data: messages.map(presentPortalMessage) });
  };

  const writeMessage: LinkHandler = async (req, res, found) => {
    // The conversation is the account's, not a colleague's (their link opens the proof only).
    if (isColleagueLink(found.link)) return answerUnknownLink(req, res);
    const t = MESSAGES[customerLocale(found)];
    const refuse = async (error: AppError, text: string) => {
      if (wantsJson(req)) return sendProblem(res, error);
      res.status(error.status).type('html').send(await quotePage(deps, req, found, { notice: { tone: 'error', text } }));
    };
    const body = readPost(messageBodySchema, req, found, deps.config.appSecret);
    if (body instanceof PostRefused) return refuse(body.error, body.text(t));
    await confirmViewBeforeAction(deps, found, requestSource(req));
    const message = await postCustomerMessage(deps, found.link, found.document, {
      body: body.body,
      submissionId: body.decisionId ?? portalDecisionId(found, 'message', body),
      actor: customerActor(found.link),
      source: requestSource(req),
    });
    if (wantsJson(req)) {
      res.status(201).json(presentPortalMessage(message));
      return;
    }
    const words = CHAIN_WORDS[customerLocale(found)];
    res.type('html').send(await quotePage(deps, req, found, { notice: { tone: 'success', text: words.messageSent } }));
  };

  /** The customer sends the proof to a colleague (forward-section.ts): a link of their own, to this proof only. */
  const forwardToAColleague: LinkHandler = async (req, res, found) => {
    const locale = customerLocale(found);
    const t = MESSAGES[locale];
    const refuse = async (error: AppError, text: string) => {
      if (wantsJson(req)) return sendProblem(res, error);
      res.status(error.status).type('html').send(await quotePage(deps, req, found, { status: await currentStatus(deps, found), notice: { tone: 'error', text } }));
    };
    const body = readPost(forwardBodySchema, req, found, deps.config.appSecret);
    if (body instanceof PostRefused) return refuse(body.error, body.text(t));
    const linkRefusal = whyLinkCannotForward(found.link, found.document.kind);
    if (linkRefusal) return refuse(linkRefusal, t.actionNotAllowed);
    const decisionId = body.decisionId ?? portalDecisionId(found, 'forward', body);
    await confirmViewBeforeAction(deps, found, requestSource(req));
    let status: ProofStatus;
    try {
      status = await forwardToColleague(deps, found, {
        decisionId,
        to: { email: body.email, ...(body.name ? { name: body.name } : {}) },
        source: requestSource(req),
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'decision_rejected') return refuse(error, FORWARD_WORDS[locale].notAllowed);
      throw error;
    }
    if (wantsJson(req)) {
      res.json({ status, decisionId });
      return;
    }
    res.type('html').send(await quotePage(deps, req, found, { status, notice: { tone: 'success', text: forwardedNotice(locale, status, body.email) } }));
  };

  /** The page's report that a person uses it (view-beacon.ts): the human view, counted once per view id. */
  const reportSeen: LinkHandler = async (req, res, found) => {
    // JSON only: another site cannot post it without a preflight we never grant (csrf.ts).
    if (!req.is('application/json')) throw new AppError('unsupported_media_type', 'Send {"viewId": "<the page view id>"} as application/json');
    const { viewId } = parseWith(seenBodySchema, req.body ?? {}, 'body');
    res.json({ counted: await confirmSeen(deps, found.link, viewId, requestSource(req)) });
  };

  router.get('/:token', rateLimited, withLink(showQuote));
  router.post('/:token/seen', rateLimited, parseBody, withLink(reportSeen));
  router.get('/:token/chain/:documentId', rateLimited, withLink(showChainDocument));
  router.get('/:token/messages', rateLimited, withLink(listConversation));
  router.post('/:token/messages', rateLimited, parseBody, withLink(writeMessage));
  router.post('/:token/forward', rateLimited, parseBody, withLink(forwardToAColleague));
  router.get('/:token/forward', rateLimited, (req: Request, res: Response) => res.redirect(303, `${req.baseUrl}/${encodeURIComponent(String(req.params.token))}`));
  router.get('/:token/pdf', rateLimited, withLink(downloadPdf));
  // Invoices, and quotes' deposits: pay online, come back from the payment page, download receipts (online-payment.ts).
  router.post('/:token/pay', rateLimited, parseBody, withLink(payOnline(deps, requestSource)));
  router.get('/:token/payment-return', rateLimited, withLink(returnFromPayment(deps)));
  router.get('/:token/receipts/:paymentId', rateLimited, withLink(downloadReceipt(deps)));
  router.get('/:token/pages/:n', imageRateLimited, withLink((req, res, found) => sendProofPageImage(deps, req, res, found)));
  router.get('/:token/signature/certificate', rateLimited, withLink((req, res, found) => sendCertificate(deps.prisma, req, res, found)));
  for (const decision of PORTAL_DECISIONS) {
    router.post(`/:token/${decision}`, rateLimited, decision === 'sign' ? parseSignBody : parseBody, withLink(decide(decision)));
    // A decision's answer is rendered at the address the form posted to; opening that
    // address again (bookmark, copied URL) leads back to the quote.
    router.get(`/:token/${decision}`, rateLimited, (req: Request, res: Response) => res.redirect(303, `${req.baseUrl}/${encodeURIComponent(String(req.params.token))}`));
  }
  router.use(answerPortalError);
  return router;
}

/** The page rendered while its open was recorded, once both are done: the beacon it carries finds its `opened` row. */
async function pageOnceRecorded(open: PageOpen, page: Promise<string>): Promise<string> {
  const [rendered] = await Promise.all([page, open.recorded]);
  return rendered;
}

async function lastEventSeq(prisma: AppDeps['prisma'], documentId: string): Promise<number> {
  return (await prisma.auditEvent.findFirst({ where: { documentId }, orderBy: { seq: 'desc' }, select: { seq: true } }))?.seq ?? 0;
}

/** A JSON post without the form's decision id: the same post through the same link, moments later, is the same decision. */
function portalDecisionId(found: FoundLink, operation: string, body: object): string {
  return derivedDecisionId({ scope: `link:${found.link.id}`, operation, body });
}

function customerLocale(found: FoundLink): Locale {
  return pickLocale(found.document.customer.locale, found.document.tenant.locale);
}

function visitorLocales(req: Request): Locale[] {
  return localesForVisitor(req.acceptsLanguages(...LOCALES));
}

function wantsJson(req: Request): boolean {
  return Boolean(req.is('application/json')) || req.accepts(['html', 'json']) === 'json';
}

function requestSource(req: Request): RequestSource {
  const userAgent = req.get('user-agent');
  return { ...(req.ip ? { ip: req.ip } : {}), ...(userAgent ? { userAgent } : {}) };
}

/** How long a refusal's page asks the workflow for the status before it reads the row. */
const DECIDED_STATUS_WITHIN_MS = 500;

/**
 * The status to show after a refusal: the workflow's, as a decision it took a moment ago (the
 * one that made this one too late) may not be recorded yet; the row when no workflow answers.
 */
async function currentStatus(deps: AppDeps, found: FoundLink): Promise<QuoteStatus> {
  const decided = await decidedStatus(deps.temporal, found.document, DECIDED_STATUS_WITHIN_MS);
  if (decided) return decided as QuoteStatus;
  const document = await deps.prisma.document.findUniqueOrThrow({ where: { id: found.document.id }, select: { status: true } });
  return document.status as QuoteStatus;
}

/** The page of a link in its state now: a quote's (or an order's…), or a proof's (proof-portal.ts). */
async function quotePage(
  deps: AppDeps,
  req: Request,
  found: FoundLink,
  state: {
    status?: QuoteStatus | ProofStatus;
    notice?: { tone: 'success' | 'error'; text: string };
    shown?: LinkedDocument;
    /** The open this page answers (GET): its beacon reports a person using it. */
    viewId?: string;
  },
): Promise<string> {
  if (found.document.kind === 'proof' && !state.shown) return proofPage(deps, req, found, state);
  // Another document of the chain is shown read-only: its answers belong to its own link.
  const shown = state.shown ?? found.document;
  const readOnly = shown.id !== found.document.id;
  const shownFound = readOnly ? { ...found, document: shown } : found;
  const locale = customerLocale(found);
  const linkPath = `${req.baseUrl}/${String(req.params.token)}`;
  const status = (state.status ?? shown.status) as QuoteStatus;
  const [since, chain, messages, payment, standing] = await Promise.all([
    statusSince(deps.prisma, shownFound, status),
    listChain(deps.prisma, found.document),
    messagesForCustomer(deps.prisma, shown),
    readOnly ? null : paymentPageParts(deps, req, found, linkPath),
    readOnly ? undefined : deciderStanding(deps.prisma, shown),
  ]);
  const contact = sellerContact(shownFound);
  const signature = readOnly ? null : (shown.signatures[0] ?? null);
  // Each form rendered is a decision not taken yet: its id is minted here, and a double submit of it is one decision.
  const signed = () => {
    const decisionId = randomUUID();
    return { decisionId, csrf: signForm(deps.config.appSecret, found.link.id, decisionId) };
  };
  // An acceptance is offered back until the quote moved on (converted), was signed or its deposit paid, unless several decided it together; its workflow has the last word.
  const withdrawable = chain.length === 1 && !signature && !payment?.depositPaid && shown.deciders === null;
  // Several deciders under accept_when_paid, their round met: the quote waits for its deposit, and nobody
  // votes or comments any more (the workflow refuses it: the decision is taken). The one answer left is the
  // yes that pays, on the page of whoever's yes leads to the deposit (yesLeadsToDeposit: its accept form, relabelled, posts to /pay).
  const depositAwaited = standing?.round.outcome === 'yes' && depositPolicyOf(shown) === 'accept_when_paid' && (status === 'sent' || status === 'viewed');
  const forms = readOnly
    ? []
    : decisionsOffered(shown.kind, status, linkActionsNow(found.link.actions, shown), shown.requireSignature)
        .filter((decision) => decision !== 'withdraw' || withdrawable)
        .filter((decision) => !depositAwaited || (decision === 'accept' && payment?.acceptLabel !== undefined))
        .map((decision) => ({ decision, ...signed() }));
  const tooLateToWithdraw = !readOnly && shown.kind === 'quote' && status === 'accepted' && !withdrawable && !state.notice;
  const words = CHAIN_WORDS[locale];
  return renderQuotePage({
    locale,
    linkPath,
    kindLabel: words.kinds[shown.kind as DocumentKind],
    sections: [
      ...(readOnly ? [html`<p class="notice"><a href="${linkPath}">${words.backToLink}</a> · ${words.readOnly}</p>`] : []),
      ...(payment?.section ? [payment.section] : []),
      ...(standing ? [decidersSection(locale, standing, found.link.deciderId, depositAwaited)] : []),
      conversationSection(
        locale,
        portalSeller(shown).timeZone,
        messages.map((message) => ({ ...message, author: message.author as 'customer' | 'seller' })),
        // A draft is not sent yet: there is nothing to talk about until it is.
        readOnly || status === 'draft' ? undefined : { action: `${linkPath}/messages`, ...signed() },
      ),
      ...[chainSection(locale, linkPath, found.document.id, chain.filter((member) => member.id === found.document.id || listedOnPortal(member)), shown.id)].filter((section) => section !== null),
      ...(state.viewId ? [viewBeacon(state.viewId, `${linkPath}/seen`)] : []),
      ...(tooLateToWithdraw ? [html`<p class="notice">${messagesFor(locale, shown.kind).withdrawalClosed(sellerToCall(shown))}</p>`] : []),
    ],
    document: shown,
    status,
    ...(payment?.banner ? { banner: payment.banner } : {}),
    // A decision just taken may not be in the trail yet: it happened now.
    statusSince: since ?? (state.notice?.tone === 'success' ? new Date() : undefined),
    sellerContact: contact,
    canDownload: !readOnly && found.link.actions.includes('download'),
    signing: {
      signerName: found.link.recipientName ?? shown.contact?.name ?? '',
      consentText: consentTextFor(found),
      ...(signature ? { certificateUrl: certificatePath(linkPath) } : {}),
    },
    forms,
    ...(payment?.acceptLabel ? { acceptWithDeposit: { label: payment.acceptLabel } } : {}),
    notice: state.notice,
  });
}

/** A proof's page: the proof itself, then the conversation and the page's view beacon. */
async function proofPage(
  deps: AppDeps,
  req: Request,
  found: FoundLink,
  state: { status?: QuoteStatus | ProofStatus; notice?: { tone: 'success' | 'error'; text: string }; viewId?: string },
): Promise<string> {
  const locale = customerLocale(found);
  const linkPath = `${req.baseUrl}/${String(req.params.token)}`;
  const [messages, standing] = await Promise.all([messagesForCustomer(deps.prisma, found.document), deciderStanding(deps.prisma, found.document)]);
  const postForm = (action: string) => {
    const decisionId = randomUUID();
    return { action, decisionId, csrf: signForm(deps.config.appSecret, found.link.id, decisionId) };
  };
  const asked = Number(req.query.revision);
  const compared = Number(req.query.compare);
  const forwardStatus = state.status ?? found.document.status;
  return proofPortalPage(deps, linkPath, found, {
    ...(state.status ? { status: state.status as ProofStatus } : {}),
    ...(state.notice ? { notice: state.notice } : {}),
    ...(Number.isInteger(asked) && asked > 0 ? { revision: asked } : {}),
    ...(req.query.view === 'spreads' ? { spreads: true } : {}),
    ...(Number.isInteger(compared) && compared > 0 ? { compare: { number: compared, overlay: req.query.view === 'overlay' } } : {}),
    sections: [
      ...(standing ? [decidersSection(locale, standing, found.link.deciderId)] : []),
      // A colleague's link opens the proof alone: not the account's conversation (forward-section.ts).
      ...(isColleagueLink(found.link)
        ? []
        : [
            conversationSection(
              locale,
              portalSeller(found.document).timeZone,
              messages.map((message) => ({ ...message, author: message.author as 'customer' | 'seller' })),
              found.document.status === 'draft' ? undefined : postForm(`${linkPath}/messages`),
            ),
          ]),
      ...(offersForward(found.link, found.document.kind, forwardStatus) ? [forwardSection(locale, postForm(`${linkPath}/forward`), forwardStatus)] : []),
      ...(state.viewId ? [viewBeacon(state.viewId, `${linkPath}/seen`)] : []),
    ],
  });
}

function pdfFileName(found: FoundLink): string {
  const t = messagesFor(customerLocale(found), found.document.kind);
  return `${t.quote} ${found.document.number}.pdf`.replace(/[^\p{L}\p{N} ._-]/gu, '_');
}

function answerUnknownLink(req: Request, res: Response): void {
  if (wantsJson(req)) return sendProblem(res, new AppError('not_found', 'No document behind this link'));
  res.status(404).type('html').send(noticePage(visitorLocales(req), (locale) => MESSAGES[locale].notFound));
}

/** A document this link's chain does not open for the customer: 404, in the customer's language, with the way back. */
function answerNotInChain(req: Request, res: Response, found: FoundLink): void {
  if (wantsJson(req)) return sendProblem(res, new AppError('not_found', 'No such document in the chain of this link'));
  const locale = customerLocale(found);
  const linkPath = `${req.baseUrl}/${encodeURIComponent(String(req.params.token))}`;
  const page = noticePage(
    [locale],
    () => ({ ...CHAIN_WORDS[locale].notAvailable, extra: html`<p><a class="button" href="${linkPath}">${CHAIN_WORDS[locale].backToLink}</a></p>` }),
    portalSeller(found.document),
  );
  res.status(404).type('html').send(page);
}

/** Why a dead link opens nothing, in a customer's words and in the problem's `detail`. */
function goneWords(gone: LinkGone, found: FoundLink, t: Messages, locale: Locale, whom: string): { title: string; body: string } {
  switch (gone) {
    case 'link_revoked':
      return { title: t.linkRevoked.title, body: t.linkRevoked.body(whom) };
    case 'document_cancelled':
      return { title: t.documentCancelled.title, body: t.documentCancelled.body(found.document.number, whom) };
    case 'link_expired':
      return { title: t.linkExpired.title, body: t.linkExpired.body(formattersFor(locale, portalSeller(found.document).timeZone).date(found.link.expiresAt ?? new Date()), whom) };
  }
}

/**
 * The 410 of a link that opens nothing any more: the page in the customer's language, or the
 * problem (its code says why), each naming whom to ask — the salesperson in charge, at the seller.
 */
async function answerGoneLink(deps: AppDeps, req: Request, res: Response, found: FoundLink, gone: LinkGone): Promise<void> {
  const contact = sellerContact(found);
  const seller = portalSeller(found.document).identity.legalName;
  if (wantsJson(req)) {
    const { body } = goneWords(gone, found, MESSAGES.en, 'en', contact ? `${contact.name} <${contact.email}> at ${seller}` : seller);
    return sendProblem(res, new AppError(gone, body));
  }
  const locale = customerLocale(found);
  const page = noticePage(
    [locale],
    () => ({
      ...goneWords(gone, found, MESSAGES[locale], locale, contact ? `${contact.name} (${seller})` : seller),
      extra: contact ? html`<p><a class="button" href="mailto:${contact.email}">${contact.email}</a></p>` : undefined,
    }),
    portalSeller(found.document),
  );
  res.status(410).type('html').send(page);
}

function answerOutdatedLink(req: Request, res: Response, found: FoundLink): void {
  if (wantsJson(req)) return sendProblem(res, new AppError('conflict', 'A newer version of this quote exists; open the link of the latest email'));
  res.type('html').send(outdatedLinkPage(found));
}

function answerRateLimited(req: Request, res: Response): void {
  if (wantsJson(req)) return sendProblem(res, new AppError('rate_limited', 'Too many requests for this link or from this address; wait a minute'));
  // A page that was looking again by itself (a payment being confirmed) carries on once the budget is back.
  const retryAfter = Number(res.getHeader('Retry-After'));
  const reload = req.method === 'GET' && Number.isInteger(retryAfter) && retryAfter > 0 ? html`<meta http-equiv="refresh" content="${String(retryAfter)}">` : undefined;
  const locales = visitorLocales(req);
  res.status(429).type('html').send(noticePage(locales, (locale) => ({ ...MESSAGES[locale].rateLimited, ...(reload && locale === locales[0] ? { extra: reload } : {}) })));
}

function answerPortalError(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const known = knownAppError(error);
  // The request's log line carries it, the token cut from its URL (api/http-logging.ts).
  if (!known || known.status >= 500) logWithRequest(res, error);
  const answer = known ?? new AppError('internal');
  if (wantsJson(req)) return sendProblem(res, answer);
  const page = noticePage(visitorLocales(req), (locale) => {
    const t = MESSAGES[locale];
    if (answer.code === 'forbidden') return { title: t.actionNotAllowed };
    if (answer.status < 500) return { title: t.invalidRequest };
    return t.failure;
  });
  res.status(answer.status).type('html').send(page);
}
