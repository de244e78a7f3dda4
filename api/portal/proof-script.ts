/**
 * The proof page's one script, admitted by its SHA-256 in the CSP like the others. The page
 * works without it: each preview links to its zoom image, and a change request is a comment.
 * With it:
 * - a click on a page (Enter on it from the keyboard) opens its zoom image in place, scrolled
 *   to the point clicked (the centre from the keyboard): a modal dialog named after its page,
 *   the rest of the page inert and Tab going round its buttons — the levels (whole page, 100 %,
 *   200 %; the point at the centre stays there), previous/next page (of the same revision) and
 *   close; Escape, the button or a click on the image (not one ending a pan or a pinch) closes
 *   it and gives the focus back to the page last shown; on touch, one finger pans the image and
 *   two pinch it (scaled around their midpoint, between the whole page and 200 %) instead of
 *   the browser zooming the whole page;
 * - with a mouse (not a finger: a tap opens the zoom), a round magnifier follows the pointer
 *   over a page, drawn from the preview the browser already has at twice its size on screen
 *   (nothing more downloaded); not while pinning;
 * - "Pin a comment" arms pinning on the pages of the revision being decided: a click drops a
 *   numbered pin where it lands; from the keyboard, each page (a link, so a Tab stop) shows a
 *   crosshair that the arrow keys move (1 % of the page, 10 % with Shift), announced in a live
 *   region, and Enter or Space drops the pin there (armed from the keyboard, the focus goes to
 *   the first page; Escape disarms). Each pin adds a comment field, focused, to the change
 *   request. On submit the pins go in the hidden `pins` field as JSON: [{page, x, y, comment}],
 *   x and y being fractions (0..1) of the page's width and height from its top left corner, so
 *   they mean the same point on the preview, the zoom image and the original.
 * - the page toolbar shows "page n of N" for the page being read (the first one not yet
 *   scrolled past the toolbar, the last one at the end; the left one of a spread) and
 *   previous/next buttons, which the ← and → keys press too — unless a field, the zoom or the
 *   pin's crosshair has them, or a modifier is held (Alt+← is the browser's Back). The
 *   thumbnail of that page is marked current and scrolled into its strip. The thumbnails
 *   themselves are plain anchors.
 * - the spreads switch toggles in place (the address follows), so a change request being
 *   written is not lost to a reload; the previews take the other view's `sizes`.
 */
import { createHash } from 'node:crypto';
import { SafeHtml } from './html';

const SCRIPT = `(function () {
  var main = document.querySelector('main');
  var pagesSection = document.querySelector('section.pages');
  var clamp = function (value) { return Math.min(1, Math.max(0, Math.round(value * 10000) / 10000)); };
  /** The point of a pointer event on an image, as fractions of its width and height. */
  var pointOn = function (image, event) {
    var box = image.getBoundingClientRect();
    return { x: clamp((event.clientX - box.left) / box.width), y: clamp((event.clientY - box.top) / box.height) };
  };
  /** A click from the keyboard (Enter on the link) has no pointer: detail 0 and no coordinates to read. */
  var fromKeyboard = function (event) { return event.detail === 0; };

  // ---- zoom: a modal dialog named after its page, with its levels and previous/next page; Tab
  // cycles through its buttons, Escape closes it and the focus returns to the page last shown
  var overlay = null;
  var opener = null;
  var big = null;
  var tools = null;
  /** 'fit' (the whole page on screen) or a scale of the zoom image (1: one image pixel a screen pixel). */
  var level = 1;
  var LEVELS = ['fit', 1, 2];
  var closeZoom = function () {
    if (!overlay) return;
    overlay.remove();
    overlay = null;
    touches.clear();
    pinch = null;
    main.inert = false;
    if (opener) opener.focus();
    opener = null;
  };
  /** The zoom links of the revision the dialog shows, in page order (a comparison has two revisions' links). */
  var revisionOf = function (link) { return new URL(link.href).searchParams.get('revision'); };
  var zoomLinks = function () {
    return Array.prototype.slice.call(document.querySelectorAll('section.pages a.zoom')).filter(function (link) { return revisionOf(link) === revisionOf(opener); });
  };
  var viewSize = function () { return { width: overlay.clientWidth, height: overlay.clientHeight - tools.offsetHeight }; };
  /** The scale of a level ('fit': the whole page in the view). */
  var scaleOf = function (each) {
    var view = viewSize();
    return each === 'fit' ? Math.min(view.width / big.naturalWidth, view.height / big.naturalHeight) : each;
  };
  /** Sizes the image at a scale, the level buttons pressed if it is one of theirs. */
  var resize = function (next) {
    level = next;
    big.style.width = Math.round(big.naturalWidth * scaleOf(next)) + 'px';
    tools.querySelectorAll('[data-level]').forEach(function (button) {
      button.setAttribute('aria-pressed', String(button.dataset.level === String(next)));
    });
  };
  /** The image at the level, the point of the page at the centre of the view kept there (or put there: at). */
  var applyLevel = function (next, at) {
    level = next;
    // Not loaded yet: its load applies the level.
    if (!big.naturalWidth) return;
    var view = viewSize();
    var centre = at || {
      x: big.offsetWidth ? (overlay.scrollLeft + view.width / 2) / big.offsetWidth : 0.5,
      y: big.offsetHeight ? (overlay.scrollTop + view.height / 2) / big.offsetHeight : 0.5,
    };
    resize(next);
    overlay.scrollLeft = centre.x * big.offsetWidth - view.width / 2;
    overlay.scrollTop = centre.y * big.offsetHeight - view.height / 2;
  };

  // Touch in the zoom view (the browser's own pinch is off there: touch-action none): one finger
  // pans, two pinch — the image scales by their spread, between the smallest and the largest
  // level, the point of the page under their midpoint kept under it as it moves.
  var touches = new Map();
  var pinch = null;
  /** A finger moved or a second one came: the click that may follow is no tap, it does not close the zoom. */
  var gestured = false;
  var spread = function () {
    var points = Array.from(touches.values()).slice(0, 2);
    return {
      x: (points[0].x + points[1].x) / 2,
      y: (points[0].y + points[1].y) / 2,
      distance: Math.max(1, Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y)),
    };
  };
  var startPinch = function () {
    var middle = spread();
    var box = big.getBoundingClientRect();
    pinch = { distance: middle.distance, scale: box.width / big.naturalWidth, at: { x: (middle.x - box.left) / box.width, y: (middle.y - box.top) / box.height } };
    gestured = true;
  };
  var pinchMove = function () {
    var middle = spread();
    var scales = LEVELS.map(scaleOf);
    resize(Math.min(Math.max.apply(null, scales), Math.max(Math.min.apply(null, scales), (pinch.scale * middle.distance) / pinch.distance)));
    var box = big.getBoundingClientRect();
    overlay.scrollLeft += box.left + pinch.at.x * box.width - middle.x;
    overlay.scrollTop += box.top + pinch.at.y * box.height - middle.y;
  };
  var touchDown = function (event) {
    if (!touches.size) gestured = false;
    if (event.pointerType === 'mouse' || event.target.closest('.zoom-tools') || !big.naturalWidth) return;
    touches.set(event.pointerId, { x: event.clientX, y: event.clientY, startX: event.clientX, startY: event.clientY });
    if (touches.size === 2) startPinch();
  };
  var touchMove = function (event) {
    var touch = touches.get(event.pointerId);
    if (!touch) return;
    var dx = event.clientX - touch.x;
    var dy = event.clientY - touch.y;
    touch.x = event.clientX;
    touch.y = event.clientY;
    if (Math.hypot(touch.x - touch.startX, touch.y - touch.startY) > 8) gestured = true;
    if (pinch) {
      pinchMove();
    } else {
      overlay.scrollLeft -= dx;
      overlay.scrollTop -= dy;
    }
  };
  var touchUp = function (event) {
    touches.delete(event.pointerId);
    // Down to one finger, it pans from where it is; a third one lifted, the other two pinch on.
    pinch = null;
    if (touches.size >= 2) startPinch();
  };
  var button = function (text, onClick) {
    var made = document.createElement('button');
    made.type = 'button';
    made.textContent = text;
    made.addEventListener('click', onClick);
    tools.appendChild(made);
    return made;
  };
  /** Shows a page in the open dialog: its zoom image at the current level, at the point given (fractions of the page). */
  var zoomTo = function (link, at) {
    opener = link;
    var caption = link.querySelector('img').alt;
    overlay.setAttribute('aria-label', pagesSection.dataset.zoomLabel.replace('{page}', caption));
    big.alt = caption;
    big.onload = function () { applyLevel(level, at); };
    big.src = link.href;
    var links = zoomLinks();
    var index = links.indexOf(link);
    tools.querySelector('.zoom-previous').disabled = index <= 0;
    tools.querySelector('.zoom-next').disabled = index >= links.length - 1;
  };
  var stepZoom = function (step) {
    var links = zoomLinks();
    var target = links[links.indexOf(opener) + step];
    if (target) zoomTo(target, { x: 0.5, y: 0 });
  };
  var openZoom = function (link, at) {
    closeZoom();
    overlay = document.createElement('div');
    overlay.className = 'zoom-view';
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-modal', 'true');
    tools = document.createElement('div');
    tools.className = 'zoom-tools';
    tools.setAttribute('role', 'group');
    tools.setAttribute('aria-label', pagesSection.dataset.tools);
    LEVELS.forEach(function (each) {
      var made = button(each === 'fit' ? pagesSection.dataset.fit : pagesSection.dataset.level.replace('{n}', String(each * 100)), function () { applyLevel(each); });
      made.dataset.level = String(each);
    });
    button('←', function () { stepZoom(-1); }).className = 'zoom-previous';
    button('→', function () { stepZoom(1); }).className = 'zoom-next';
    tools.querySelector('.zoom-previous').setAttribute('aria-label', pagesSection.dataset.previous);
    tools.querySelector('.zoom-next').setAttribute('aria-label', pagesSection.dataset.next);
    var close = button(pagesSection.dataset.close, closeZoom);
    close.className = 'zoom-close';
    big = document.createElement('img');
    big.addEventListener('click', function () {
      if (!gestured) closeZoom();
      gestured = false;
    });
    overlay.addEventListener('pointerdown', touchDown);
    overlay.addEventListener('pointermove', touchMove);
    overlay.addEventListener('pointerup', touchUp);
    overlay.addEventListener('pointercancel', touchUp);
    // Tab and Shift+Tab go round the dialog's buttons (the arrows scroll the image).
    overlay.addEventListener('keydown', function (event) {
      if (event.key !== 'Tab') return;
      event.preventDefault();
      var buttons = Array.prototype.slice.call(tools.querySelectorAll('button:not(:disabled)'));
      var index = buttons.indexOf(document.activeElement);
      buttons[(index + (event.shiftKey ? -1 : 1) + buttons.length) % buttons.length].focus();
    });
    overlay.appendChild(tools);
    overlay.appendChild(big);
    document.body.appendChild(overlay);
    // The image starts below the tools, however many rows they wrap to on a narrow screen.
    overlay.style.paddingTop = tools.offsetHeight + 'px';
    main.inert = true;
    zoomTo(link, at);
    close.focus();
  };

  // ---- a magnifier that follows a mouse over a page (not a finger: a tap opens the zoom), from the
  // preview the browser already has, twice its size on screen; never while a pin is being placed
  var lens = null;
  var LENS_SCALE = 2;
  if (window.matchMedia && window.matchMedia('(hover: hover) and (pointer: fine)').matches) {
    lens = document.createElement('div');
    lens.className = 'magnifier';
    lens.setAttribute('aria-hidden', 'true');
    lens.hidden = true;
    document.body.appendChild(lens);
    document.querySelectorAll('section.pages a.zoom img').forEach(function (image) {
      image.addEventListener('pointermove', function (event) {
        if (event.pointerType !== 'mouse' || pinning || overlay || !image.currentSrc) {
          lens.hidden = true;
          return;
        }
        var box = image.getBoundingClientRect();
        var point = pointOn(image, event);
        lens.hidden = false;
        lens.style.left = event.clientX + 'px';
        lens.style.top = event.clientY + 'px';
        lens.style.backgroundImage = 'url("' + image.currentSrc + '")';
        lens.style.backgroundSize = box.width * LENS_SCALE + 'px ' + box.height * LENS_SCALE + 'px';
        lens.style.backgroundPosition = lens.offsetWidth / 2 - point.x * box.width * LENS_SCALE + 'px ' + (lens.offsetHeight / 2 - point.y * box.height * LENS_SCALE) + 'px';
      });
      image.addEventListener('pointerleave', function () { lens.hidden = true; });
    });
  }

  // ---- pins: armed by the button, dropped by a click, or by the keyboard with a crosshair
  var changes = document.querySelector('details.request-changes');
  var form = changes && changes.querySelector('form');
  var adder = form && form.querySelector('button.add-pin');
  var hint = form && form.querySelector('.pin-hint');
  var pinnable = Array.prototype.slice.call(document.querySelectorAll('figure[data-pinnable]'));
  var pinning = false;
  var pins = [];
  var pinsMade = 0;
  var announcer = null;
  /** Where each pinnable page's crosshair stands, the keyboard's pin point: the page's centre at first. */
  var crosshairs = new Map();
  var crosshairPoint = function (figure) { return crosshairs.get(figure) || { x: 0.5, y: 0.5 }; };
  var placeCrosshair = function (figure, point) {
    crosshairs.set(figure, point);
    var crosshair = figure.querySelector('.crosshair');
    if (!crosshair) {
      crosshair = document.createElement('span');
      crosshair.className = 'crosshair';
      crosshair.setAttribute('aria-hidden', 'true');
      figure.querySelector('.page-image').appendChild(crosshair);
    }
    crosshair.style.left = point.x * 100 + '%';
    crosshair.style.top = point.y * 100 + '%';
  };
  var announce = function (figure) {
    var point = crosshairPoint(figure);
    announcer.textContent = changes.dataset.crosshair
      .replace('{x}', String(Math.round(point.x * 100)))
      .replace('{y}', String(Math.round(point.y * 100)))
      .replace('{page}', figure.dataset.page);
  };
  var setPinning = function (on) {
    pinning = on;
    adder.setAttribute('aria-pressed', String(on));
    document.body.classList.toggle('pinning', on);
    pinnable.forEach(function (figure) {
      var link = figure.querySelector('a.zoom');
      if (on) {
        placeCrosshair(figure, crosshairPoint(figure));
        link.setAttribute('aria-describedby', hint.id);
      } else {
        link.removeAttribute('aria-describedby');
      }
    });
  };
  var renumber = function () {
    pins.forEach(function (entry, index) {
      entry.marker.textContent = String(index + 1);
      entry.label.textContent = changes.dataset.pinLabel.replace('{pin}', String(index + 1)).replace('{page}', String(entry.pin.page));
    });
  };
  var addPin = function (figure, point) {
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
    setPinning(false);
    changes.open = true;
    input.focus();
  };
  var STEPS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  /** On a pinnable page while pinning: arrows move the crosshair (1 %, 10 % with Shift), Enter or Space drops the pin. */
  var pinKeys = function (figure, event) {
    var step = STEPS[event.key];
    if (step) {
      event.preventDefault();
      var point = crosshairPoint(figure);
      var size = event.shiftKey ? 0.1 : 0.01;
      placeCrosshair(figure, { x: clamp(point.x + step[0] * size), y: clamp(point.y + step[1] * size) });
      announce(figure);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      addPin(figure, crosshairPoint(figure));
    }
  };
  if (adder) {
    adder.hidden = false;
    hint.hidden = false;
    announcer = document.createElement('p');
    announcer.className = 'visually-hidden';
    announcer.setAttribute('aria-live', 'polite');
    form.appendChild(announcer);
    adder.addEventListener('click', function (event) {
      setPinning(!pinning);
      // Armed from the keyboard, the keyboard goes to the first page, its crosshair ready.
      if (pinning && fromKeyboard(event) && pinnable[0]) {
        pinnable[0].querySelector('a.zoom').focus();
        announce(pinnable[0]);
      }
    });
    form.addEventListener('submit', function () {
      form.querySelector('input[name="pins"]').value = pins.length ? JSON.stringify(pins.map(function (entry) { return entry.pin; })) : '';
    });
    pinnable.forEach(function (figure) {
      var link = figure.querySelector('a.zoom');
      link.addEventListener('keydown', function (event) { if (pinning) pinKeys(figure, event); });
      link.addEventListener('focus', function () { if (pinning) announce(figure); });
    });
  }
  // ---- navigation: page n of N, previous/next (buttons and arrow keys), the current thumbnail
  var figures = Array.prototype.slice.call(document.querySelectorAll('figure.proof-page'));
  var toolbar = document.querySelector('.page-toolbar');
  var pageNav = toolbar && toolbar.querySelector('.page-nav');
  if (pageNav) {
    var indicator = pageNav.querySelector('.page-indicator');
    var previousButton = pageNav.querySelector('.previous-page');
    var nextButton = pageNav.querySelector('.next-page');
    var thumbnailsNav = document.querySelector('nav.thumbnails');
    var thumbnails = thumbnailsNav ? Array.prototype.slice.call(thumbnailsNav.querySelectorAll('a')) : [];
    var current = null;
    var topOf = function (figure) { return figure.getBoundingClientRect().top; };
    /** The first page not scrolled past a third of the screen below the toolbar; the last one at the end. */
    var pageInView = function () {
      // Scrolled to the end, the last page (of the last row) is the one being read, however little
      // follows it: it may never reach the line on a short screen.
      if (window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2) {
        var last = figures.length - 1;
        while (last > 0 && Math.abs(topOf(figures[last - 1]) - topOf(figures[last])) < 1) last--;
        return figures[last];
      }
      var toolbarBottom = toolbar.getBoundingClientRect().bottom;
      var line = toolbarBottom + (window.innerHeight - toolbarBottom) / 3;
      for (var i = 0; i < figures.length; i++) if (figures[i].getBoundingClientRect().bottom > line) return figures[i];
      return figures[figures.length - 1];
    };
    /** The first page of the next row (of the next spread), or of the previous one; null at either end. */
    var stepFrom = function (figure, step) {
      var index = figures.indexOf(figure);
      var top = topOf(figure);
      if (step > 0) {
        for (var i = index + 1; i < figures.length; i++) if (topOf(figures[i]) > top + 1) return figures[i];
        return null;
      }
      for (var j = index - 1; j >= 0; j--) {
        if (topOf(figures[j]) < top - 1) {
          while (j > 0 && Math.abs(topOf(figures[j - 1]) - topOf(figures[j])) < 1) j--;
          return figures[j];
        }
      }
      return null;
    };
    var show = function (figure) {
      if (figure === current) return;
      current = figure;
      indicator.textContent = figure.querySelector('figcaption').textContent;
      previousButton.disabled = !stepFrom(figure, -1);
      nextButton.disabled = !stepFrom(figure, 1);
      var thumbnail = thumbnails[figures.indexOf(figure)];
      if (!thumbnail) return;
      thumbnails.forEach(function (link) { link.removeAttribute('aria-current'); });
      thumbnail.setAttribute('aria-current', 'true');
      // Into view within its strip only: scrollIntoView would scroll the page as well. The phone's
      // strip, above the pages, is centred while it is off screen only: scrolled back to, it shows
      // where the reader was and never slides under the finger about to tap one of its pages.
      var list = thumbnail.closest('ol');
      if (list.scrollWidth > list.clientWidth) {
        var strip = list.getBoundingClientRect();
        if (strip.bottom <= 0 || strip.top >= window.innerHeight) list.scrollLeft = thumbnail.offsetLeft - (list.clientWidth - thumbnail.offsetWidth) / 2;
      } else thumbnailsNav.scrollTop = thumbnail.offsetTop - (thumbnailsNav.clientHeight - thumbnail.offsetHeight) / 2;
    };
    var go = function (step) {
      var target = current && stepFrom(current, step);
      if (!target) return;
      target.scrollIntoView({ block: 'start' });
      show(target);
    };
    previousButton.addEventListener('click', function () { go(-1); });
    nextButton.addEventListener('click', function () { go(1); });
    var scheduled = false;
    var follow = function () {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(function () {
        scheduled = false;
        show(pageInView());
      });
    };
    window.addEventListener('scroll', follow, { passive: true });
    window.addEventListener('resize', follow);
    document.addEventListener('keydown', function (event) {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      if (event.defaultPrevented || overlay || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (event.target.closest && event.target.closest('input, textarea, select, [contenteditable]')) return;
      event.preventDefault();
      go(event.key === 'ArrowRight' ? 1 : -1);
    });
    pageNav.hidden = false;
    show(pageInView());

    var viewSwitch = toolbar.querySelector('.view-switch');
    if (viewSwitch) {
      viewSwitch.addEventListener('click', function (event) {
        event.preventDefault();
        var reading = current;
        var spreads = pagesSection.classList.toggle('spreads');
        var sizes = pagesSection.dataset.otherSizes;
        pagesSection.querySelectorAll('img[sizes]').forEach(function (image) {
          pagesSection.dataset.otherSizes = image.sizes;
          image.sizes = sizes;
        });
        var other = location.href;
        history.replaceState(null, '', viewSwitch.href);
        viewSwitch.href = other;
        viewSwitch.textContent = spreads ? viewSwitch.dataset.single : viewSwitch.dataset.spreads;
        reading.scrollIntoView({ block: 'start' });
        current = null;
        show(reading);
      });
    }
  }

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    if (overlay) {
      closeZoom();
    } else if (pinning) {
      setPinning(false);
      adder.focus();
    }
  });
  document.querySelectorAll('a.zoom').forEach(function (link) {
    link.addEventListener('click', function (event) {
      event.preventDefault();
      var figure = link.closest('figure');
      var pinHere = pinning && figure.hasAttribute('data-pinnable');
      var point = fromKeyboard(event) ? (pinHere ? crosshairPoint(figure) : { x: 0.5, y: 0.5 }) : pointOn(link.querySelector('img'), event);
      if (pinHere) addPin(figure, point);
      else openZoom(link, point);
    });
  });
})();`;

/** The CSP source that admits exactly this script. */
export const PROOF_SCRIPT_CSP_SOURCE = `'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`;

export const proofScript = (): SafeHtml => new SafeHtml(`<script>${SCRIPT}</script>`);
