/**
 * Telling a customer's view from a machine's open.
 *
 * Mail scanners (Safe Links, Proofpoint, Mimecast, Barracuda…) and chat previews fetch every
 * link of an email, some within seconds of sending and some running the page's JavaScript;
 * counting those as views would tell the seller "the customer read it" when nobody did. So:
 *
 * - Every GET or HEAD of a page is an `opened` event: kept in the trail with time, IP and
 *   user agent, always doubtful (`human: false`, `counted: false`, and a `reason`: `head`,
 *   `no-user-agent`, `known-scanner`, `just-sent`, or `unconfirmed`). It counts in
 *   openCount only, notifies nobody and moves no status; it carries the page's view id, which
 *   the `viewed` event confirming it names (the trail shows each open confirmed or not).
 * - A view becomes human when the page reports a real input (view-beacon.ts posts the view
 *   id to `<link>/seen`), or when the customer acts from the link (a decision, a message):
 *   whoever acts has read. Only then is it the `viewed` fact: counted in viewCount and
 *   lastViewedAt, `sent → viewed` in the workflow, the assignee notified.
 * - Once per view id: the confirmation claims the id in the idempotent-request table
 *   (scope `portal-view`), so a repeated beacon or a beacon racing a decision counts once.
 *   A view is confirmed within a day of its open or never (the table's key lifetime), so a
 *   claim is never needed after the table may forget it.
 * - A beacon from a known scanner's user agent confirms nothing; a download by one is kept
 *   as a doubtful, uncounted download and does not reach the workflow.
 */
import { randomUUID } from 'node:crypto';
import { mayHaveDeliveriesToStart, recordAuditEvent } from '../../services/db/audit';
import { dispatchWebhookDeliveries } from '../../services/webhooks/dispatch';
import { actorLabel, type RequestSource } from '../../domain/documents';
import type { AccessLink, PrismaClient } from '../../generated/prisma/client';
import type { Config } from '../../platform/config';
import { sha256Hex } from '../../platform/ids';
import { AppError } from '../../domain/errors';
import { IDEMPOTENCY_TTL_MS } from '../idempotency';
import { apiMetrics } from '../metrics';
import { recordFact } from '../operations/facts';
import { recordsBehindTheAnswer } from '../operations/quote-workflow';
import type { ViewedSignal } from '../../workflows/messages/document';
import { customerActor, customerFact, recordCustomerFact, type CustomerActionDeps, type FactTarget } from './customer-actions';

/**
 * Lower-case pieces of the user agents of link scanners, link previews and HTTP libraries.
 * Not exhaustive (scanners that pose as browsers are caught by needing an interaction), but
 * it names the doubt in the trail and keeps the known ones from confirming anything.
 */
const KNOWN_SCANNER_AGENTS = [
  'bingpreview', // Outlook and Microsoft Defender Safe Links
  'safelinks',
  'microsoft office',
  'ms-office',
  'barracuda',
  'proofpoint',
  'mimecast',
  'google-safety',
  'googleimageproxy',
  'appengine-google',
  'symantec',
  'trendmicro',
  'sophos',
  'fortiguard',
  'slackbot',
  'slack-imgproxy',
  'skypeuripreview',
  'teamsbot',
  'whatsapp',
  'telegrambot',
  'discordbot',
  'facebookexternalhit',
  'linkedinbot',
  'twitterbot',
  'headlesschrome',
  'phantomjs',
  'curl/',
  'wget/',
  'python-requests',
  'python-urllib',
  'aiohttp',
  'go-http-client',
  'okhttp',
  'java/',
  'libwww-perl',
  'crawler',
  'spider',
];

/** Opens this soon after sending are what scanners do, not people. */
const JUST_SENT_MS = 30_000;

/** A view is confirmed within a day of its open, or not at all. */
const VIEW_CONFIRMATION_WINDOW_MS = IDEMPOTENCY_TTL_MS;

const VIEW_CLAIM_SCOPE = 'portal-view';
const VIEW_CLAIM_PATH = '/d/:token/seen';

export type DoubtReason = 'head' | 'no-user-agent' | 'known-scanner' | 'just-sent' | 'unconfirmed';

/** What a page shows, through which link. */
export interface ViewTarget {
  link: AccessLink;
  document: { id: string; tenantId: string; kind: string; sentAt: Date | null; workflowId?: string | null };
}

function machineReason(source: RequestSource): 'no-user-agent' | 'known-scanner' | undefined {
  if (!source.userAgent) return 'no-user-agent';
  const agent = source.userAgent.toLowerCase();
  return KNOWN_SCANNER_AGENTS.some((piece) => agent.includes(piece)) ? 'known-scanner' : undefined;
}

function doubtAbout(target: ViewTarget, request: { head: boolean; source: RequestSource; at: Date }): DoubtReason {
  if (request.head) return 'head';
  const machine = machineReason(request.source);
  if (machine) return machine;
  const sentAt = target.document.sentAt;
  if (sentAt && request.at.getTime() - sentAt.getTime() < JUST_SENT_MS) return 'just-sent';
  return 'unconfirmed';
}

const openedKey = (viewId: string) => `portal:opened:${viewId}`;

/** A page's open: the view id the page reports with, and its recording, under way. */
export interface PageOpen {
  viewId: string;
  /** Settles once the `opened` row is there, which the page's beacon confirmation looks up: the page is answered after it. */
  recorded: Promise<void>;
}

/**
 * Records the open of a page, doubtful until confirmed. Each open is a page view of its own,
 * so its id is drawn here, once per request; the page is rendered while the open is recorded.
 *
 * The one fact the API writes itself rather than through a fact workflow (operations/facts.ts):
 * a customer must get their page while no worker runs (a deploy, a worker killed), and the
 * page's beacon and a decision taken from it look its row up, so the row is written before the
 * page is answered. It changes no status; its webhook deliveries are started right after the
 * commit, as an activity starts those of what it records.
 */
export function recordOpen(deps: CustomerActionDeps & { config: Pick<Config, 'taskQueue' | 'webhooks'> }, target: ViewTarget, request: { head: boolean; source: RequestSource }): PageOpen {
  const viewId = randomUUID();
  const at = new Date();
  const data = { linkId: target.link.id, viewId, human: false, reason: doubtAbout(target, { ...request, at }), counted: false };
  const event = {
    tenantId: target.document.tenantId,
    documentId: target.document.id,
    dedupeKey: openedKey(viewId),
    at,
    actor: actorLabel(customerActor(target.link)),
    ...request.source,
    data,
  };
  const recorded = (async () => {
    // One statement when no webhook endpoint may want it; else the event and its deliveries, then their start.
    const recorded = await recordAuditEvent(deps.prisma, { ...event, type: 'opened' });
    const dispatcher = { client: deps.temporal, taskQueue: deps.config.taskQueue, retryDelaysMs: deps.config.webhooks.retryDelaysMs };
    if (mayHaveDeliveriesToStart(recorded)) await dispatchWebhookDeliveries(deps.prisma, () => dispatcher, recorded.event.id);
    apiMetrics.portalOpens.inc({ kind: target.document.kind });
  })();
  return { viewId, recorded };
}

/**
 * The page reports that a person used it (view-beacon.ts). True when this counted the view;
 * false when it was counted already, is too old, or the reporter is a known scanner.
 */
export async function confirmSeen(deps: CustomerActionDeps, link: AccessLink, viewId: string, source: RequestSource): Promise<boolean> {
  const opened = await deps.prisma.auditEvent.findUnique({ where: { dedupeKey: openedKey(viewId) } });
  if (!opened || opened.tenantId !== link.tenantId || (opened.data as { linkId?: unknown }).linkId !== link.id) {
    throw new AppError('not_found', 'No page view with this id was opened through this link');
  }
  if (machineReason(source)) return false;
  return confirmView(deps, { link, document: { id: opened.documentId, tenantId: link.tenantId }, openedAt: opened.at, viewId, source });
}

/**
 * The customer acts from the link (decides, writes): a person read the page they acted on,
 * the last one opened through this link. Nothing to confirm for a client that never opened it.
 */
export async function confirmViewBeforeAction(deps: CustomerActionDeps, target: ViewTarget, source: RequestSource): Promise<void> {
  const viewId = await claimLastOpened(deps.prisma, target);
  if (viewId) await recordClaimedView(deps, target, viewId, source);
}

/**
 * A decision taken from the link, having read its page (as `confirmViewBeforeAction`). For a
 * document whose workflow takes the decision and records behind its answer (a quote, an order,
 * a delivery note) the view is not signalled first: its claim is handed to the decision, whose
 * update carries it and whose workflow takes it just before the decision — one call to Temporal
 * and one workflow task where a signal and then the update took two, the update waiting for the
 * signal's task. A refused decision took no view (story.ts): it is recorded on its own, as
 * before; a decision failed on its way lets its claim go, for a retry to claim again. Any other
 * document's view is confirmed first.
 */
export async function decideHavingViewed<T>(
  deps: CustomerActionDeps,
  target: ViewTarget,
  source: RequestSource,
  decide: (viewed: ViewedSignal | undefined) => Promise<T>,
): Promise<T> {
  if (!recordsBehindTheAnswer(target.document.kind)) {
    await confirmViewBeforeAction(deps, target, source);
    return decide(undefined);
  }
  const viewId = await claimLastOpened(deps.prisma, target);
  if (!viewId) return decide(undefined);
  try {
    const decided = await decide({ eventId: viewId, at: Date.now(), actor: customerActor(target.link), source });
    apiMetrics.portalViews.inc({ kind: target.document.kind });
    return decided;
  } catch (error) {
    const refused = error instanceof AppError && error.code === 'decision_rejected';
    await (refused ? recordCustomerFact(deps, target, 'viewed', source, viewId) : releaseView(deps.prisma, viewId));
    throw error;
  }
}

/**
 * Claims the view of the last page opened through the link while it may still be confirmed:
 * its view id, or undefined when there is none to claim (never opened, too old, claimed
 * already). One statement where looking the open up and then claiming it took two round trips.
 */
async function claimLastOpened(prisma: PrismaClient, target: ViewTarget): Promise<string | undefined> {
  const openedSince = new Date(Date.now() - VIEW_CONFIRMATION_WINDOW_MS);
  const [claimed] = await prisma.$queryRaw<{ key: string }[]>`
    INSERT INTO "IdempotentRequest" ("scope", "key", "method", "path", "bodyHash", "status")
    SELECT ${VIEW_CLAIM_SCOPE}, opened."viewId", 'POST', ${VIEW_CLAIM_PATH}, encode(sha256(convert_to(opened."viewId", 'UTF8')), 'hex'), 200
    FROM (
      SELECT "data"->>'viewId' AS "viewId", "at" FROM "AuditEvent"
      WHERE "documentId" = ${target.document.id} AND "type" = 'opened' AND "data"->>'linkId' = ${target.link.id}
      ORDER BY "seq" DESC LIMIT 1
    ) AS opened
    WHERE opened."viewId" IS NOT NULL AND opened."at" >= ${openedSince}
    ON CONFLICT DO NOTHING
    RETURNING "key"`;
  return claimed?.key;
}

/** A download by a known scanner is kept, doubtful and uncounted; a customer's is the `downloaded` fact. */
export async function recordDownload(deps: CustomerActionDeps, target: ViewTarget, source: RequestSource): Promise<void> {
  const machine = machineReason(source);
  if (!machine) return recordCustomerFact(deps, target, 'downloaded', source);
  // Each fetch is a download of its own (nothing tells a scanner's retry from its next fetch): its key is drawn once, here.
  const data = { linkId: target.link.id, human: false, reason: machine, counted: false };
  await recordFact(deps, customerFact(target, { dedupeKey: `portal:${randomUUID()}`, type: 'downloaded', at: Date.now(), source, data }));
}

async function confirmView(
  deps: CustomerActionDeps,
  view: { link: AccessLink; document: FactTarget['document']; openedAt: Date; viewId: string; source: RequestSource },
): Promise<boolean> {
  if (Date.now() - view.openedAt.getTime() > VIEW_CONFIRMATION_WINDOW_MS) return false;
  if (!(await claimView(deps.prisma, view.viewId))) return false;
  await recordClaimedView(deps, view, view.viewId, view.source);
  return true;
}

/** Records the view just claimed; not recorded, it is let go, for a retry (a beacon's, a decision's) to count it. */
async function recordClaimedView(deps: CustomerActionDeps, target: FactTarget, viewId: string, source: RequestSource): Promise<void> {
  try {
    // The view id is the fact's event id: the `viewed` row names the open it confirms.
    await recordCustomerFact(deps, { link: target.link, document: target.document }, 'viewed', source, viewId);
  } catch (error) {
    await releaseView(deps.prisma, viewId);
    throw error;
  }
}

async function releaseView(prisma: PrismaClient, viewId: string): Promise<void> {
  await prisma.idempotentRequest.deleteMany({ where: { scope: VIEW_CLAIM_SCOPE, key: viewId } });
}

/** Atomic: of two confirmations of one view, exactly one inserts the row. */
async function claimView(prisma: PrismaClient, viewId: string): Promise<boolean> {
  const claim = await prisma.idempotentRequest.createMany({
    data: [{ scope: VIEW_CLAIM_SCOPE, key: viewId, method: 'POST', path: VIEW_CLAIM_PATH, bodyHash: sha256Hex(viewId), status: 200 }],
    skipDuplicates: true,
  });
  return claim.count === 1;
}
