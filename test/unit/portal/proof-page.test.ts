/**
 * The proof page as HTML, without a server: what works without JavaScript (each preview
 * links to its zoom image, the forms post), which revision the forms act on, and what is
 * shown only when it applies (the terms, the change-cost notice, the pins).
 */
import type { LinkedDocument } from '../../../services/db/links';
import { renderProofPage, type ProofPageInput } from '../../../api/portal/proof-page';

const document = {
  id: 'doc_1',
  number: 'BAT-7',
  title: 'Catalogue',
  tenant: { name: 'Imprimerie Lumière', currency: 'EUR' },
  customer: { name: 'Librairie Sève' },
  contact: { name: 'Zoë Dupré' },
} as unknown as LinkedDocument;

const pages = [1, 2, 3].map((position) => ({ position, width: 1600, height: 2263 }));
const forms: ProofPageInput['forms'] = [
  { decision: 'approve', decisionId: 'd-approve-1', csrf: 'c1' },
  { decision: 'request-changes', decisionId: 'd-changes-1', csrf: 'c2' },
];

function page(overrides: Partial<ProofPageInput> = {}): string {
  return renderProofPage({
    locale: 'en',
    linkPath: '/d/token',
    document,
    status: 'sent',
    currentRevision: 2,
    revisions: [
      { number: 1, ready: true },
      { number: 2, ready: true },
    ],
    shown: { number: 2, pages },
    changeRequests: [{ revision: 1, at: new Date('2026-11-20T10:00:00Z'), comment: 'Bigger logo', pins: [{ page: 2, x: 0.25, y: 0.5, comment: 'Here' }] }],
    canDownload: true,
    forms,
    ...overrides,
  });
}

it('links each preview to its zoom image, in page order, and the PDF of the revision shown', () => {
  const html = page();
  const links = [...html.matchAll(/<a class="zoom" href="([^"]+)"[^>]*><img src="([^"]+)"/g)].map((match) => [match[1], match[2]]);
  expect(links).toEqual([1, 2, 3].map((n) => [`/d/token/pages/${n}?revision=2&amp;size=zoom`, `/d/token/pages/${n}?revision=2`]));
  expect(html).toContain('href="/d/token/pdf?revision=2"');
});

it('offers the decisions on the current revision only, naming it', () => {
  const current = page();
  expect(current).toContain('Approve revision 2');
  expect(current).toContain('<input type="hidden" name="revision" value="2">');
  const older = page({ shown: { number: 1, pages } });
  expect(older).not.toContain('action="/d/token/approve"');
  expect(older).toContain('You are looking at revision 1. Revision 2 is the one to approve.');
  // Revision 1's change request has its pin drawn on its page 2.
  expect(older).toMatch(/<figure class="proof-page" data-page="2"[^>]*>[\s\S]*?<span class="pin" style="left:25\.00%;top:50\.00%" title="Here">1<\/span>/);
  // Revision 2 answers it: the same pin, outlined, named after the revision it was asked on.
  expect(current).not.toContain('class="pin"');
  expect(current).toMatch(/<figure class="proof-page" data-page="2"[^>]*>[\s\S]*?<span class="pin earlier" style="left:25\.00%;top:50\.00%" title="Revision 1 — Here">1<\/span>/);
  expect(current).toContain('Outlined pins: what you asked on revision 1, to check on this one.');
  expect(page({ changeRequests: [] })).not.toContain('class="pin earlier"');
});

it('asks for the terms and announces the hourly rate only when they apply', () => {
  const plain = page();
  expect(plain).not.toContain('name="acceptTerms"');
  expect(plain).not.toContain('class="cost"');
  const asking = page({ terms: { version: 'v3', text: 'Pay within 30 days.' }, hourlyRate: { amount: 6500, currency: 'EUR' } });
  expect(asking).toContain('I accept the terms of sale (version v3)');
  expect(asking).toContain('<input type="hidden" name="termsVersion" value="v3">');
  expect(asking).toContain('Pay within 30 days.');
  expect(asking).toMatch(/Changes may be billed at our usual hourly rate \(€65\.00 per hour\)\./);
});

it('shows where an approved proof stands, without forms', () => {
  const html = page({ status: 'approved', forms: [], statusSince: new Date('2026-11-21T09:30:00Z') });
  expect(html).toContain('Revision 2 approved on November 21, 2026 at 9:30 AM UTC');
  expect(html).not.toContain('<form method="post" action="/d/token/approve"');
});

it('gives a many-page proof thumbnails that are anchors to their pages, loaded lazily, and a page toolbar', () => {
  const html = page();
  const thumbnails = [...html.matchAll(/<li><a href="#page-(\d)"><img src="([^"]+)" alt="([^"]+)" width="320" height="453" loading="lazy">/g)].map((match) => match.slice(1));
  expect(thumbnails).toEqual([1, 2, 3].map((n) => [`${n}`, `/d/token/pages/${n}?revision=2&amp;size=thumbnail`, `Page ${n} of 3`]));
  expect([...html.matchAll(/<figure class="proof-page" data-page="(\d)" id="page-(\d)"/g)].map((match) => match[1] === match[2])).toEqual([true, true, true]);
  expect(html).toContain('<nav class="thumbnails" id="thumbnails" aria-label="Pages">');
  // Previous/next and page n of N are the script's: hidden until it runs.
  expect(html).toMatch(/<div class="page-nav" hidden><button type="button" class="previous-page" aria-label="Previous page" aria-keyshortcuts="ArrowLeft">/);
  expect(html).toContain('<a class="view-switch" href="/d/token?revision=2&amp;view=spreads"');

  const single = page({ shown: { number: 2, pages: pages.slice(0, 1) } });
  expect(single).not.toContain('class="thumbnails"');
  expect(single).not.toContain('class="page-toolbar"');
});

it('fetches page 1 first, preloaded from the head as its img will choose it, and every later page lazily, each box reserved by its width and height', () => {
  const html = page();
  const previews = [...html.matchAll(/<a class="zoom" href="[^"]+"><img src="[^"]+" srcset="[^"]+" sizes="[^"]+" alt="[^"]+"([^>]*)>/g)].map((match) => match[1]);
  expect(previews).toEqual([' width="1600" height="2263" fetchpriority="high"', ' width="1600" height="2263" loading="lazy"', ' width="1600" height="2263" loading="lazy"']);
  const first = html.match(/<img src="([^"]+)" srcset="([^"]+)" sizes="([^"]+)"/)!;
  const preload = html.match(/<link rel="preload" as="image" href="([^"]+)" imagesrcset="([^"]+)" imagesizes="([^"]+)" fetchpriority="high">/)!;
  expect(preload.slice(1)).toEqual(first.slice(1));
  expect(html.indexOf(preload[0])).toBeLessThan(html.indexOf('<style>'));
  expect(page({ spreads: true })).toMatch(/<link rel="preload" as="image" href="[^"]+" imagesrcset="[^"]+" imagesizes="\(min-width: 80rem\) 24\.4rem/);
  // Two revisions share a comparison's first screen: nothing is put before the other.
  expect(page({ compare: { number: 1, pages, overlay: false } })).not.toContain('rel="preload"');
});

it('lays out facing pages when asked, and keeps the view across revisions', () => {
  const html = page({ spreads: true });
  expect(html).toContain('<section class="pages spreads"');
  expect(html).toContain('<a class="view-switch" href="/d/token?revision=2"');
  expect(html).toContain('href="/d/token?revision=1&amp;view=spreads"');
  expect(html).toContain('sizes="(min-width: 80rem) 24.4rem');
});

it('puts the decisions in a named region right after the pages, before the PDF and the earlier requests; none when there is nothing to decide', () => {
  const html = page();
  expect(html).toContain('<section class="sheet decision-bar" aria-labelledby="decision-heading"><h2 id="decision-heading">Your answer</h2>');
  const order = ['<section class="pages', 'class="sheet decision-bar"', '/d/token/pdf?revision=2', 'Change requests'].map((marker) => html.indexOf(marker));
  expect(order.every((position) => position > 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(html).toContain('<div class="proof-layout deciding">');

  const decided = page({ status: 'approved', forms: [] });
  expect(decided).not.toContain('class="sheet decision-bar"');
  expect(decided).toContain('<div class="proof-layout">');
});

it('says what a revision follows, in each language, each pin done or not once the seller marked any', () => {
  const asked = { revision: 1, at: new Date('2026-11-20T10:00:00Z'), comment: 'Bigger logo', pins: [{ page: 2, x: 0.25, y: 0.5, comment: 'Here' }, { page: 3, x: 0.5, y: 0.5, comment: 'There' }] };
  const unmarked = page({ changeRequests: [asked] });
  expect(unmarked).toContain('<h2 id="answers-heading">Revision 2, following your requests of November 20, 2026</h2><p>Bigger logo</p><ol><li value="1">Pin 1, page 2 — Here</li>');
  expect(unmarked).not.toContain('not done yet');
  const marked = page({ changeRequests: [{ ...asked, pins: [{ ...asked.pins[0]!, resolution: { resolved: true } }, asked.pins[1]!] }] });
  expect(marked).toContain('Pin 1, page 2 — Here — <strong class="done">✓ done</strong>');
  expect(marked).toContain('Pin 2, page 3 — There — <strong class="open">not done yet</strong>');
  expect(marked).toMatch(/<span class="pin earlier resolved" [^>]*title="Revision 1 — Here \(done\)">1<\/span>/);
  expect(page({ locale: 'fr', changeRequests: [asked] })).toContain('Révision 2, suite à vos demandes du 20 novembre 2026');
  expect(page({ locale: 'sv', changeRequests: [asked] })).toContain('Version 2, efter dina önskemål från 20 november 2026');
  // Revision 1 follows nothing.
  expect(page({ shown: { number: 1, pages }, changeRequests: [asked] })).not.toContain('answers-heading');
});

it('compares two revisions side by side or overlaid, with plain links, and offers it only with revisions of the same page count', () => {
  expect(page({ comparable: [1, 2] })).toContain('<p class="compare-links"><a href="/d/token?revision=2&amp;compare=1">Compare with revision 1</a></p>');
  expect(page({ comparable: [2] })).not.toContain('<p class="compare-links">');
  const side = page({ comparable: [1, 2], compare: { number: 1, pages, overlay: false } });
  expect(side).toContain('<h2>Revision 2 compared with revision 1</h2>');
  expect(side).toContain('<a href="/d/token?revision=2&amp;compare=1" aria-current="page">Side by side</a><a href="/d/token?revision=2&amp;compare=1&amp;view=overlay">Overlay</a><a href="/d/token?revision=2">Leave the comparison</a>');
  expect(side.match(/class="compare-pair"/g)).toHaveLength(3);
  expect(side).not.toMatch(/<figure[^>]* data-pinnable/);
  const overlay = page({ comparable: [1, 2], compare: { number: 1, pages, overlay: true } });
  expect(overlay).toMatch(/<div class="page-image overlay"><img src="\/d\/token\/pages\/1\?revision=2"[^>]*><img src="\/d\/token\/pages\/1\?revision=1"[^>]*alt="Revision 1 — Page 1 of 3"/);
  expect(overlay).toContain('what did not change is black, what changed stands out in light');
});
