/**
 * The page's report that a person is reading it: a tiny inline script that, on the first
 * real input while the page is visible (a tap, a click, a key, a wheel turn, or the pointer
 * moved as a hand moves it), posts the page's view id once to `<link>/seen`. Mail scanners
 * fetch links and some run their JavaScript, but they do not touch the page: their opens stay
 * doubtful (view-tracking.ts).
 *
 * Pointer movement, because a desktop reader may read a whole quote without clicking or
 * turning the wheel, but not without their hand on the mouse. It counts once the trusted
 * moves add up to POINTER_PATH_PX of path, in at least POINTER_MOVES steps, over at least
 * POINTER_SPAN_MS since the first:
 * - 120 px of path: a resting hand jitters a pixel or two, and the browser's own moves
 *   when the page lays out or scrolls under a still pointer (trusted, at the same screen
 *   position) cover none; reading (following a line, going to the scroll bar or a button)
 *   covers hundreds. The path is measured on the screen, so a page scrolling under the
 *   pointer adds nothing.
 * - 8 steps: a hand's movement reaches the page as one move per frame, dozens a second;
 *   a script that places the pointer (an automated hover) makes one jump, or a few.
 * - 300 ms: a burst of moves sent at once by a script lasts a few milliseconds; moving a
 *   mouse 120 px takes a person longer, and the path adds up over the whole reading, so a
 *   reader who moves in short strokes gets there too.
 * A browser driven to move the pointer like a hand would pass, as it could click: these
 * tell a page left alone (every scanner we know of) from one in use, not a person from a
 * determined robot.
 *
 * `scroll` is not a signal on purpose: a scanner's own script can scroll the page, and the
 * browser reports that scroll as trusted. Synthetic events (`isTrusted` false) are ignored.
 * The script is constant, so the CSP admits it by its SHA-256; the view id and the address
 * ride on the script element's data attributes.
 */
import { createHash } from 'node:crypto';
import { html, SafeHtml } from './html';

const POINTER_PATH_PX = 120;
const POINTER_MOVES = 8;
const POINTER_SPAN_MS = 300;

const SCRIPT = `(function () {
  var me = document.currentScript;
  var inputs = ['pointerdown', 'touchstart', 'keydown', 'wheel'];
  var move = 'onpointermove' in window ? 'pointermove' : 'mousemove';
  var reported = false;
  var path = 0, moves = 0, firstAt = 0, last = null;
  var reading = function (event) { return !reported && event.isTrusted && document.visibilityState === 'visible'; };
  var report = function (event) {
    if (!reading(event)) return;
    reported = true;
    inputs.forEach(function (type) { removeEventListener(type, report, true); });
    removeEventListener(move, moved, true);
    fetch(me.dataset.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ viewId: me.dataset.view }), credentials: 'omit', keepalive: true }).catch(function () {});
  };
  var moved = function (event) {
    if (!reading(event)) return;
    var step = last ? Math.hypot(event.screenX - last.x, event.screenY - last.y) : 0;
    last = { x: event.screenX, y: event.screenY };
    if (step === 0) return;
    if (moves === 0) firstAt = event.timeStamp;
    moves += 1;
    path += step;
    if (path >= ${POINTER_PATH_PX} && moves >= ${POINTER_MOVES} && event.timeStamp - firstAt >= ${POINTER_SPAN_MS}) report(event);
  };
  inputs.forEach(function (type) { addEventListener(type, report, { capture: true, passive: true }); });
  addEventListener(move, moved, { capture: true, passive: true });
})();`;

/** Ours, not user input: inserted as it is. */
const BEACON = new SafeHtml(SCRIPT);

/** The CSP source that admits exactly this script. */
export const VIEW_BEACON_CSP_SOURCE = `'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`;

/** The beacon of one page view; `url` is where it reports (`<link path>/seen`). */
export function viewBeacon(viewId: string, url: string): SafeHtml {
  return html`<script data-view="${viewId}" data-url="${url}">${BEACON}</script>`;
}
