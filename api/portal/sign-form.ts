/**
 * The portal's signing: the sign form (signer name, consent sentence, optional drawing, the
 * optional lines to tick), its words in fr/en/sv, and the one inline script the portal
 * allows. The page works without the script (the form posts; the server recomputes the
 * totals); with it, ticking an option updates the totals at once and a finger or mouse can
 * draw a signature. The CSP admits that script by its SHA-256, nothing else.
 */
import { createHash } from 'node:crypto';
import type { Locale } from '../../domain/documents';
import { html, SafeHtml } from './html';

export interface SigningMessages {
  sign: string;
  signerName: string;
  consentHeading: string;
  draw: string;
  clearDrawing: string;
  outdated: { title: string; body: string };
  downloadCertificate: string;
}

export const SIGNING_MESSAGES: Record<Locale, SigningMessages> = {
  fr: {
    sign: 'Signer le devis',
    signerName: 'Nom du signataire',
    consentHeading: 'Consentement',
    draw: 'Signature dessinée (facultatif)',
    clearDrawing: 'Effacer',
    outdated: {
      title: 'Une nouvelle version de ce devis existe',
      body: 'Ce devis a été modifié depuis l’envoi de ce lien. La nouvelle version vous a été envoyée par e-mail\u202f: ouvrez le lien le plus récent pour la lire et y répondre.',
    },
    downloadCertificate: 'Télécharger le certificat de signature',
  },
  en: {
    sign: 'Sign the quote',
    signerName: 'Signer’s name',
    consentHeading: 'Consent',
    draw: 'Drawn signature (optional)',
    clearDrawing: 'Clear',
    outdated: {
      title: 'A newer version of this quote exists',
      body: 'This quote was changed after this link was sent. The new version was emailed to you: open the latest link to read it and answer.',
    },
    downloadCertificate: 'Download the signature certificate',
  },
  sv: {
    sign: 'Underteckna offerten',
    signerName: 'Undertecknarens namn',
    consentHeading: 'Samtycke',
    draw: 'Ritad underskrift (valfritt)',
    clearDrawing: 'Rensa',
    outdated: {
      title: 'Det finns en nyare version av offerten',
      body: 'Offerten har ändrats sedan länken skickades. Den nya versionen har mejlats till dig: öppna den senaste länken för att läsa och svara.',
    },
    downloadCertificate: 'Ladda ner signaturcertifikatet',
  },
};

/**
 * Live totals and the drawing canvas. Totals: each optional line's checkbox carries its net
 * and tax in minor units (`data-net`, `data-tax`); the totals table carries the amounts
 * without options (`data-net`, `data-tax` on the table), its currency and locale; cells
 * marked `data-total="net|gross"` are rewritten. Each tax rate has its row (`data-tax-rate`,
 * with the base and tax of the lines always counted, `data-fixed="1"` when there are some):
 * its base and tax follow the options of its rate, and it hides when nothing counts at its rate. Drawing: a canvas fills the hidden
 * `drawnSignature` field with a PNG data URL as the form is submitted.
 */
const SCRIPT = `(function () {
  var table = document.querySelector('table.totals[data-live]');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="options"][data-net]'));
  if (table && boxes.length) {
    var money = new Intl.NumberFormat(table.dataset.locale, { style: 'currency', currency: table.dataset.currency });
    var scale = Math.pow(10, Number(table.dataset.digits));
    var show = function (cell, amount) { cell.textContent = money.format(amount / scale).replace(/[\\u202f ]/g, '\\u00a0'); };
    var update = function () {
      var net = Number(table.dataset.net), tax = Number(table.dataset.tax);
      boxes.forEach(function (box) { if (box.checked) { net += Number(box.dataset.net); tax += Number(box.dataset.tax); } });
      table.querySelectorAll('[data-total="net"]').forEach(function (cell) { show(cell, net); });
      table.querySelectorAll('[data-total="gross"]').forEach(function (cell) { show(cell, net + tax); });
      table.querySelectorAll('tr[data-tax-rate]').forEach(function (row) {
        var base = Number(row.dataset.base), rateTax = Number(row.dataset.tax), shown = row.dataset.fixed === '1';
        boxes.forEach(function (box) { if (box.checked && box.dataset.rate === row.dataset.taxRate) { base += Number(box.dataset.net); rateTax += Number(box.dataset.tax); shown = true; } });
        row.hidden = !shown;
        row.querySelectorAll('[data-part="base"]').forEach(function (cell) { show(cell, base); });
        row.querySelectorAll('[data-part="tax"]').forEach(function (cell) { show(cell, rateTax); });
      });
    };
    boxes.forEach(function (box) { box.addEventListener('change', update); });
    update();
  }
  var canvas = document.querySelector('canvas.signature-pad');
  if (canvas) {
    var form = canvas.closest('form');
    var field = form.querySelector('input[name="drawnSignature"]');
    var pen = canvas.getContext('2d');
    var drawn = false, down = false;
    canvas.hidden = false;
    canvas.parentNode.hidden = false;
    pen.lineWidth = 2; pen.lineCap = 'round'; pen.strokeStyle = '#1a1c21';
    var at = function (event) { var box = canvas.getBoundingClientRect(); return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height]; };
    canvas.addEventListener('pointerdown', function (event) { down = true; var p = at(event); pen.beginPath(); pen.moveTo(p[0], p[1]); canvas.setPointerCapture(event.pointerId); });
    canvas.addEventListener('pointermove', function (event) { if (!down) return; var p = at(event); pen.lineTo(p[0], p[1]); pen.stroke(); drawn = true; });
    canvas.addEventListener('pointerup', function () { down = false; });
    form.querySelector('button.clear-drawing').addEventListener('click', function () { pen.clearRect(0, 0, canvas.width, canvas.height); drawn = false; });
    form.addEventListener('submit', function () { field.value = drawn ? canvas.toDataURL('image/png') : ''; });
  }
})();`;

/** The CSP source that admits exactly this script. */
export const PORTAL_SCRIPT_CSP_SOURCE = `'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`;

export const portalScript = (): SafeHtml => new SafeHtml(`<script>${SCRIPT}</script>`);

export interface SignFormInput {
  action: string;
  hiddenFields: SafeHtml;
  optionChoices: SafeHtml | null;
  signerName: string;
  consentText: string;
  locale: Locale;
}

export function signForm(input: SignFormInput): SafeHtml {
  const t = SIGNING_MESSAGES[input.locale];
  return html`<form method="post" action="${input.action}" class="sign">${input.hiddenFields}${input.optionChoices}
<label for="signerName">${t.signerName}</label>
<input id="signerName" name="signerName" required maxlength="200" autocomplete="name" value="${input.signerName}">
<fieldset><legend>${t.consentHeading}</legend>
<label class="choice"><input type="checkbox" name="consent" value="true" required><span>${input.consentText}</span></label></fieldset>
<div class="drawing" hidden><label>${t.draw}</label><canvas class="signature-pad" width="600" height="200" style="width:100%;max-width:600px;border:1px solid #c9ccd3;border-radius:6px;touch-action:none;background:#fff" hidden></canvas>
<button type="button" class="clear-drawing">${t.clearDrawing}</button></div>
<input type="hidden" name="drawnSignature" value="">
<button class="primary" type="submit">${t.sign}</button></form>`;
}
