/**
 * A print proof as its customer checks it (seed 000): every page of the revision shown, in
 * order, each a preview that opens its zoom image; the revisions to switch between; where the
 * proof stands; the watermarked PDF; the earlier change requests with their pins drawn on the
 * pages; and, on the revision being decided, the approve form (terms of sale when asked) and
 * the change request (the change-cost notice first; pins with the page's script).
 *
 * Pure: data in, HTML out, built from small sections so another one is one more line.
 */
import type { LinkedDocument } from '../../services/db/links';
import type { Locale, ProofStatus } from '../../domain/documents';
import type { ProofPinInput } from '../../workflows/messages/proof';
import { html, SafeHtml } from './html';
import { formattersFor, MESSAGES, PROOF_MESSAGES, type Formatters, type ProofMessages } from './i18n';
import { pageShell } from './layout';
import { partiesBlock, type QuoteForm } from './quote-page';
import { proofScript } from './proof-script';
import { MEDIUM_WIDTH, SMALL_WIDTH } from '../../services/render/proof-sizes';

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
  pins: ProofPinInput[];
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
}

const STYLE = `
.revisions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.75rem 0 0;padding:0;list-style:none}
.revisions a,.revisions span{display:inline-block;padding:.3rem .7rem;border-radius:999px;border:1px solid #c9ced8;color:inherit;text-decoration:none;font-size:.9rem}
.revisions [aria-current]{background:var(--ink);border-color:var(--ink);color:#fff}
.revisions .unavailable{color:var(--muted);border-style:dashed}
.proof-page{margin:0 0 1.25rem}
.page-image{position:relative;line-height:0;border:1px solid var(--rule);box-shadow:0 1px 4px rgba(0,0,0,.08);background:#fff}
.page-image img{width:100%;height:auto;display:block}
.proof-page figcaption{color:var(--muted);font-size:.85rem;text-align:center;margin-top:.35rem}
.pin{position:absolute;transform:translate(-50%,-50%);min-width:1.6rem;height:1.6rem;line-height:1.6rem;border-radius:999px;background:#d7263d;color:#fff;font:600 .85rem/1.6rem system-ui,sans-serif;text-align:center;box-shadow:0 0 0 2px #fff;pointer-events:none}
.pin.new{background:#1f6feb}
.page-image a{display:block}
body.pinning [data-pinnable] img{cursor:crosshair}
body.pinning [data-pinnable] a:focus-visible{outline:3px solid #1f6feb;outline-offset:3px}
.crosshair{display:none;position:absolute;width:2.2rem;height:2.2rem;transform:translate(-50%,-50%);border-radius:50%;box-shadow:0 0 0 2px #fff,inset 0 0 0 2px #1f6feb;background:linear-gradient(#1f6feb,#1f6feb) center/2px 100% no-repeat,linear-gradient(#1f6feb,#1f6feb) center/100% 2px no-repeat;pointer-events:none}
body.pinning .page-image:focus-within .crosshair{display:block}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.zoom-view{position:fixed;inset:0;z-index:10;overflow:auto;background:rgba(20,22,28,.94)}
.zoom-view img{display:block;max-width:none;cursor:zoom-out}
.zoom-close{position:fixed;top:.6rem;right:.6rem;width:auto;z-index:11}
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
`;

export function renderProofPage(input: ProofPageInput): string {
  const t = PROOF_MESSAGES[input.locale];
  const f = formattersFor(input.locale);
  const title = input.document.title ?? t.proof;
  const body = html`
${input.notice ? html`<p class="notice ${input.notice.tone}" role="status">${input.notice.text}</p>` : null}
${statusLine(input, t, f)}
${headerSection(input, t, title)}
${pagesSection(input, t)}
${downloadSection(input, t)}
${decisionSection(input, t, f)}
${changeRequestsSection(input, t, f)}
${input.sections ?? null}
${footer(input)}
${proofScript()}`;
  return pageShell(input.locale, `${title} ${input.document.number} · ${input.document.tenant.name}`, body, STYLE);
}

function statusLine(input: ProofPageInput, t: ProofMessages, f: Formatters): SafeHtml {
  const since = input.statusSince ? f.dateTime(input.statusSince) : '';
  const { status, currentRevision } = input;
  const text =
    status === 'draft' || status === 'cancelled'
      ? t.status[status]
      : status === 'approved' || status === 'changes_requested'
        ? t.status[status](currentRevision, since)
        : t.status[status](currentRevision);
  const tone = status === 'approved' ? 'accepted' : status === 'changes_requested' ? 'on_hold' : status === 'cancelled' ? 'cancelled' : 'draft';
  return html`<p class="banner ${tone}" role="status" data-status="${status}">${text}</p>`;
}

/** Who sends what to whom, and the revision switcher. */
function headerSection(input: ProofPageInput, t: ProofMessages, title: string): SafeHtml {
  const q = MESSAGES[input.locale];
  const { document } = input;
  return html`<article class="sheet">
  <p class="eyebrow">${t.proof} ${q.numberLabel} ${document.number}</p>
  <h1>${title}</h1>
  ${partiesBlock(document, q)}
  ${revisionSwitcher(input, t)}
  ${olderRevisionNotice(input, t)}
</article>`;
}

function revisionHref(input: ProofPageInput, number: number): string {
  return `${input.linkPath}?revision=${number}`;
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

function pageImageUrl(input: ProofPageInput, revision: number, position: number, size?: 'zoom' | 'medium' | 'small'): string {
  return `${input.linkPath}/pages/${position}?revision=${revision}${size ? `&size=${size}` : ''}`;
}

/** The page column's width: main's 50rem less its padding (api/portal/layout.ts). */
const PREVIEW_SIZES = '(min-width: 50rem) 48.5rem, calc(100vw - 1rem)';

/** The preview's widths (services/render/proof-sizes.ts), so a phone downloads what it shows; none for a preview too small to have any. */
function previewSrcset(input: ProofPageInput, revision: number, page: ProofPageImage): SafeHtml | null {
  const previewWidth = page.width;
  if (!previewWidth || previewWidth <= SMALL_WIDTH) return null;
  const smaller = ([['small', SMALL_WIDTH], ['medium', MEDIUM_WIDTH]] as const).filter(([, width]) => width < previewWidth);
  const candidates = [
    ...smaller.map(([size, width]) => `${pageImageUrl(input, revision, page.position, size)} ${width}w`),
    `${pageImageUrl(input, revision, page.position)} ${previewWidth}w`,
  ];
  return html` srcset="${candidates.join(', ')}" sizes="${PREVIEW_SIZES}"`;
}

/** Every page in order: a preview linking to its zoom image, the shown revision's pins drawn on it. */
function pagesSection(input: ProofPageInput, t: ProofMessages): SafeHtml {
  const { shown } = input;
  if (!shown) return html`<section class="sheet"><p>${t.rendering}</p></section>`;
  const pins = input.changeRequests.find((request) => request.revision === shown.number)?.pins ?? [];
  // Pins are dropped on the revision being decided only: a change request is about it.
  const pinnable = shown.number === input.currentRevision && input.forms.some((form) => form.decision === 'request-changes');
  const count = shown.pages.length;
  const pages = shown.pages.map((page) => {
    const caption = t.pageOf(page.position, count);
    const markers = pins.flatMap((pin, index) =>
      pin.page === page.position ? [html`<span class="pin" style="left:${percent(pin.x)};top:${percent(pin.y)}" title="${pin.comment}">${index + 1}</span>`] : [],
    );
    return html`<figure class="proof-page" data-page="${page.position}"${pinnable ? html` data-pinnable` : null}>
  <div class="page-image"><a class="zoom" href="${pageImageUrl(input, shown.number, page.position, 'zoom')}"><img src="${pageImageUrl(input, shown.number, page.position)}"${previewSrcset(input, shown.number, page)} alt="${caption}"${
    page.width && page.height ? html` width="${page.width}" height="${page.height}"` : null
  }${page.position > 2 ? html` loading="lazy"` : null}></a>${markers}</div>
  <figcaption>${caption}</figcaption>
</figure>`;
  });
  return html`<section class="pages" aria-label="${t.revision(shown.number)}" data-zoom-label="${t.zoomDialog('{page}')}" data-close="${t.closeZoom}"><p class="hint">${t.zoomHint}</p>${pages}</section>`;
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
function decisionSection(input: ProofPageInput, t: ProofMessages, f: Formatters): SafeHtml | null {
  if (input.forms.length === 0 || input.shown?.number !== input.currentRevision) return null;
  const forms = input.forms.map((form) => (form.decision === 'approve' ? approveForm(input, form, t) : requestChangesForm(input, form, t, f)));
  return html`<section class="sheet"><h2>${MESSAGES[input.locale].answerHeading}</h2><div class="actions">${forms}</div></section>`;
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
  return html`<details class="request-changes" data-pin-label="${t.pinComment('{pin}', '{page}')}" data-remove-pin="${t.removePin}" data-crosshair="${t.crosshairAt('{x}', '{y}', '{page}')}"><summary>${t.requestChanges(input.currentRevision)}</summary>
<form method="post" action="${input.linkPath}/request-changes">${hiddenFields(form, input.currentRevision)}
${cost}
<label for="comment">${t.comment}</label><textarea id="comment" name="comment" required maxlength="5000"></textarea>
<p class="hint pin-hint" id="pin-hint" hidden>${t.pinHint}</p>
<button type="button" class="add-pin" aria-pressed="false" hidden>${t.addPin}</button>
<div class="pin-list"></div>
<input type="hidden" name="pins" value="">
<button type="submit">${t.sendChanges}</button></form></details>`;
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
