/**
 * "Envoyer à un collègue" (seed 000): the section of a proof's page where the customer sends
 * the proof to a colleague, who gets a link of their own that opens this proof and nothing
 * else of the account. Its words live here, in the three portal languages; pure: data in,
 * HTML out. Who may forward is decided by `whyLinkCannotForward`; when, by the proof's
 * workflow (an open proof only).
 */
import type { AccessLink } from '../../generated/prisma/client';
import { isColleagueLink } from '../../services/db/links';
import type { Locale } from '../../domain/documents';
import { AppError } from '../../domain/errors';
import { html, type SafeHtml } from './html';

interface ForwardWords {
  heading: string;
  /** While the current revision waits for a decision: the colleague may take it. */
  explain: string;
  /** While changes are made to it: nothing to approve yet, the next revision reaches them. */
  explainWhileChanging: string;
  emailLabel: string;
  nameLabel: string;
  send: string;
  sent: (email: string) => string;
  sentWhileChanging: (email: string) => string;
  notAllowed: string;
}

export const FORWARD_WORDS: Record<Locale, ForwardWords> = {
  fr: {
    heading: 'Envoyer à un collègue',
    explain: 'Quelqu’un d’autre doit valider ce BAT\u202f? Saisissez son adresse e-mail\u202f: il recevra un lien pour voir ce BAT, l’approuver ou demander des modifications, sans accès au reste de votre compte. Vous serez averti de sa décision.',
    explainWhileChanging:
      'Quelqu’un d’autre doit suivre ce BAT\u202f? Saisissez son adresse e-mail\u202f: il recevra un lien pour le voir, sans accès au reste de votre compte. Des modifications sont en cours\u202f: il recevra aussi la prochaine révision, qu’il pourra approuver ou faire modifier. Vous serez averti de sa décision.',
    emailLabel: 'Adresse e-mail du collègue',
    nameLabel: 'Son nom (facultatif)',
    send: 'Envoyer le BAT',
    sent: (email) => `Le BAT a été envoyé à ${email}. Vous serez averti de sa décision.`,
    sentWhileChanging: (email) => `Le BAT a été envoyé à ${email}. La prochaine révision lui sera envoyée aussi\u202f; vous serez averti de sa décision.`,
    notAllowed: 'Ce BAT ne peut plus être transmis.',
  },
  en: {
    heading: 'Send to a colleague',
    explain: 'Does someone else need to approve this proof? Enter their email address: they will get a link to see this proof, approve it or ask for changes, with no access to the rest of your account. You will hear of their decision.',
    explainWhileChanging:
      'Does someone else need to follow this proof? Enter their email address: they will get a link to see it, with no access to the rest of your account. Changes are under way: they will also get the next revision, to approve it or ask for changes. You will hear of their decision.',
    emailLabel: 'Colleague’s email address',
    nameLabel: 'Their name (optional)',
    send: 'Send the proof',
    sent: (email) => `The proof has been sent to ${email}. You will hear of their decision.`,
    sentWhileChanging: (email) => `The proof has been sent to ${email}. The next revision will reach them too; you will hear of their decision.`,
    notAllowed: 'This proof can no longer be forwarded.',
  },
  sv: {
    heading: 'Skicka till en kollega',
    explain: 'Behöver någon annan godkänna korrekturet? Ange hens e-postadress: hen får en länk för att se korrekturet, godkänna det eller begära ändringar, utan åtkomst till resten av ditt konto. Du får veta vad hen bestämmer.',
    explainWhileChanging:
      'Behöver någon annan följa korrekturet? Ange hens e-postadress: hen får en länk för att se det, utan åtkomst till resten av ditt konto. Ändringar pågår: hen får också nästa version, för att godkänna den eller begära ändringar. Du får veta vad hen bestämmer.',
    emailLabel: 'Kollegans e-postadress',
    nameLabel: 'Namn (valfritt)',
    send: 'Skicka korrekturet',
    sent: (email) => `Korrekturet har skickats till ${email}. Du får veta vad hen bestämmer.`,
    sentWhileChanging: (email) => `Korrekturet har skickats till ${email}. Nästa version skickas till hen också; du får veta vad hen bestämmer.`,
    notAllowed: 'Korrekturet kan inte längre skickas vidare.',
  },
};

/** Why this link may not forward its document, as the error to answer; undefined when it may. */
export function whyLinkCannotForward(link: Pick<AccessLink, 'actions' | 'forwardedFromLinkId'>, kind: string): AppError | undefined {
  if (kind !== 'proof') return new AppError('decision_rejected', 'Only proofs are forwarded to a colleague');
  if (isColleagueLink(link)) return new AppError('forbidden', 'A proof forwarded to you cannot be forwarded again; ask the person who sent it to you');
  if (!link.actions.includes('forward')) return new AppError('forbidden', 'This link does not allow forwarding the proof');
  return undefined;
}

export interface ForwardForm {
  action: string;
  decisionId: string;
  csrf: string;
}

/** Changes are being made: the proof has nothing to approve until the next revision. */
const whileChanging = (status: string) => status === 'changes_requested';

/**
 * The form (email, name), posted to `/d/<token>/forward` with the page's CSRF field and a
 * one-time decision id, worded for the proof's `status`: an invitation to approve only while
 * there is a revision to approve.
 */
export function forwardSection(locale: Locale, form: ForwardForm, status: string): SafeHtml {
  const words = FORWARD_WORDS[locale];
  return html`<section class="sheet forward" id="forward"><h2>${words.heading}</h2><p class="hint">${whileChanging(status) ? words.explainWhileChanging : words.explain}</p><form method="post" action="${form.action}"><input type="hidden" name="decisionId" value="${form.decisionId}"><input type="hidden" name="csrf" value="${form.csrf}"><label for="forward-email">${words.emailLabel}</label><input id="forward-email" name="email" type="email" maxlength="254" autocomplete="off" required style="display:block;width:100%;font:inherit;padding:.5rem;border:1px solid #c9ced8;border-radius:8px;margin:.3rem 0 .75rem"><label for="forward-name">${words.nameLabel}</label><input id="forward-name" name="name" type="text" maxlength="200" autocomplete="off" style="display:block;width:100%;font:inherit;padding:.5rem;border:1px solid #c9ced8;border-radius:8px;margin:.3rem 0 .75rem"><button type="submit">${words.send}</button></form></section>`;
}

/** What the page says once the proof is forwarded, for the status it is in. */
export function forwardedNotice(locale: Locale, status: string, email: string): string {
  const words = FORWARD_WORDS[locale];
  return whileChanging(status) ? words.sentWhileChanging(email) : words.sent(email);
}

/** Statuses in which a proof is forwarded: sent and not closed (the proof machine's own rule). */
const FORWARDABLE_STATUSES: readonly string[] = ['sent', 'viewed', 'changes_requested'];

/** Whether the page offers the form: the link may forward and the proof is open. */
export function offersForward(link: Pick<AccessLink, 'actions' | 'forwardedFromLinkId'>, kind: string, status: string): boolean {
  return whyLinkCannotForward(link, kind) === undefined && FORWARDABLE_STATUSES.includes(status);
}
