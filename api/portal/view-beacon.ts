/**
 * The page's report that a person is reading it: a tiny inline script that, on the first
 * real input (a tap, a click, a key, a wheel turn) while the page is visible, posts the
 * page's view id once to `<link>/seen`. Mail scanners fetch links and some run their
 * JavaScript, but they do not touch the page: their opens stay doubtful (view-tracking.ts).
 *
 * `scroll` is not a signal on purpose: a scanner's own script can scroll the page, and the
 * browser reports that scroll as trusted. Synthetic events (`isTrusted` false) are ignored.
 * The script is constant, so the CSP admits it by its SHA-256; the view id and the address
 * ride on the script element's data attributes.
 */
import { createHash } from 'node:crypto';
import { html, SafeHtml } from './html';

const SCRIPT = `(function () {
  var me = document.currentScript;
  var inputs = ['pointerdown', 'touchstart', 'keydown', 'wheel'];
  var reported = false;
  var report = function (event) {
    if (reported || !event.isTrusted || document.visibilityState !== 'visible') return;
    reported = true;
    inputs.forEach(function (type) { removeEventListener(type, report, true); });
    fetch(me.dataset.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ viewId: me.dataset.view }), credentials: 'omit', keepalive: true }).catch(function () {});
  };
  inputs.forEach(function (type) { addEventListener(type, report, { capture: true, passive: true }); });
})();`;

/** Ours, not user input: inserted as it is. */
const BEACON = new SafeHtml(SCRIPT);

/** The CSP source that admits exactly this script. */
export const VIEW_BEACON_CSP_SOURCE = `'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`;

/** The beacon of one page view; `url` is where it reports (`<link path>/seen`). */
export function viewBeacon(viewId: string, url: string): SafeHtml {
  return html`<script data-view="${viewId}" data-url="${url}">${BEACON}</script>`;
}
