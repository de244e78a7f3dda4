/**
 * The customer portal, mounted at /d: one link token opens one quote.
 *
 *   GET  /d/:token          the quote page (each open recorded as a view)
 *   GET  /d/:token/pdf      the quote as PDF (recorded as a download)
 *   POST /d/:token/accept   `options?`: ids of the optional lines chosen
 *   POST /d/:token/refuse   `reason?`
 *   POST /d/:token/hold
 *   GET  /d/:token/<decision>  back to the page (the address a decision's answer shows)
 *
 * Posts are HTML forms (CSRF field and one-time decision id, see csrf.ts) answered with the
 * page in its new state, or JSON (`Content-Type: application/json`, no CSRF field,
 * `decisionId` optional) answered with `{status, decisionId}` — also for any client that
 * asks `Accept: application/json`. Unknown and revoked tokens answer a 404 page and record
 * nothing; an expired link answers 410 and says whom to contact.
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { findLinkByToken, type FoundLink } from '../../activities/db/links';
import { renderQuotePdf } from '../../activities/render/quote-pdf';
import { LOCALES, pickLocale, type Locale, type QuoteStatus, type RequestSource } from '../../domain/documents';
import type { AppDeps } from '../app';
import { AppError, toProblem } from '../errors';
import { parseWith } from '../schemas';
import { isFormSignatureValid, signForm } from './csrf';
import { recordCustomerFact, takeDecision } from './customer-actions';
import { decisionsOffered, PORTAL_DECISIONS, type PortalDecision } from './decisions';
import { html } from './html';
import { formattersFor, MESSAGES, type Messages } from './i18n';
import { localesForVisitor, noticePage } from './layout';
import { sellerContact, statusSince } from './page-state';
import { renderQuotePage } from './quote-page';
import { createPortalRateLimiters } from './rate-limits';

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
});

const PORTAL_HEADERS: Record<string, string> = {
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'X-Content-Type-Options': 'nosniff',
  // Pages carry their own inline style and no script; forms post back here only.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

type LinkHandler = (req: Request, res: Response, found: FoundLink) => Promise<void>;

export function createPortalRouter(deps: AppDeps): Router {
  const router = express.Router();
  const rateLimited = createPortalRateLimiters(deps.config.portalRateLimits, answerRateLimited);
  const parseBody = [express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 200 }), express.json({ limit: '16kb' })];

  router.use((_req, res, next) => {
    res.set(PORTAL_HEADERS);
    next();
  });

  /** Resolves the token first: nothing below runs, and nothing is recorded, for a dead link. */
  const withLink =
    (handler: LinkHandler): RequestHandler =>
    async (req, res) => {
      const found = await findLinkByToken(deps.prisma, String(req.params.token));
      if (!found) return answerUnknownLink(req, res);
      if (found.expired) return answerExpiredLink(deps, req, res, found);
      await handler(req, res, found);
    };

  const showQuote: LinkHandler = async (req, res, found) => {
    // HEAD is what link checkers send: it shows the page exists without counting a view.
    if (req.method !== 'HEAD') await recordCustomerFact(deps, found, 'viewed', requestSource(req));
    res.type('html').send(await quotePage(deps, req, found, {}));
  };

  const downloadPdf: LinkHandler = async (req, res, found) => {
    if (!found.link.actions.includes('download')) throw new AppError('forbidden', 'This link does not allow downloading the PDF');
    const pdf = await renderQuotePdf(deps.prisma, { tenantId: found.document.tenantId, documentId: found.document.id });
    if (req.method !== 'HEAD') await recordCustomerFact(deps, found, 'downloaded', requestSource(req));
    res.attachment(pdfFileName(found)).type('application/pdf').send(Buffer.from(pdf));
  };

  const decide =
    (decision: PortalDecision): LinkHandler =>
    async (req, res, found) => {
      const t = MESSAGES[customerLocale(found)];
      const refuse = async (error: AppError, text: string) => {
        if (wantsJson(req)) return sendProblem(res, error);
        const current = await currentStatus(deps, found);
        res.status(error.status).type('html').send(await quotePage(deps, req, found, { status: current, notice: { tone: 'error', text } }));
      };

      let body: z.output<typeof decisionBodySchema>;
      try {
        body = parseWith(decisionBodySchema, req.body ?? {}, 'body');
      } catch (error) {
        if (error instanceof AppError) return refuse(error, t.invalidRequest);
        throw error;
      }
      const isJsonPost = Boolean(req.is('application/json'));
      if (!isJsonPost && !(body.decisionId && body.csrf && isFormSignatureValid(deps.config.appSecret, found.link.id, body.decisionId, body.csrf))) {
        return refuse(new AppError('forbidden', 'The form lacks a valid anti-CSRF field; reload the page and submit again'), t.formExpired);
      }
      if (!found.link.actions.includes(decision)) {
        return refuse(new AppError('forbidden', `This link does not allow the decision "${decision}"`), t.actionNotAllowed);
      }
      const options = decision === 'accept' ? body.options : undefined;
      const optionalLineIds = new Set(found.document.lines.filter((line) => line.optional).map((line) => line.id));
      const unknownOption = options?.find((id) => !optionalLineIds.has(id));
      if (unknownOption) {
        return refuse(
          new AppError('validation_failed', 'Some fields are missing or invalid; see errors.', [{ path: 'options', message: `${unknownOption} is not an optional line of this quote` }]),
          t.invalidRequest,
        );
      }

      const decisionId = body.decisionId ?? randomUUID();
      let status: QuoteStatus;
      try {
        status = await takeDecision(deps, found, { decision, decisionId, reason: body.reason, options, source: requestSource(req) });
      } catch (error) {
        if (error instanceof AppError && error.code === 'decision_rejected') {
          return refuse(error, t.decisionNotAllowed(t.statusNames[await currentStatus(deps, found)]));
        }
        throw error;
      }
      if (wantsJson(req)) {
        res.json({ status, decisionId });
        return;
      }
      res.type('html').send(await quotePage(deps, req, found, { status, notice: { tone: 'success', text: t.decided[decision] } }));
    };

  router.get('/:token', rateLimited, withLink(showQuote));
  router.get('/:token/pdf', rateLimited, withLink(downloadPdf));
  for (const decision of PORTAL_DECISIONS) {
    router.post(`/:token/${decision}`, rateLimited, parseBody, withLink(decide(decision)));
    // A decision's answer is rendered at the address the form posted to; opening that
    // address again (bookmark, copied URL) leads back to the quote.
    router.get(`/:token/${decision}`, rateLimited, (req: Request, res: Response) => res.redirect(303, `${req.baseUrl}/${encodeURIComponent(String(req.params.token))}`));
  }
  router.use(answerPortalError);
  return router;
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

/** The status to show after a refusal: the row, which the workflow keeps current. */
async function currentStatus(deps: AppDeps, found: FoundLink): Promise<QuoteStatus> {
  const document = await deps.prisma.document.findUniqueOrThrow({ where: { id: found.document.id }, select: { status: true } });
  return document.status as QuoteStatus;
}

async function quotePage(
  deps: AppDeps,
  req: Request,
  found: FoundLink,
  state: { status?: QuoteStatus; notice?: { tone: 'success' | 'error'; text: string } },
): Promise<string> {
  const status = state.status ?? (found.document.status as QuoteStatus);
  const [since, contact] = await Promise.all([statusSince(deps.prisma, found, status), sellerContact(deps.prisma, found)]);
  const forms = decisionsOffered(status, found.link.actions).map((decision) => {
    const decisionId = randomUUID();
    return { decision, decisionId, csrf: signForm(deps.config.appSecret, found.link.id, decisionId) };
  });
  return renderQuotePage({
    locale: customerLocale(found),
    linkPath: `${req.baseUrl}/${String(req.params.token)}`,
    document: found.document,
    status,
    // A decision just taken may not be in the trail yet: it happened now.
    statusSince: since ?? (state.notice?.tone === 'success' ? new Date() : undefined),
    sellerContact: contact,
    canDownload: found.link.actions.includes('download'),
    forms,
    notice: state.notice,
  });
}

function pdfFileName(found: FoundLink): string {
  const t = MESSAGES[customerLocale(found)];
  return `${t.quote} ${found.document.number}.pdf`.replace(/[^\p{L}\p{N} ._-]/gu, '_');
}

function sendProblem(res: Response, error: AppError): void {
  res.status(error.status).type('application/problem+json').send(JSON.stringify(toProblem(error)));
}

function answerUnknownLink(req: Request, res: Response): void {
  if (wantsJson(req)) return sendProblem(res, new AppError('not_found', 'No document behind this link'));
  res.status(404).type('html').send(noticePage(visitorLocales(req), (locale) => MESSAGES[locale].notFound));
}

async function answerExpiredLink(deps: AppDeps, req: Request, res: Response, found: FoundLink): Promise<void> {
  const contact = await sellerContact(deps.prisma, found);
  const seller = found.document.tenant.name;
  if (wantsJson(req)) {
    const whom = contact ? `${contact.name} <${contact.email}> at ${seller}` : seller;
    return sendProblem(res, new AppError('link_expired', `This link has expired; contact ${whom} for a new one`));
  }
  const locale = customerLocale(found);
  const t: Messages = MESSAGES[locale];
  const expiredOn = formattersFor(locale).date(found.link.expiresAt ?? new Date());
  const page = noticePage([locale], () => ({
    title: t.linkExpired.title,
    body: t.linkExpired.body(expiredOn, contact ? `${contact.name} (${seller})` : seller),
    extra: contact ? html`<p><a class="button" href="mailto:${contact.email}">${contact.email}</a></p>` : undefined,
  }));
  res.status(410).type('html').send(page);
}

function answerRateLimited(req: Request, res: Response): void {
  if (wantsJson(req)) return sendProblem(res, new AppError('rate_limited', 'Too many requests for this link or from this address; wait a minute'));
  res.status(429).type('html').send(noticePage(visitorLocales(req), (locale) => MESSAGES[locale].rateLimited));
}

/** Body parser failures as AppErrors, so they answer like every other refusal. */
function asAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return new AppError('malformed_json');
  if (type === 'entity.too.large' || type === 'parameters.too.many') return new AppError('validation_failed', 'The request body is too large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new AppError('unsupported_media_type');
  return undefined;
}

function answerPortalError(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const known = asAppError(error);
  if (!known || known.status >= 500) // The route pattern, never the URL: the URL holds the customer's token.
    console.error('portal request failed', req.method, `${req.baseUrl}${req.route?.path ?? ''}`, error);
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
