/**
 * The shell of every portal page: one HTML document with its small stylesheet inline, no
 * script, no external asset, so the page is complete after one round trip on a phone.
 */
import { html, SafeHtml } from './html';
import { LOCALES, type Locale } from '../../domain/documents';
import { brandStyle, sellerHeader, type PortalSeller } from './seller-brand';

const STYLE = `
:root{--ink:#1c2230;--muted:#5a6376;--rule:#e2e5eb;--bg:#f4f5f7;--accent:#0a7248;--accent-ink:#fff;--accent-text:#0a7248}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-text-size-adjust:100%}
main{max-width:50rem;margin:0 auto;padding:1rem .75rem 3rem}
.sheet{background:#fff;border:1px solid var(--rule);border-radius:12px;padding:1.25rem;margin-bottom:1rem}
h1{font-size:1.45rem;line-height:1.25;margin:.15rem 0 .25rem}
h2{font-size:1.05rem;margin:0 0 .75rem}
.eyebrow{color:var(--muted);font-size:.9rem;margin:0}
.parties{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:1rem;margin:1.25rem 0}
.parties p{margin:0}
.label{color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
dl.meta{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem;margin:0 0 1.25rem}
dl.meta div{background:var(--bg);border-radius:8px;padding:.5rem .75rem}
dl.meta dd{margin:0;font-weight:600}
table{width:100%;border-collapse:collapse}
th{font-size:.8rem;color:var(--muted);font-weight:600;text-align:left;border-bottom:2px solid var(--rule);padding:.4rem}
td{border-bottom:1px solid var(--rule);padding:.65rem .4rem;vertical-align:top}
.num{text-align:right;white-space:nowrap}
.tag{display:inline-block;font-size:.72rem;font-weight:600;padding:.05rem .45rem;border-radius:999px;background:#eef0f4;color:var(--muted);margin-left:.35rem;vertical-align:middle}
tr.optional td{color:var(--muted)}
tr.optional.chosen td{color:var(--ink)}
.detail{display:none;color:var(--muted);font-size:.88rem}
.note{color:var(--muted);font-size:.88rem;margin:.75rem 0 0}
table.totals{width:auto;min-width:min(100%,20rem);margin:1rem 0 0 auto}
table.totals td{border:0;padding:.2rem .4rem}
table.totals tr.grand td{border-top:2px solid var(--ink);font-size:1.2rem;font-weight:700;padding-top:.5rem}
.banner{border-radius:10px;padding:.85rem 1rem;font-weight:600;margin:0 0 1rem}
.banner.accepted,.notice.success{background:#e3f4ea;color:#085c39}
.banner.refused,.notice.error{background:#fdecec;color:#8c1d1d}
.banner.on_hold{background:#fff3d9;color:#6e4a00}
.banner.expired,.banner.cancelled,.banner.draft{background:#eceef2;color:#39414f}
.notice{border-radius:10px;padding:.85rem 1rem;margin:0 0 1rem}
.banner .next{display:block;font-weight:400;margin-top:.35rem}
.actions{display:grid;gap:.9rem}
.button,button{display:block;width:100%;font:inherit;font-weight:600;text-align:center;text-decoration:none;padding:.8rem 1rem;border-radius:10px;border:1px solid #c9ced8;background:#fff;color:var(--ink);cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-ink);font-size:1.05rem}
.button:focus-visible,button:focus-visible,summary:focus-visible,textarea:focus-visible{outline:3px solid #7bb8ff;outline-offset:2px}
fieldset{border:1px solid var(--rule);border-radius:10px;margin:0 0 .75rem;padding:.5rem .85rem}
legend{font-weight:600;padding:0 .3rem}
label.choice{display:flex;gap:.6rem;align-items:flex-start;padding:.35rem 0}
label.choice input{margin-top:.3rem;width:1.1rem;height:1.1rem}
details{border:1px solid var(--rule);border-radius:10px;padding:.2rem .9rem}
details[open]{padding-bottom:.9rem}
summary{cursor:pointer;font-weight:600;padding:.6rem 0}
textarea{display:block;width:100%;min-height:5rem;font:inherit;padding:.5rem;border:1px solid #c9ced8;border-radius:8px;margin:.3rem 0 .75rem}
.hint{color:var(--muted);font-size:.88rem;margin:.25rem 0 .6rem}
footer{color:var(--muted);font-size:.88rem;text-align:center;padding:0 1rem}
footer a{color:inherit}
.seller-bar{display:flex;align-items:center;gap:.75rem;min-height:3rem;padding:.5rem 0 .75rem;margin-bottom:1rem;border-bottom:4px solid var(--accent)}
.seller-logo{max-height:56px;width:auto;max-width:60%;object-fit:contain}
.seller-name{font-weight:700;font-size:1.05rem;color:var(--accent-text)}
@media (max-width:36rem){
  main{padding:.5rem .5rem 2rem}
  .sheet{padding:1rem;border-radius:10px}
  .wide{display:none}
  .detail{display:block}
}
/* Printed (seed 002: "l'imprimer"), a page is the document: no buttons, forms, answers or links to elsewhere. */
@media print{
  body{background:#fff;font-size:11pt}
  main{max-width:none;padding:0}
  .sheet{border:0;border-radius:0;padding:0;margin:0 0 1.25rem;break-inside:auto}
  .wide{display:table-cell}
  .detail{display:none}
  form,button,.button,.answer,.chain,details,footer,.notice,.no-print{display:none!important}
  .banner{border:1px solid currentColor}
  tr{break-inside:avoid}
  a{color:inherit;text-decoration:none}
}
`;
/** Ours, not user input: inserted as it is. */
const STYLESHEET = new SafeHtml(STYLE);

export interface PageNotice {
  tone: 'success' | 'error';
  text: string;
}

/**
 * The top of a page after the customer acted: one banner. The document's status (its `tone`
 * class) says where it stands, and the answer's success notice, what happens next, below it in
 * the same banner; a page without a status banner shows the notice on its own, and an error
 * stands apart (it is not the status).
 */
export function statusAndNotice(status: StatusBanner | null, notice: PageNotice | undefined): SafeHtml {
  const next = notice?.tone === 'success' && status ? notice.text : undefined;
  const dataStatus = status?.status ? html` data-status="${status.status}"` : null;
  return html`${notice && next === undefined ? html`<p class="notice ${notice.tone}" role="status">${notice.text}</p>` : null}${
    status ? html`<p class="banner ${status.tone}" role="status"${dataStatus}>${status.text}${next ? html`<span class="next">${next}</span>` : null}</p>` : null
  }`;
}

/** A status banner: its colour (a status class of the stylesheet), its sentence, and the status for scripts and tests. */
export interface StatusBanner {
  tone: string;
  text: string;
  status?: string;
}

/**
 * `extraStyle`: a page's own rules (ours, never user input), after the shared ones. `seller`:
 * whose page it is, shown at its top in its colours (a page that knows no seller, such as an
 * unknown link's, shows none). `preload`: what the page needs first, asked for from its head,
 * before the browser has read as far as where it is used.
 */
export function pageShell(lang: Locale, title: string, body: SafeHtml, extraStyle = '', seller?: PortalSeller, preload?: SafeHtml | null): string {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow">
${preload ?? null}<title>${title}</title>
<style>${STYLESHEET}${new SafeHtml(extraStyle)}${new SafeHtml(brandStyle(seller))}</style>
</head>
<body><main>${seller ? sellerHeader(seller) : null}${body}</main></body>
</html>`.value;
}


/**
 * A short page that explains a dead end (unknown link, expired link, too many requests,
 * failure). Without a known customer it speaks the browser's language when we have it,
 * else every language we have.
 */
export function noticePage(
  locales: readonly Locale[],
  content: (locale: Locale) => { title: string; body?: string; extra?: SafeHtml },
  seller?: PortalSeller,
): string {
  const sections = locales.map((locale) => {
    const { title, body, extra } = content(locale);
    return html`<section class="sheet" lang="${locale}"><h1>${title}</h1>${body ? html`<p>${body}</p>` : null}${extra}</section>`;
  });
  const first = locales[0] ?? 'en';
  return pageShell(first, locales.map((locale) => content(locale).title).join(' · '), html`${sections}`, '', seller);
}

/** The browser's preferred locale when we speak it, else all of ours. */
export function localesForVisitor(preferred: string | false): Locale[] {
  const match = LOCALES.find((locale) => locale === preferred);
  return match ? [match] : [...LOCALES];
}
