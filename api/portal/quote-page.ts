/**
 * The quote as its customer reads it: who sends it, to whom, the lines (optional ones
 * marked), tax per rate, totals, where it stands, and the answers it still allows.
 * Pure: data in, HTML out.
 */
import { html, type SafeHtml } from './html';
import { formattersFor, type Formatters, type Messages } from './i18n';
import { messagesFor } from './kind-words';
import { pageShell, statusAndNotice, type StatusBanner } from './layout';
import { portalSeller } from './seller-brand';
import type { PortalDecision } from './decisions';
import { computeTotals, countsInTotals, minorUnitDigits, taxBreakdown, type PricedLine } from '../../domain/money';
import { portalScript, signForm, SIGNING_MESSAGES } from './sign-form';
import type { Locale, QuoteStatus } from '../../domain/documents';
import type { LinkedDocument } from '../../services/db/links';
import { pricedLineOf } from '../../services/db/lines';
import { DECIDERS_WORDS } from './deciders-section';

export interface QuoteForm {
  decision: PortalDecision;
  /** One-time id of this form: the workflow takes a decision id once. */
  decisionId: string;
  csrf: string;
}

export interface QuotePageInput {
  locale: Locale;
  /** Path of the link ("/d/<token>"); actions and the PDF hang under it. */
  linkPath: string;
  document: LinkedDocument;
  /** The quote's status now (the workflow's answer can be newer than the row). */
  status: QuoteStatus;
  /** When the current status was reached, for "Accepted on …". */
  statusSince?: Date;
  /** Whom the customer can ask: the assignee, else nobody but the seller's name. */
  sellerContact?: { name: string; email: string };
  canDownload: boolean;
  /** The sign form's prefilled name and consent sentence; the certificate once signed. */
  signing?: { signerName: string; consentText: string; certificateUrl?: string };
  forms: QuoteForm[];
  /** The quote asks a deposit with the yes: the accept form pays it (POST /pay), its button saying so (online-payment.ts). */
  acceptWithDeposit?: { label: string };
  notice?: { tone: 'success' | 'error'; text: string };
  /** What the document is ("Order", "Bon de livraison"); a quote when absent. */
  kindLabel?: string;
  /** Where the document stands when its kind says it otherwise than a quote (an invoice: paid, due, overdue). */
  banner?: StatusBanner | null;
  /** Shown below the answers: the chain's documents and the conversation. */
  sections?: SafeHtml[];
}

type PageLine = PricedLine & { id: string };


export function renderQuotePage(input: QuotePageInput): string {
  const t = messagesFor(input.locale, input.document.kind);
  const { document } = input;
  const seller = portalSeller(document);
  const f = formattersFor(input.locale, seller.timeZone);
  const lines: PageLine[] = document.lines.map(pricedLineOf);
  const kindLabel = input.kindLabel ?? t.quote;
  const title = document.title ?? kindLabel;
  const body = html`
${statusAndNotice(input.banner ?? statusBanner(input, t, f), input.notice)}
<article class="sheet">
  <p class="eyebrow">${kindLabel} ${t.numberLabel} ${document.number}</p>
  <h1>${title}</h1>
  ${partiesBlock(document, t)}
  <dl class="meta">
    <div><dt class="label">${t.dateLabel}</dt><dd>${f.date(document.sentAt ?? document.createdAt)}</dd></div>
    ${document.validUntil ? html`<div><dt class="label">${t.validUntilLabel}</dt><dd>${f.date(document.validUntil)}</dd></div>` : null}
  </dl>
  ${linesTable(lines, document.currency, t, f)}
  ${totalsTable(lines, document.currency, t, f, input.locale)}
  ${input.forms.some((form) => form.decision === 'accept' || form.decision === 'sign') && lines.some((line) => line.optional) ? html`<p class="note">${t.optionalNotIncluded}</p>` : null}
</article>
${input.canDownload ? html`<p><a class="button" href="${input.linkPath}/pdf" download>${t.downloadPdf}</a></p>` : null}
${input.signing?.certificateUrl ? html`<p><a class="button" href="${input.signing.certificateUrl}" download>${SIGNING_MESSAGES[input.locale].downloadCertificate}</a></p>` : null}
${actionsSection(input, lines, t, f)}
${input.sections ?? null}
<footer>
  ${input.sellerContact ? html`<p>${t.questions(input.sellerContact.name)} · <a href="mailto:${input.sellerContact.email}">${input.sellerContact.email}</a></p>` : null}
  <p>${t.personalLink}</p>
</footer>`;
  return pageShell(input.locale, `${title} ${document.number} · ${seller.identity.legalName}`, body, '', seller);
}

/** Who sends the document — as the seller's settings name it, with its address and ids — and to whom (the proof page shows it too). */
export function partiesBlock(document: LinkedDocument, t: Pick<Messages, 'sellerLabel' | 'customerLabel' | 'attentionOf'>): SafeHtml {
  const { identity } = portalSeller(document);
  const details = [...(identity.address?.split(/\r?\n/) ?? []), identity.phone, identity.email, identity.website, identity.taxId, identity.companyId].filter(
    (line): line is string => Boolean(line),
  );
  return html`<div class="parties">
    <p><span class="label">${t.sellerLabel}</span><br><strong>${identity.legalName}</strong>${details.map((line) => html`<br>${line}`)}</p>
    <p><span class="label">${t.customerLabel}</span><br><strong>${document.customer.name}</strong>${
      document.contact ? html`<br>${t.attentionOf} ${document.contact.name}` : null
    }</p>
  </div>`;
}

function statusBanner(input: QuotePageInput, t: Messages, f: Formatters): StatusBanner | null {
  const since = input.statusSince ? f.dateTime(input.statusSince) : '';
  switch (input.status) {
    case 'accepted':
    case 'refused':
    case 'on_hold':
      return { tone: input.status, text: t.banner[input.status](since).trim() };
    case 'expired':
    case 'cancelled':
    case 'draft':
      return { tone: input.status, text: t.banner[input.status] };
    case 'sent':
    case 'viewed':
      return null;
  }
}

function linesTable(lines: PageLine[], currency: string, t: Messages, f: Formatters): SafeHtml {
  const rows = lines.map((line) => {
    const chosen = line.optional && line.selected;
    const tag = line.optional ? html`<span class="tag">${chosen ? t.optionalChosen : t.optionalLine}</span>` : null;
    const detail = `${f.quantity(line.quantity)} × ${f.money(line.unitPrice, currency)} · ${t.columns.taxRate} ${f.percent(line.taxRate)}`;
    return html`<tr class="${line.optional ? (chosen ? 'optional chosen' : 'optional') : ''}">
      <td>${line.description}${tag}<span class="detail">${detail}</span></td>
      <td class="num wide">${f.quantity(line.quantity)}</td>
      <td class="num wide">${f.money(line.unitPrice, currency)}</td>
      <td class="num wide">${f.percent(line.taxRate)}</td>
      <td class="num">${f.money(line.netAmount, currency)}</td>
    </tr>`;
  });
  return html`<table class="lines">
    <thead><tr>
      <th scope="col">${t.columns.description}</th>
      <th scope="col" class="num wide">${t.columns.quantity}</th>
      <th scope="col" class="num wide">${t.columns.unitPrice}</th>
      <th scope="col" class="num wide">${t.columns.taxRate}</th>
      <th scope="col" class="num">${t.columns.amount}</th>
    </tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

const BASE_MARK = '\u0000base\u0000';

function totalsTable(lines: PageLine[], currency: string, t: Messages, f: Formatters, locale: Locale): SafeHtml {
  const totals = computeTotals(lines, currency);
  // What the live-totals script starts from: the totals without the options it may add.
  const fixed = computeTotals(lines.filter((line) => !line.optional), currency);
  // One row per rate any line has, so the live-totals script can show a rate's row once an option of that rate is chosen.
  const counted = new Map(taxBreakdown(lines).map((row) => [row.rate, row]));
  const fixedByRate = new Map(taxBreakdown(lines.filter((line) => !line.optional)).map((row) => [row.rate, row]));
  const rates = [...new Set(lines.map((line) => line.taxRate))].sort((a, b) => Number(a) - Number(b));
  const taxRows = rates.map((rate) => {
    const now = counted.get(rate);
    const fixed = fixedByRate.get(rate);
    // The sentence around the base ("TVA 20 % sur …"), so the script rewrites the amount alone.
    const [before = '', after = ''] = t.taxOn(f.percent(rate), BASE_MARK).split(BASE_MARK);
    return html`<tr data-tax-rate="${rate}" data-base="${fixed?.base ?? 0}" data-tax="${fixed?.tax ?? 0}" data-fixed="${fixed ? '1' : '0'}"${now ? null : html` hidden`}><td>${before}<span data-part="base">${f.money(now?.base ?? 0, currency)}</span>${after}</td><td class="num" data-part="tax">${f.money(now?.tax ?? 0, currency)}</td></tr>`;
  });
  return html`<table class="totals" data-live data-net="${fixed.net}" data-tax="${fixed.tax}" data-currency="${currency}" data-locale="${locale}" data-digits="${minorUnitDigits(currency)}">
    <tr><td>${t.netTotal}</td><td class="num" data-total="net">${f.money(totals.net, currency)}</td></tr>
    ${taxRows}
    <tr class="grand"><td>${t.grossTotal}</td><td class="num" data-total="gross">${f.money(totals.gross, currency)}</td></tr>
  </table>`;
}

function hiddenFields(form: QuoteForm): SafeHtml {
  return html`<input type="hidden" name="decisionId" value="${form.decisionId}"><input type="hidden" name="csrf" value="${form.csrf}">`;
}

function actionsSection(input: QuotePageInput, lines: PageLine[], t: Messages, f: Formatters): SafeHtml | null {
  if (input.forms.length === 0) return null;
  const currency = input.document.currency;
  const optional = lines.filter((line) => line.optional);
  // Unticked unless already chosen; each carries its amounts for the live totals.
  const choices = optional.length
    ? html`<fieldset><legend>${t.chooseOptions}</legend>${optional.map(
        (line) => html`<label class="choice"><input type="checkbox" name="options" value="${line.id}" data-net="${line.netAmount}" data-tax="${line.taxAmount}" data-rate="${line.taxRate}"${
          countsInTotals(line) ? html` checked` : null
        }><span>${line.description} (${f.money(line.netAmount, currency)})</span></label>`,
      )}</fieldset>`
    : null;
  const forms = input.forms.map((form) => {
    const action = `${input.linkPath}/${form.decision}`;
    switch (form.decision) {
      case 'accept': {
        const deposit = input.acceptWithDeposit;
        return html`<form method="post" action="${deposit ? `${input.linkPath}/pay` : action}">${hiddenFields(form)}${choices}<button class="primary" type="submit">${deposit?.label ?? t.accept}</button></form>`;
      }
      case 'sign':
        return signForm({
          action,
          hiddenFields: hiddenFields(form),
          optionChoices: choices,
          signerName: input.signing?.signerName ?? '',
          consentText: input.signing?.consentText ?? '',
          locale: input.locale,
        });
      case 'hold':
        return html`<form method="post" action="${action}">${hiddenFields(form)}<p class="hint">${t.holdHint}</p><button type="submit">${t.hold}</button></form>`;
      case 'withdraw':
        return html`<form method="post" action="${action}">${hiddenFields(form)}<p class="hint">${t.withdrawHint}</p><button type="submit">${t.withdraw}</button></form>`;
      case 'comment': {
        // A reviewer's form (domain/deciders.ts): words for everyone deciding, which decide nothing.
        const words = DECIDERS_WORDS[input.locale];
        return html`<form method="post" action="${action}">${hiddenFields(form)}<p class="hint">${words.commentHint}</p><label for="comment">${words.yourComment}</label><textarea id="comment" name="comment" required maxlength="5000"></textarea><button type="submit">${words.sendComment}</button></form>`;
      }
      case 'refuse':
        return html`<details><summary>${t.refuse}</summary><form method="post" action="${action}">${hiddenFields(form)}<label for="reason">${t.refuseReason}</label><textarea id="reason" name="reason" maxlength="2000"></textarea><button type="submit">${t.refuse}</button></form></details>`;
    }
  });
  return html`<section class="sheet answer"><h2>${t.answerHeading}</h2><div class="actions">${forms}</div></section>${portalScript()}`;
}
