/**
 * The proof page's one script, admitted by its SHA-256 in the CSP like the others. The page
 * works without it: each preview links to its zoom image, and a change request is a comment.
 * With it:
 * - a click on a page opens its zoom image in place, scrolled to the point clicked (Escape,
 *   or a click on it, closes it);
 * - "Pin a comment" arms the next click on a page of the revision being decided: it drops a
 *   numbered pin there and adds a comment field for it to the change request. On submit the
 *   pins go in the hidden `pins` field as JSON: [{page, x, y, comment}], x and y being
 *   fractions (0..1) of the page's width and height from its top left corner, so they mean
 *   the same point on the preview, the zoom image and the original.
 */
import { createHash } from 'node:crypto';
import { SafeHtml } from './html';

const SCRIPT = `(function () {
  var overlay = null;
  var closeZoom = function () { if (overlay) { overlay.remove(); overlay = null; } };
  var pointOn = function (image, event) {
    var box = image.getBoundingClientRect();
    var clamp = function (value) { return Math.min(1, Math.max(0, Math.round(value * 10000) / 10000)); };
    return { x: clamp((event.clientX - box.left) / box.width), y: clamp((event.clientY - box.top) / box.height) };
  };
  var openZoom = function (link, event) {
    closeZoom();
    var at = pointOn(link.querySelector('img'), event);
    overlay = document.createElement('div');
    overlay.className = 'zoom-view';
    overlay.setAttribute('role', 'dialog');
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'zoom-close';
    close.textContent = link.dataset.close;
    var big = document.createElement('img');
    big.alt = link.querySelector('img').alt;
    big.addEventListener('load', function () {
      overlay.scrollLeft = at.x * big.naturalWidth - overlay.clientWidth / 2;
      overlay.scrollTop = at.y * big.naturalHeight - overlay.clientHeight / 2;
    });
    big.src = link.href;
    close.addEventListener('click', closeZoom);
    big.addEventListener('click', closeZoom);
    overlay.appendChild(close);
    overlay.appendChild(big);
    document.body.appendChild(overlay);
    close.focus();
  };
  document.addEventListener('keydown', function (event) { if (event.key === 'Escape') closeZoom(); });

  var changes = document.querySelector('details.request-changes');
  var form = changes && changes.querySelector('form');
  var adder = form && form.querySelector('button.add-pin');
  var pinning = false;
  var pins = [];
  var pinsMade = 0;
  var setPinning = function (on) {
    pinning = on;
    adder.setAttribute('aria-pressed', String(on));
    document.body.classList.toggle('pinning', on);
  };
  var renumber = function () {
    pins.forEach(function (entry, index) {
      entry.marker.textContent = String(index + 1);
      entry.label.textContent = changes.dataset.pinLabel.replace('{pin}', String(index + 1)).replace('{page}', String(entry.pin.page));
    });
  };
  var addPin = function (figure, event) {
    var point = pointOn(figure.querySelector('img'), event);
    var entry = { pin: { page: Number(figure.dataset.page), x: point.x, y: point.y, comment: '' } };
    entry.marker = document.createElement('span');
    entry.marker.className = 'pin new';
    entry.marker.style.left = point.x * 100 + '%';
    entry.marker.style.top = point.y * 100 + '%';
    figure.querySelector('.page-image').appendChild(entry.marker);
    var row = document.createElement('div');
    row.className = 'pin-row';
    entry.label = document.createElement('label');
    var input = document.createElement('input');
    input.type = 'text';
    input.required = true;
    input.maxLength = 1000;
    input.className = 'pin-comment';
    input.addEventListener('input', function () { entry.pin.comment = input.value; });
    input.id = 'pin-comment-' + (++pinsMade);
    entry.label.htmlFor = input.id;
    var remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove-pin';
    remove.textContent = changes.dataset.removePin;
    remove.addEventListener('click', function () {
      pins.splice(pins.indexOf(entry), 1);
      entry.marker.remove();
      row.remove();
      renumber();
    });
    row.appendChild(entry.label);
    row.appendChild(input);
    row.appendChild(remove);
    form.querySelector('.pin-list').appendChild(row);
    pins.push(entry);
    renumber();
    changes.open = true;
    input.focus();
  };
  if (adder) {
    adder.hidden = false;
    form.querySelector('.pin-hint').hidden = false;
    adder.addEventListener('click', function () { setPinning(!pinning); });
    form.addEventListener('submit', function () {
      form.querySelector('input[name="pins"]').value = pins.length ? JSON.stringify(pins.map(function (entry) { return entry.pin; })) : '';
    });
  }
  document.querySelectorAll('a.zoom').forEach(function (link) {
    link.addEventListener('click', function (event) {
      event.preventDefault();
      var figure = link.closest('figure');
      if (pinning && figure.hasAttribute('data-pinnable')) {
        addPin(figure, event);
        setPinning(false);
      } else {
        openZoom(link, event);
      }
    });
  });
})();`;

/** The CSP source that admits exactly this script. */
export const PROOF_SCRIPT_CSP_SOURCE = `'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`;

export const proofScript = (): SafeHtml => new SafeHtml(`<script>${SCRIPT}</script>`);
