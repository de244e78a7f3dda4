/**
 * A print proof as its customer checks it (seed 000): every page of the revision shown, in
 * order, each a preview that opens its zoom image; the revisions to switch between; where the
 * proof stands; the watermarked PDF; the earlier change requests with their pins drawn on the
 * pages; and, on the revision being decided, the approve form (terms of sale when asked) and
 * the change request (the change-cost notice first; pins with the page's script).
 *
 * Laid out as a proofing tool: thumbnails that jump to their page (plain #page-N anchors, a
 * strip on a phone, a sidebar on a desktop), a page toolbar kept on screen (page n of N and
 * previous/next with the script; facing pages on wide screens as a ?view=spreads link), and
 * the decisions in a bar that never scrolls away — fixed at the bottom of a phone's screen,
 * a sticky column beside the pages on a desktop. In the document order the decisions come
 * right after the pages, before the conversation, so Tab reaches them there too.
 *
 * Pure: data in, HTML out, built from small sections so another one is one more line.
 */
import type { LinkedDocument } from '../../services/db/links';
import type { Locale, ProofStatus } from '../../domain/documents';
import type { ProofPinInput } from '../../workflows/messages/proof';
import { html, SafeHtml } from './html';
import { formattersFor, MESSAGES, PROOF_MESSAGES, type Formatters, type ProofMessages } from './i18n';
import { pageShell, statusAndNotice, type StatusBanner } from './layout';
import { portalSeller } from './seller-brand';
import { partiesBlock, type QuoteForm } from './quote-page';
import { proofScript } from './proof-script';
import { MEDIUM_WIDTH, SMALL_WIDTH, THUMBNAIL_WIDTH } from '../../services/render/proof-sizes';
import { DECIDERS_WORDS } from './deciders-section';

export interface ProofPageRevision {
  number: number;
  /** Rendered and viewable; a revision still rendering is listed but cannot open. */
  ready: boolean;
}

export interface ProofPageImage {
  position: number;
  /** Of the preview, in pixels (the page's aspect ratio). */
  width: number | null;
  height: number | null;
}

export interface ProofChangeRequest {
  revision: number;
  at: Date;
  comment: string;
  /** `resolution` once the seller said whether the pin is done (services/db/proof-trail.ts). */
  pins: (ProofPinInput & { resolution?: { resolved: boolean } })[];
}

export interface ProofPageInput {
  locale: Locale;
  /** "/d/<token>": images, the PDF and the forms hang under it. */
  linkPath: string;
  document: LinkedDocument;
  status: ProofStatus;
  /** The revision the decisions act on; 0 before the first is sent. */
  currentRevision: number;
  /** When the proof was approved or sent back, for the status line. */
  statusSince?: Date;
  /** The revisions the customer may open, oldest first. */
  revisions: ProofPageRevision[];
  /** The revision on screen and its pages; absent when none is ready yet. */
  shown?: { number: number; pages: ProofPageImage[] };
  changeRequests: ProofChangeRequest[];
  canDownload: boolean;
  /** The decisions offered (approve, request-changes), for the current revision only. */
  forms: QuoteForm[];
  /** The tenant's terms, when approving must accept them. */
  terms?: { version: string; text: string | null };
  /** The tenant's hourly rate for changes; no notice without one. */
  hourlyRate?: { amount: number; currency: string };
  sellerContact?: { name: string; email: string };
  notice?: { tone: 'success' | 'error'; text: string };
  /** Below the proof: the conversation, the chain, a forward form… */
  sections?: SafeHtml[];
  /** Facing pages (?view=spreads): page 1 alone on the right as a booklet's cover, then 2–3, 4–5… on wide screens. */
  spreads?: boolean;
  /** The ready revisions of the shown one's page count, which it can be compared with (itself included). */
  comparable?: number[];
  /** The revision shown compared, page by page, with another of the same page count (?compare=N): side by side, or overlaid (?view=overlay). */
  compare?: { number: number; pages: ProofPageImage[]; overlay: boolean };
}

/**
 * The page toolbar is as tall without the script's previous/next buttons as with them: when
 * the script shows them, nothing below moves.
 * From 60rem up the layout is two columns, the decisions right; their column spans every row
 * (1/span 20, more rows than the layout ever has), so their sticky box holds to the page's end.
 */
const STYLE = `
main{max-width:80rem}
.revisions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.75rem 0 0;padding:0;list-style:none}
.revisions a,.revisions span{display:inline-block;padding:.3rem .7rem;border-radius:999px;border:1px solid #c9ced8;color:inherit;text-decoration:none;font-size:.9rem}
.revisions [aria-current]{background:var(--ink);border-color:var(--ink);color:#fff}
.revisions .unavailable{color:var(--muted);border-style:dashed}
.proof-page{margin:0 0 1.25rem;scroll-margin-top:3.75rem}
.page-image{position:relative;line-height:0;border:1px solid var(--rule);box-shadow:0 1px 4px rgba(0,0,0,.08);background:#fff}
.page-image img{width:100%;height:auto;display:block}
.proof-page figcaption{color:var(--muted);font-size:.85rem;text-align:center;margin-top:.35rem}
.pin{position:absolute;transform:translate(-50%,-50%);min-width:1.6rem;height:1.6rem;line-height:1.6rem;border-radius:999px;background:#d7263d;color:#fff;font:600 .85rem/1.6rem system-ui,sans-serif;text-align:center;box-shadow:0 0 0 2px #fff;pointer-events:none}
.pin.new{background:#1f6feb}
.pin.earlier{background:#fff;color:#8c1d1d;box-shadow:0 0 0 2px #d7263d}
.pin.earlier.resolved{color:#14532d;box-shadow:0 0 0 2px #1a7f37}
.pin.earlier.resolved::after{content:"✓";margin-left:.1rem}
.answers{border-top:1px solid var(--rule);margin-top:.75rem;padding-top:.5rem}
.answers h2{font-size:1.05rem;margin:0 0 .3rem}
.answers p,.answers ol{margin:.2rem 0}
.answers ol{padding-left:1.4rem}
.answers .done{color:#14532d}
.answers .open{color:#8c1d1d}
.compare-links{display:flex;flex-wrap:wrap;gap:.3rem .9rem;margin:.5rem 0 0;font-size:.9rem}
.compare-links a,.compare-links span{color:inherit}
.compare-links [aria-current]{font-weight:700;text-decoration:none}
.compare-pair{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}
.compare-pair p{margin:0 0 .2rem;line-height:1.3;font-size:.8rem;color:var(--muted);text-align:center}
.page-image.overlay{isolation:isolate;background:#000}
.page-image.overlay img+img{position:absolute;inset:0;width:100%;height:100%;mix-blend-mode:difference}
.page-image a{display:block}
body.pinning [data-pinnable] img{cursor:crosshair}
body.pinning [data-pinnable] a:focus-visible{outline:3px solid #1f6feb;outline-offset:3px}
.crosshair{display:none;position:absolute;width:2.2rem;height:2.2rem;transform:translate(-50%,-50%);border-radius:50%;box-shadow:0 0 0 2px #fff,inset 0 0 0 2px #1f6feb;background:linear-gradient(#1f6feb,#1f6feb) center/2px 100% no-repeat,linear-gradient(#1f6feb,#1f6feb) center/100% 2px no-repeat;pointer-events:none}
body.pinning .page-image:focus-within .crosshair{display:block}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.zoom-view{position:fixed;inset:0;z-index:10;overflow:auto;background:rgba(20,22,28,.94);padding-top:3.2rem;touch-action:none}
.zoom-view img{display:block;max-width:none;margin:0 auto;cursor:zoom-out}
.zoom-tools{position:fixed;top:0;left:0;right:0;z-index:11;display:flex;flex-wrap:wrap;justify-content:center;gap:.35rem;padding:.5rem;background:rgba(20,22,28,.9)}
.zoom-tools button{width:auto;display:inline-block;padding:.35rem .7rem;font-size:.9rem}
.zoom-tools button[aria-pressed="true"]{background:#1f6feb;border-color:#1f6feb;color:#fff}
.zoom-tools button:disabled{opacity:.5;cursor:default}
.magnifier{position:fixed;z-index:6;width:14rem;height:14rem;border-radius:50%;transform:translate(-50%,-50%);pointer-events:none;background:#fff no-repeat;box-shadow:0 0 0 3px #fff,0 4px 16px rgba(0,0,0,.35)}
.magnifier[hidden]{display:none}
.change-request{border-top:1px solid var(--rule);padding:.6rem 0}
.change-request p{margin:.2rem 0}
.change-request ol{margin:.2rem 0;padding-left:1.4rem}
.terms-text{white-space:pre-wrap;font-size:.88rem;max-height:16rem;overflow:auto;background:var(--bg);border-radius:8px;padding:.6rem}
.pin-row{display:grid;grid-template-columns:1fr auto;gap:.2rem .5rem;align-items:center;margin:.4rem 0}
.pin-row label{grid-column:1/-1;font-size:.88rem;font-weight:600}
.pin-row input{font:inherit;padding:.45rem;border:1px solid #c9ced8;border-radius:8px}
.pin-row button,button.add-pin{width:auto;display:inline-block;padding:.45rem .8rem;font-size:.9rem}
button.add-pin[aria-pressed="true"]{background:#1f6feb;border-color:#1f6feb;color:#fff}
.cost{background:#fff3d9;color:#6e4a00;border-radius:8px;padding:.6rem .8rem;font-size:.92rem}
.thumbnails ol{display:flex;gap:.5rem;overflow-x:auto;list-style:none;margin:0 0 .5rem;padding:.2rem .1rem .4rem;position:relative}
.thumbnails li{flex:0 0 4.5rem}
.thumbnails a{display:block;color:inherit;text-decoration:none;text-align:center;font-size:.8rem;font-weight:600;border-radius:6px;padding:.25rem}
.thumbnails img{display:block;width:100%;height:auto;border:1px solid var(--rule);background:#fff}
.thumbnails a[aria-current]{background:var(--ink);color:#fff}
.thumbnails a:focus-visible,.page-toolbar a:focus-visible{outline:3px solid #7bb8ff;outline-offset:1px}
.page-toolbar{--page-nav-height:2.2rem;position:sticky;top:0;z-index:4;display:flex;flex-wrap:wrap;align-items:center;gap:.4rem .75rem;background:var(--bg);padding:.4rem 0;margin:0 0 .5rem;min-height:calc(var(--page-nav-height) + .8rem)}
.page-toolbar a{color:inherit;font-size:.9rem}
.all-pages{margin-left:auto}
.page-nav{display:flex;align-items:center;gap:.4rem}
.page-nav[hidden]{display:none}
.page-nav button{width:auto;display:inline-block;height:var(--page-nav-height);padding:.3rem .85rem;font-size:1.1rem;line-height:1.3}
.page-nav button:disabled{color:var(--muted);cursor:default}
.page-indicator{margin:0;font-weight:600;min-width:7.5rem;text-align:center;font-variant-numeric:tabular-nums}
.view-switch{display:none}
.decision-bar h2{margin-bottom:.6rem}
.decision-bar summary{font-weight:600}
@media (min-width:60rem){
  .proof-layout.deciding{display:grid;grid-template-columns:minmax(0,1fr) 21rem;column-gap:1.25rem;align-items:start}
  .proof-layout>*{grid-column:1}
  .proof-layout>.decision-bar{grid-column:2;grid-row:1/span 20;position:sticky;top:1rem;max-height:calc(100vh - 2rem);overflow-y:auto}
  main:has(.proof-layout:not(.deciding)){max-width:60rem}
  .viewer{display:flex;align-items:flex-start;gap:1rem}
  .thumbnails{position:sticky;top:1rem;flex:0 0 6.5rem;max-height:calc(100vh - 2rem);overflow-y:auto}
  .thumbnails ol{flex-direction:column;overflow:visible;margin:0}
  .thumbnails li{flex:none}
  .pages{flex:1;min-width:0}
  .all-pages{display:none}
  .view-switch{display:inline;margin-left:auto}
  .pages.spreads{display:grid;grid-template-columns:1fr 1fr;align-items:start}
  .pages.spreads>:not(figure){grid-column:1/-1}
  .pages.spreads>figure[data-page="1"]{grid-column:2}
}
@media (max-width:59.99rem){
  .proof-layout.deciding{padding-bottom:12rem}
  .decision-bar{position:fixed;left:0;right:0;bottom:0;z-index:5;margin:0;border-radius:12px 12px 0 0;padding:.6rem .75rem;max-height:85vh;overflow-y:auto;box-shadow:0 -4px 14px rgba(0,0,0,.15)}
  .decision-bar h2{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
  .decision-bar .actions{grid-template-columns:1fr 1fr;gap:.5rem;align-items:start}
  .decision-bar form[action$="/approve"]{display:contents}
  .decision-bar form[action$="/approve"] fieldset{grid-column:1/-1;margin:0;padding:0;border:0;font-size:.88rem}
  .decision-bar form[action$="/approve"] label.choice{padding:.1rem 0}
  .decision-bar form[action$="/approve"] details{border:0;padding:0 0 0 1.7rem}
  .decision-bar form[action$="/approve"] details summary{padding:0 0 .2rem;font-weight:400;text-decoration:underline}
  .decision-bar button.primary{font-size:.95rem;padding:.7rem .5rem}
  .decision-bar details.request-changes{padding:0 .6rem}
  .decision-bar details.request-changes summary{text-align:center;font-size:.88rem;line-height:1.3;padding:.6rem 0}
  .decision-bar details.request-changes[open]{grid-column:1/-1}
  .decision-bar:has(details.request-changes[open]) form[action$="/approve"]>*{display:none}
  body.pinning .decision-bar .request-changes form>:not(.add-pin):not(.pin-hint){display:none}
}
`;

export function renderProofPage(input: ProofPageInput): string {
  const t = PROOF_MESSAGES[input.locale];
  const seller = portalSeller(input.document);
  const f = formattersFor(input.locale, seller.timeZone);
  const title = input.document.title ?? t.proof;
  const body = html`
${statusAndNotice(statusLine(input, t, f), input.notice)}
${headerSection(input, t, f, title)}
<div class="proof-layout${isDeciding(input) ? ' deciding' : ''}">
${viewerSection(input, t)}
${decisionSection(input, t, f)}
${downloadSection(input, t)}
${changeRequestsSection(input, t, f)}
${input.sections ?? null}
${footer(input)}
</div>
${proofScript()}`;
  return pageShell(input.locale, `${title} ${input.document.number} · ${seller.identity.legalName}`, body, STYLE, seller, firstPagePreload(input));
}

/**
 * Page 1's preview asked for from the head, at the width its `<img>` will choose (same
 * srcset and sizes, so the browser uses what it preloaded): the style, the header and the
 * thumbnails come before the image in the page, which a slow network takes a while to bring.
 * In a comparison two revisions share the first screen: none is preloaded.
 */
function firstPagePreload(input: ProofPageInput): SafeHtml | null {
  const { shown } = input;
  const first = shown?.pages[0];
  if (!shown || !first || input.compare) return null;
  const sizes = input.spreads ? SPREAD_SIZES : PREVIEW_SIZES;
  const srcset = previewCandidates(input, shown.number, first);
  return html`<link rel="preload" as="image" href="${pageImageUrl(input, shown.number, first.position)}"${
    srcset ? html` imagesrcset="${srcset}" imagesizes="${sizes}"` : null
  } fetchpriority="high">
`;
}

function statusLine(input: ProofPageInput, t: ProofMessages, f: Formatters): StatusBanner {
  const since = input.statusSince ? f.dateTime(input.statusSince) : '';
  const { status, currentRevision } = input;
  const text =
    status === 'draft' || status === 'cancelled'
      ? t.status[status]
      : status === 'approved' || status === 'changes_requested'
        ? t.status[status](currentRevision, since)
        : t.status[status](currentRevision);
  const tone = status === 'approved' ? 'accepted' : status === 'changes_requested' ? 'on_hold' : status === 'cancelled' ? 'cancelled' : 'draft';
  return { tone, text, status };
}

/** Who sends what to whom, and the revision switcher. */
function headerSection(input: ProofPageInput, t: ProofMessages, f: Formatters, title: string): SafeHtml {
  const q = MESSAGES[input.locale];
  const { document } = input;
  return html`<article class="sheet">
  <p class="eyebrow">${t.proof} ${q.numberLabel} ${document.number}</p>
  <h1>${title}</h1>
  ${partiesBlock(document, q)}
  ${revisionSwitcher(input, t)}
  ${compareLinks(input, t)}
  ${olderRevisionNotice(input, t)}
  ${answersSection(input, t, f)}
</article>`;
}

/** A revision's address, in the view the customer chose. */
function revisionHref(input: ProofPageInput, number: number, spreads = input.spreads): string {
  return `${input.linkPath}?revision=${number}${spreads ? '&view=spreads' : ''}`;
}

/** The revision shown compared with `other`, side by side or overlaid. */
function compareHref(input: ProofPageInput, shown: number, other: number, overlay: boolean): string {
  return `${input.linkPath}?revision=${shown}&compare=${other}${overlay ? '&view=overlay' : ''}`;
}

/**
 * The comparisons the revision shown offers: with each other revision of the same page count
 * (page n against page n means something only then); in a comparison, its two views and the
 * way back. Plain links, so they work without the script.
 */
function compareLinks(input: ProofPageInput, t: ProofMessages): SafeHtml | null {
  const { shown, compare } = input;
  if (!shown) return null;
  if (compare) {
    const view = (overlay: boolean, label: string) =>
      overlay === compare.overlay
        ? html`<a href="${compareHref(input, shown.number, compare.number, overlay)}" aria-current="page">${label}</a>`
        : html`<a href="${compareHref(input, shown.number, compare.number, overlay)}">${label}</a>`;
    return html`<h2>${t.compareHeading(shown.number, compare.number)}</h2><p class="compare-links">${view(false, t.sideBySide)}${view(true, t.overlay)}<a href="${revisionHref(input, shown.number, false)}">${t.leaveCompare}</a></p>`;
  }
  const others = (input.comparable ?? []).filter((number) => number !== shown.number);
  if (others.length === 0) return null;
  return html`<p class="compare-links">${others.map((other) => html`<a href="${compareHref(input, shown.number, other, false)}">${t.compareWith(other)}</a>`)}</p>`;
}

/**
 * The change request the revision shown answers: the one made on the revision the customer saw
 * before it (the ready one before it), if any.
 */
function answeredRequest(input: ProofPageInput, shown: number): ProofChangeRequest | undefined {
  const previous = Math.max(0, ...input.revisions.filter((revision) => revision.ready && revision.number < shown).map((revision) => revision.number));
  return input.changeRequests.findLast((request) => request.revision === previous);
}

/** Whether the seller said anything about a request's pins: until then, no pin is called "not done". */
const sellerMarked = (request: ProofChangeRequest) => request.pins.some((pin) => pin.resolution);

/** "Revision 2, following your requests of <date>": what was asked, each pin done or not when the seller said. */
function answersSection(input: ProofPageInput, t: ProofMessages, f: Formatters): SafeHtml | null {
  const shown = input.shown?.number;
  const request = shown ? answeredRequest(input, shown) : undefined;
  if (!shown || !request) return null;
  const marked = sellerMarked(request);
  const pins = request.pins.map((pin, index) => {
    const state = !marked ? null : pin.resolution?.resolved ? html` — <strong class="done">✓ ${t.pinDone}</strong>` : html` — <strong class="open">${t.pinOpen}</strong>`;
    return html`<li value="${index + 1}">${t.pinLabel(index + 1, pin.page)} — ${pin.comment}${state}</li>`;
  });
  return html`<section class="answers" aria-labelledby="answers-heading"><h2 id="answers-heading">${t.follows(shown, f.date(request.at))}</h2><p>${request.comment}</p>${
    pins.length ? html`<ol>${pins}</ol>` : null
  }</section>`;
}

function revisionSwitcher(input: ProofPageInput, t: ProofMessages): SafeHtml | null {
  if (input.revisions.length === 0) return null;
  const items = input.revisions.map((revision) => {
    const name = `${t.revision(revision.number)}${revision.number === input.currentRevision ? ` (${t.current})` : ''}`;
    if (!revision.ready) return html`<li><span class="unavailable">${name}</span></li>`;
    return revision.number === input.shown?.number
      ? html`<li><a href="${revisionHref(input, revision.number)}" aria-current="page">${name}</a></li>`
      : html`<li><a href="${revisionHref(input, revision.number)}">${name}</a></li>`;
  });
  return html`<nav aria-label="${t.revisionsLabel}"><ul class="revisions"><li class="label">${t.revisionsLabel}</li>${items}</ul></nav>`;
}

function olderRevisionNotice(input: ProofPageInput, t: ProofMessages): SafeHtml | null {
  const shown = input.shown?.number;
  if (!shown || !input.currentRevision || shown === input.currentRevision) return null;
  return html`<p class="notice">${t.olderRevision(shown, input.currentRevision)} <a href="${revisionHref(input, input.currentRevision)}">${t.openCurrent(input.currentRevision)}</a></p>`;
}

function pageImageUrl(input: ProofPageInput, revision: number, position: number, size?: 'zoom' | 'medium' | 'small' | 'thumbnail'): string {
  return `${input.linkPath}/pages/${position}?revision=${revision}${size ? `&size=${size}` : ''}`;
}

/**
 * The page column's width (STYLE): on wide screens main's 80rem less its padding, the
 * decision column and the thumbnails; half of it for facing pages; the screen on a phone.
 */
const PREVIEW_SIZES = '(min-width: 80rem) 48.75rem, (min-width: 60rem) calc(100vw - 31.25rem), calc(100vw - 1rem)';
const SPREAD_SIZES = '(min-width: 80rem) 24.4rem, (min-width: 60rem) calc(50vw - 15.6rem), calc(100vw - 1rem)';

/** The preview's widths (services/render/proof-sizes.ts), so a phone downloads what it shows; none for a preview too small to have any. */
function previewCandidates(input: ProofPageInput, revision: number, page: ProofPageImage): string | null {
  const previewWidth = page.width;
  if (!previewWidth || previewWidth <= SMALL_WIDTH) return null;
  const smaller = ([['small', SMALL_WIDTH], ['medium', MEDIUM_WIDTH]] as const).filter(([, width]) => width < previewWidth);
  return [
    ...smaller.map(([size, width]) => `${pageImageUrl(input, revision, page.position, size)} ${width}w`),
    `${pageImageUrl(input, revision, page.position)} ${previewWidth}w`,
  ].join(', ');
}

function previewSrcset(input: ProofPageInput, revision: number, page: ProofPageImage, sizes: string): SafeHtml | null {
  const candidates = previewCandidates(input, revision, page);
  return candidates ? html` srcset="${candidates}" sizes="${sizes}"` : null;
}

/**
 * A page's preview at the width it is shown (`sizes`), its box reserved (width and height) so
 * nothing moves as it arrives. Page 1 is the largest thing on the first screen (on a phone, a
 * desktop, in spreads where it stands alone): it is fetched first, ahead of the thumbnails,
 * which a strip or a sidebar lays out above or beside it. Every later page starts below that
 * screen, so the browser fetches it as the reader scrolls near it.
 */
function previewImage(input: ProofPageInput, revision: number, page: ProofPageImage, alt: string, sizes: string): SafeHtml {
  return html`<img src="${pageImageUrl(input, revision, page.position)}"${previewSrcset(input, revision, page, sizes)} alt="${alt}"${
    page.width && page.height ? html` width="${page.width}" height="${page.height}"` : null
  }${page.position === 1 ? html` fetchpriority="high"` : html` loading="lazy"`}>`;
}

/** The preview as a link to its zoom image (which the script opens over the page). */
function zoomablePreview(input: ProofPageInput, revision: number, page: ProofPageImage, alt: string, sizes: string): SafeHtml {
  return html`<a class="zoom" href="${pageImageUrl(input, revision, page.position, 'zoom')}">${previewImage(input, revision, page, alt, sizes)}</a>`;
}

/**
 * A page of the revision shown beside (or under) the same page of the one compared. Overlaid,
 * the compared page is blended over with CSS's `difference`: identical pixels cancel to black
 * and what changed stands out, drawn by the browser from the previews it already caches — no
 * image to render, store or wait for, and it needs no script.
 */
function comparedPage(input: ProofPageInput, t: ProofMessages, shown: number, page: ProofPageImage, caption: string): SafeHtml {
  const compare = input.compare!;
  const other = compare.pages.find((candidate) => candidate.position === page.position) ?? page;
  const otherAlt = `${t.revision(compare.number)} — ${caption}`;
  if (compare.overlay) {
    return html`<div class="page-image overlay">${previewImage(input, shown, page, caption, PREVIEW_SIZES)}${previewImage(input, compare.number, other, otherAlt, PREVIEW_SIZES)}</div>`;
  }
  return html`<div class="compare-pair"><div><p>${t.revision(compare.number)}</p><div class="page-image">${zoomablePreview(input, compare.number, other, otherAlt, SPREAD_SIZES)}</div></div><div><p>${t.revision(shown)}</p><div class="page-image">${zoomablePreview(
    input,
    shown,
    page,
    `${t.revision(shown)} — ${caption}`,
    SPREAD_SIZES,
  )}</div></div></div>`;
}

/** The thumbnails beside (or above) the pages, and the pages. */
function viewerSection(input: ProofPageInput, t: ProofMessages): SafeHtml {
  const { shown } = input;
  if (!shown) return html`<section class="sheet"><p>${t.rendering}</p></section>`;
  return html`<div class="viewer">${thumbnailsNav(input, t, shown)}${pagesSection(input, t, shown)}</div>`;
}

/** One thumbnail a page, each a plain anchor to it: a jump without the script; loaded lazily, as the strip scrolls. */
function thumbnailsNav(input: ProofPageInput, t: ProofMessages, shown: NonNullable<ProofPageInput['shown']>): SafeHtml | null {
  const count = shown.pages.length;
  if (count < 2) return null;
  const items = shown.pages.map(
    (page) =>
      html`<li><a href="#page-${page.position}"><img src="${pageImageUrl(input, shown.number, page.position, 'thumbnail')}" alt="${t.pageOf(page.position, count)}"${
        page.width && page.height ? html` width="${THUMBNAIL_WIDTH}" height="${Math.round((THUMBNAIL_WIDTH * page.height) / page.width)}"` : null
      } loading="lazy"><span aria-hidden="true">${page.position}</span></a></li>`,
  );
  return html`<nav class="thumbnails" id="thumbnails" aria-label="${t.pagesLabel}"><ol>${items}</ol></nav>`;
}

/**
 * Kept at the top of the pages as they scroll: where the reader is and previous/next (the
 * script's: hidden without it, when each page's caption says where it is), a link back to
 * the thumbnails on a phone, and the switch between single pages and spreads on wide screens.
 */
function pageToolbar(input: ProofPageInput, t: ProofMessages, shown: NonNullable<ProofPageInput['shown']>): SafeHtml | null {
  const count = shown.pages.length;
  if (count < 2) return null;
  const spreadsSwitch =
    count > 2 && !input.compare
      ? html`<a class="view-switch" href="${revisionHref(input, shown.number, !input.spreads)}" data-spreads="${t.spreads}" data-single="${t.singlePages}">${input.spreads ? t.singlePages : t.spreads}</a>`
      : null;
  return html`<div class="page-toolbar"><div class="page-nav" hidden><button type="button" class="previous-page" aria-label="${t.previousPage}" aria-keyshortcuts="ArrowLeft">←</button><p class="page-indicator" role="status">${t.pageOf(1, count)}</p><button type="button" class="next-page" aria-label="${t.nextPage}" aria-keyshortcuts="ArrowRight">→</button></div><a class="all-pages" href="#thumbnails">${t.allPages}</a>${spreadsSwitch}</div>`;
}

/**
 * The pins drawn on the revision shown: those of its own change request; on a revision that
 * has none (a new one), those of the latest request before it — what this revision answers —
 * outlined, so the customer checks each point where it was asked.
 */
function pinsShown(input: ProofPageInput, shown: number): { pins: ProofChangeRequest['pins']; askedIn?: number; marked?: boolean } {
  if (input.compare) return { pins: [] };
  const own = input.changeRequests.find((request) => request.revision === shown);
  if (own) return { pins: own.pins };
  const answered = answeredRequest(input, shown);
  return answered?.pins.length ? { pins: answered.pins, askedIn: answered.revision, marked: sellerMarked(answered) } : { pins: [] };
}

/** Every page in order: a preview linking to its zoom image, the pins of pinsShown drawn on it. */
function pagesSection(input: ProofPageInput, t: ProofMessages, shown: NonNullable<ProofPageInput['shown']>): SafeHtml {
  const { pins, askedIn, marked } = pinsShown(input, shown.number);
  // Pins are dropped on the revision being decided only: a change request is about it.
  const pinnable = !input.compare && shown.number === input.currentRevision && input.forms.some((form) => form.decision === 'request-changes' || form.decision === 'comment');
  const count = shown.pages.length;
  const pages = shown.pages.map((page) => {
    const caption = t.pageOf(page.position, count);
    const markers = pins.flatMap((pin, index) =>
      pin.page === page.position
        ? [html`<span class="${pinClass(pin, askedIn)}" style="left:${percent(pin.x)};top:${percent(pin.y)}" title="${pinTitle(t, pin, askedIn, marked)}">${index + 1}</span>`]
        : [],
    );
    const image = input.compare
      ? comparedPage(input, t, shown.number, page, caption)
      : html`<div class="page-image">${zoomablePreview(input, shown.number, page, caption, input.spreads ? SPREAD_SIZES : PREVIEW_SIZES)}${markers}</div>`;
    return html`<figure class="proof-page" data-page="${page.position}" id="page-${page.position}"${pinnable ? html` data-pinnable` : null}>
  ${image}
  <figcaption>${caption}</figcaption>
</figure>`;
  });
  // The other view's sizes, for the script's switch: previews keep the sharpness of the width they are shown at.
  return html`<section class="pages${input.spreads ? ' spreads' : ''}" aria-label="${t.revision(shown.number)}" data-other-sizes="${input.spreads ? PREVIEW_SIZES : SPREAD_SIZES}" data-zoom-label="${t.zoomDialog('{page}')}" data-close="${t.closeZoom}" data-fit="${t.zoomFit}" data-level="${t.zoomLevel}" data-tools="${t.zoomTools}" data-previous="${t.previousPage}" data-next="${t.nextPage}">${pageToolbar(input, t, shown)}<p class="hint">${
    input.compare?.overlay ? t.overlayHint : t.zoomHint
  }</p>${askedIn ? html`<p class="hint earlier-pins">${t.earlierPins(askedIn)}</p>` : null}${pages}</section>`;
}

/** An earlier revision's pin is outlined, and ticked once the seller marked it done. */
function pinClass(pin: ProofChangeRequest['pins'][number], askedIn: number | undefined): string {
  if (!askedIn) return 'pin';
  return pin.resolution?.resolved ? 'pin earlier resolved' : 'pin earlier';
}

/** Named after the revision it was asked on; done or not once the seller marked any pin of its request (answersSection). */
function pinTitle(t: ProofMessages, pin: ProofChangeRequest['pins'][number], askedIn: number | undefined, marked: boolean | undefined): string {
  if (!askedIn) return pin.comment;
  return `${t.revision(askedIn)} — ${pin.comment}${marked ? ` (${pin.resolution?.resolved ? t.pinDone : t.pinOpen})` : ''}`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

function downloadSection(input: ProofPageInput, t: ProofMessages): SafeHtml | null {
  if (!input.canDownload || !input.shown) return null;
  return html`<p><a class="button" href="${input.linkPath}/pdf?revision=${input.shown.number}" download>${t.downloadPdf}</a><span class="hint">${t.downloadHint}</span></p>`;
}

function hiddenFields(form: QuoteForm, revision: number): SafeHtml {
  return html`<input type="hidden" name="decisionId" value="${form.decisionId}"><input type="hidden" name="csrf" value="${form.csrf}"><input type="hidden" name="revision" value="${revision}">`;
}

/** The forms act on the current revision only, and are shown with it. */
function isDeciding(input: ProofPageInput): boolean {
  return input.forms.length > 0 && input.shown?.number === input.currentRevision;
}

/** The decisions, in the bar that stays on screen (STYLE): a region named by its heading. */
function decisionSection(input: ProofPageInput, t: ProofMessages, f: Formatters): SafeHtml | null {
  if (!isDeciding(input)) return null;
  const forms = input.forms.map((form) => {
    if (form.decision === 'approve') return approveForm(input, form, t);
    if (form.decision === 'withdraw') return html`<form method="post" action="${input.linkPath}/withdraw">${hiddenFields(form, input.currentRevision)}<p class="hint">${t.withdrawHint}</p><button type="submit">${t.withdraw}</button></form>`;
    if (form.decision === 'comment') return commentForm(input, form, t);
    return requestChangesForm(input, form, t, f);
  });
  return html`<section class="sheet decision-bar" aria-labelledby="decision-heading"><h2 id="decision-heading">${MESSAGES[input.locale].answerHeading}</h2><div class="actions">${forms}</div></section>`;
}

function approveForm(input: ProofPageInput, form: QuoteForm, t: ProofMessages): SafeHtml {
  const { terms } = input;
  const termsFields = terms
    ? html`<fieldset><label class="choice"><input type="checkbox" name="acceptTerms" value="true" required><span>${t.acceptTerms(terms.version)}</span></label>${
        terms.text ? html`<details><summary>${t.readTerms}</summary><div class="terms-text">${terms.text}</div></details>` : null
      }<input type="hidden" name="termsVersion" value="${terms.version}"></fieldset>`
    : null;
  return html`<form method="post" action="${input.linkPath}/approve">${hiddenFields(form, input.currentRevision)}${termsFields}<button class="primary" type="submit">${t.approve(input.currentRevision)}</button></form>`;
}

function requestChangesForm(input: ProofPageInput, form: QuoteForm, t: ProofMessages, f: Formatters): SafeHtml {
  const rate = input.hourlyRate;
  const cost = rate ? html`<p class="cost">${t.changeCost(f.money(rate.amount, rate.currency))}</p>` : null;
  return pinnedCommentForm(input, form, t, { action: 'request-changes', summary: t.requestChanges(input.currentRevision), label: t.comment, submit: t.sendChanges, cost });
}

/** A reviewer's comment: the change request's form, pins included, that decides nothing. */
function commentForm(input: ProofPageInput, form: QuoteForm, t: ProofMessages): SafeHtml {
  return pinnedCommentForm(input, form, t, { action: 'comment', summary: t.addComment(input.currentRevision), label: DECIDERS_WORDS[input.locale].yourComment, submit: DECIDERS_WORDS[input.locale].sendComment, cost: null });
}

/** The page script's pins work on it by its class (request-changes), whatever it posts to. */
function pinnedCommentForm(
  input: ProofPageInput,
  form: QuoteForm,
  t: ProofMessages,
  words: { action: 'request-changes' | 'comment'; summary: string; label: string; submit: string; cost: SafeHtml | null },
): SafeHtml {
  return html`<details class="request-changes" data-pin-label="${t.pinComment('{pin}', '{page}')}" data-remove-pin="${t.removePin}" data-crosshair="${t.crosshairAt('{x}', '{y}', '{page}')}"><summary>${words.summary}</summary>
<form method="post" action="${input.linkPath}/${words.action}">${hiddenFields(form, input.currentRevision)}
${words.cost}
<label for="comment">${words.label}</label><textarea id="comment" name="comment" required maxlength="5000"></textarea>
<p class="hint pin-hint" id="pin-hint" hidden>${t.pinHint}</p>
<button type="button" class="add-pin" aria-pressed="false" hidden>${t.addPin}</button>
<div class="pin-list"></div>
<input type="hidden" name="pins" value="">
<button type="submit">${words.submit}</button></form></details>`;
}

/** Earlier change requests, each with its revision; pins listed in the order drawn on the pages. */
function changeRequestsSection(input: ProofPageInput, t: ProofMessages, f: Formatters): SafeHtml | null {
  if (input.changeRequests.length === 0) return null;
  const requests = [...input.changeRequests].reverse().map(
    (request) => html`<div class="change-request" data-revision="${request.revision}">
  <p class="label">${t.requestedOn(request.revision, f.dateTime(request.at))}</p>
  <p>${request.comment}</p>
  ${request.pins.length ? html`<ol>${request.pins.map((pin, index) => html`<li value="${index + 1}">${t.pinLabel(index + 1, pin.page)} — ${pin.comment}</li>`)}</ol>` : null}
  ${request.revision !== input.shown?.number ? html`<p><a href="${revisionHref(input, request.revision)}">${t.revision(request.revision)}</a></p>` : null}
</div>`,
  );
  return html`<section class="sheet"><h2>${t.earlierRequests}</h2>${requests}</section>`;
}

function footer(input: ProofPageInput): SafeHtml {
  const q = MESSAGES[input.locale];
  return html`<footer>
  ${input.sellerContact ? html`<p>${q.questions(input.sellerContact.name)} · <a href="mailto:${input.sellerContact.email}">${input.sellerContact.email}</a></p>` : null}
</footer>`;
}
