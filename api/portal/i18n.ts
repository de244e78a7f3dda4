/**
 * Every word the portal shows, in French, English and Swedish. The `Messages` type makes a
 * missing translation a compile error. Numbers, money and dates go through Intl (money via
 * domain/money formatMoney) so each locale writes them its own way.
 */
import { formatMoney } from '../../domain/money';
import { zoneName } from '../../services/locale-format';
import type { Locale, ProofStatus, QuoteStatus } from '../../domain/documents';
import type { AppError } from '../../domain/errors';
import type { PortalDecision } from './decisions';

/**
 * The fields a customer fills in on the portal's forms, as a refusal names them; `form`
 * stands for the hidden ones (decision id, CSRF field, revision), which only a reload mends.
 */
type PortalField = 'comment' | 'pins' | 'reason' | 'options' | 'signerName' | 'consent' | 'drawnSignature' | 'acceptTerms' | 'email' | 'name' | 'body' | 'form';

export interface Messages {
  quote: string;
  numberLabel: string;
  dateLabel: string;
  validUntilLabel: string;
  sellerLabel: string;
  customerLabel: string;
  attentionOf: string;
  columns: { description: string; quantity: string; unitPrice: string; taxRate: string; amount: string };
  optionalLine: string;
  optionalChosen: string;
  optionalNotIncluded: string;
  netTotal: string;
  taxOn: (rate: string, base: string) => string;
  grossTotal: string;
  statusNames: Record<QuoteStatus, string>;
  banner: {
    accepted: (date: string) => string;
    refused: (date: string) => string;
    on_hold: (date: string) => string;
    expired: string;
    cancelled: string;
    draft: string;
  };
  /** Said once a decision is taken. */
  decided: Record<PortalDecision, string>;
  answerHeading: string;
  chooseOptions: string;
  accept: string;
  refuse: string;
  refuseReason: string;
  hold: string;
  holdHint: string;
  withdraw: string;
  withdrawHint: string;
  /** The answer (acceptance, approval) is past withdrawing online: `who` is the seller to call (name, phone, email). */
  withdrawalClosed: (who: string) => string;
  downloadPdf: string;
  questions: (name: string) => string;
  personalLink: string;
  decisionNotAllowed: (status: string) => string;
  actionNotAllowed: string;
  formExpired: string;
  invalidRequest: string;
  /** A post refused for its fields: `fields` are fieldNames, to be listed in the sentence. */
  invalidFields: (fields: string[]) => string;
  fieldNames: Record<PortalField, string>;
  notFound: { title: string; body: string };
  /** A link that opens nothing any more (410): its own expiry, the seller turning it off, the document cancelled. */
  linkExpired: { title: string; body: (date: string, seller: string) => string };
  linkRevoked: { title: string; body: (seller: string) => string };
  documentCancelled: { title: string; body: (number: string, seller: string) => string };
  rateLimited: { title: string; body: string };
  failure: { title: string; body: string };
}

const fr: Messages = {
  quote: 'Devis',
  numberLabel: 'N°',
  dateLabel: 'Date',
  validUntilLabel: 'Valable jusqu’au',
  sellerLabel: 'Émis par',
  customerLabel: 'Établi pour',
  attentionOf: 'À l’attention de',
  columns: { description: 'Désignation', quantity: 'Qté', unitPrice: 'Prix unitaire HT', taxRate: 'TVA', amount: 'Total HT' },
  optionalLine: 'Option',
  optionalChosen: 'Option retenue',
  optionalNotIncluded: 'Les options ne sont comptées dans le total que si vous les choisissez.',
  netTotal: 'Total HT',
  taxOn: (rate, base) => `TVA ${rate} sur ${base}`,
  grossTotal: 'Total TTC',
  statusNames: {
    draft: 'en préparation',
    sent: 'envoyé',
    viewed: 'consulté',
    accepted: 'accepté',
    refused: 'refusé',
    on_hold: 'en attente',
    expired: 'expiré',
    cancelled: 'annulé',
  },
  banner: {
    accepted: (date) => `Accepté le ${date}`,
    refused: (date) => `Refusé le ${date}`,
    on_hold: (date) => `En attente depuis le ${date}`,
    expired: 'Ce devis a expiré',
    cancelled: 'Ce devis a été annulé',
    draft: 'Ce devis est encore en préparation',
  },
  decided: {
    accept: 'Merci\u202f! Votre acceptation a bien été enregistrée. Et maintenant\u202f? Nous revenons vers vous pour la suite.',
    refuse: 'Votre réponse a bien été enregistrée. Merci de nous l’avoir fait savoir.',
    hold: 'Le devis est mis en attente. Revenez décider quand vous serez prêt.',
    sign: 'Merci\u202f! Le devis est signé. Votre exemplaire signé et son certificat de signature vous sont envoyés par email\u202f; vous pouvez aussi les télécharger ci-dessous. Nous revenons vers vous pour la suite.',
    approve: 'Merci\u202f! Votre approbation du BAT a bien été enregistrée. Et maintenant\u202f? Nous passons en production\u202f; une confirmation vous est envoyée par email.',
    'request-changes': 'Votre demande de modifications a bien été envoyée. Nous vous enverrons une nouvelle révision.',
    comment: 'Votre commentaire a bien été envoyé.',
    withdraw: 'Votre réponse est retirée\u202f: vous pouvez décider à nouveau.',
  },
  answerHeading: 'Votre réponse',
  chooseOptions: 'Options à inclure',
  accept: 'Accepter le devis',
  refuse: 'Refuser le devis',
  refuseReason: 'Motif (facultatif)',
  hold: 'Mettre en attente',
  holdHint: 'Besoin de temps\u202f? Le vendeur en sera informé et vous pourrez décider plus tard.',
  withdraw: 'Retirer mon acceptation',
  withdrawHint: 'Vous avez changé d’avis\u202f? Vous pouvez encore retirer votre acceptation\u202f: le devis sera de nouveau ouvert.',
  withdrawalClosed: (who) => `Votre réponse ne peut plus être retirée en ligne\u202f: nous y donnons déjà suite. Pour revenir dessus, contactez ${who}.`,
  downloadPdf: 'Télécharger le PDF',
  questions: (name) => `Une question\u202f? Contactez ${name}`,
  personalLink: 'Ce lien vous est personnel\u202f: merci de ne pas le transférer.',
  decisionNotAllowed: (status) => `Cette décision n’est plus possible\u202f: le devis est ${status}.`,
  actionNotAllowed: 'Ce lien ne permet pas cette action.',
  formExpired: 'Ce formulaire n’est plus valide. Rechargez la page et réessayez.',
  invalidRequest: 'La demande n’est pas valide.',
  invalidFields: (fields) => `La demande n’est pas valide\u202f: vérifiez ${listOf('fr', fields)}.`,
  fieldNames: {
    comment: 'les modifications souhaitées',
    pins: 'les repères sur les pages',
    reason: 'le motif',
    options: 'les options',
    signerName: 'votre nom',
    consent: 'la case de consentement',
    drawnSignature: 'la signature dessinée',
    acceptTerms: 'la case des conditions générales de vente',
    email: 'l’adresse e-mail',
    name: 'le nom',
    body: 'le message',
    form: 'le formulaire (rechargez la page)',
  },
  notFound: {
    title: 'Lien introuvable',
    body: 'Ce lien n’est pas valide ou a été désactivé. Vérifiez que l’adresse est complète, ou demandez un nouveau lien à votre interlocuteur.',
  },
  linkExpired: {
    title: 'Lien expiré',
    body: (date, seller) => `Ce lien ne fonctionne plus\u202f: il a expiré le ${date}. Pour en obtenir un nouveau, contactez ${seller}.`,
  },
  linkRevoked: {
    title: 'Lien désactivé',
    body: (seller) => `Ce lien ne fonctionne plus\u202f: il a été désactivé. Pour en obtenir un nouveau, contactez ${seller}.`,
  },
  documentCancelled: {
    title: 'Document annulé',
    body: (number, seller) => `Ce lien ne fonctionne plus\u202f: le document n° ${number} a été annulé. Pour toute question, contactez ${seller}.`,
  },
  rateLimited: { title: 'Trop de demandes', body: 'Merci de patienter une minute avant de réessayer.' },
  failure: { title: 'Une erreur est survenue', body: 'Réessayez dans un instant.' },
};

const en: Messages = {
  quote: 'Quote',
  numberLabel: 'No.',
  dateLabel: 'Date',
  validUntilLabel: 'Valid until',
  sellerLabel: 'From',
  customerLabel: 'Prepared for',
  attentionOf: 'Attn:',
  columns: { description: 'Description', quantity: 'Qty', unitPrice: 'Unit price', taxRate: 'Tax', amount: 'Amount' },
  optionalLine: 'Optional',
  optionalChosen: 'Chosen option',
  optionalNotIncluded: 'Optional items count in the total only if you choose them.',
  netTotal: 'Total excl. tax',
  taxOn: (rate, base) => `Tax ${rate} on ${base}`,
  grossTotal: 'Total incl. tax',
  statusNames: {
    draft: 'being prepared',
    sent: 'sent',
    viewed: 'viewed',
    accepted: 'accepted',
    refused: 'refused',
    on_hold: 'on hold',
    expired: 'expired',
    cancelled: 'cancelled',
  },
  banner: {
    accepted: (date) => `Accepted on ${date}`,
    refused: (date) => `Refused on ${date}`,
    on_hold: (date) => `On hold since ${date}`,
    expired: 'This quote has expired',
    cancelled: 'This quote was cancelled',
    draft: 'This quote is still being prepared',
  },
  decided: {
    accept: 'Thank you! Your acceptance has been recorded. What happens next: we will be in touch to take it from here.',
    refuse: 'Your answer has been recorded. Thank you for letting us know.',
    hold: 'The quote is on hold. Come back and decide whenever you are ready.',
    sign: 'Thank you! The quote is signed. Your signed copy and its signature certificate are on their way by email; you can also download them below. We will be in touch about what comes next.',
    approve: 'Thank you! Your approval of the proof has been recorded. What happens next: we are moving on to production; a confirmation is on its way by email.',
    'request-changes': 'Your change request has been sent. We will send you a new revision.',
    comment: 'Your comment has been sent.',
    withdraw: 'Your answer is withdrawn: you may decide again.',
  },
  answerHeading: 'Your answer',
  chooseOptions: 'Optional items to include',
  accept: 'Accept the quote',
  refuse: 'Refuse the quote',
  refuseReason: 'Reason (optional)',
  hold: 'Put on hold',
  holdHint: 'Need more time? The seller will be told and you can decide later.',
  withdraw: 'Withdraw my acceptance',
  withdrawHint: 'Changed your mind? You may still withdraw your acceptance: the quote will be open again.',
  withdrawalClosed: (who) => `Your answer can no longer be withdrawn online: we are already acting on it. To go back on it, contact ${who}.`,
  downloadPdf: 'Download PDF',
  questions: (name) => `A question? Contact ${name}`,
  personalLink: 'This link is personal: please do not forward it.',
  decisionNotAllowed: (status) => `This decision is no longer possible: the quote is ${status}.`,
  actionNotAllowed: 'This link does not allow this action.',
  formExpired: 'This form is no longer valid. Reload the page and try again.',
  invalidRequest: 'The request is not valid.',
  invalidFields: (fields) => `The request is not valid: check ${listOf('en', fields)}.`,
  fieldNames: {
    comment: 'the changes you want',
    pins: 'the pins on the pages',
    reason: 'the reason',
    options: 'the options',
    signerName: 'your name',
    consent: 'the consent box',
    drawnSignature: 'the drawn signature',
    acceptTerms: 'the terms of sale box',
    email: 'the email address',
    name: 'the name',
    body: 'the message',
    form: 'the form (reload the page)',
  },
  notFound: {
    title: 'Link not found',
    body: 'This link is not valid or has been turned off. Check that the address is complete, or ask your contact for a new link.',
  },
  linkExpired: {
    title: 'Link expired',
    body: (date, seller) => `This link no longer works: it expired on ${date}. To get a new one, contact ${seller}.`,
  },
  linkRevoked: {
    title: 'Link turned off',
    body: (seller) => `This link no longer works: it has been turned off. To get a new one, contact ${seller}.`,
  },
  documentCancelled: {
    title: 'Document cancelled',
    body: (number, seller) => `This link no longer works: document ${number} has been cancelled. For any question, contact ${seller}.`,
  },
  rateLimited: { title: 'Too many requests', body: 'Please wait a minute and try again.' },
  failure: { title: 'Something went wrong', body: 'Please try again in a moment.' },
};

const sv: Messages = {
  quote: 'Offert',
  numberLabel: 'Nr',
  dateLabel: 'Datum',
  validUntilLabel: 'Giltig till',
  sellerLabel: 'Från',
  customerLabel: 'Upprättad för',
  attentionOf: 'Att.',
  columns: { description: 'Beskrivning', quantity: 'Antal', unitPrice: 'À-pris exkl. moms', taxRate: 'Moms', amount: 'Belopp exkl. moms' },
  optionalLine: 'Tillval',
  optionalChosen: 'Valt tillval',
  optionalNotIncluded: 'Tillval räknas in i summan först när du väljer dem.',
  netTotal: 'Summa exkl. moms',
  taxOn: (rate, base) => `Moms ${rate} på ${base}`,
  grossTotal: 'Totalt inkl. moms',
  statusNames: {
    draft: 'under arbete',
    sent: 'skickad',
    viewed: 'visad',
    accepted: 'accepterad',
    refused: 'avböjd',
    on_hold: 'satt på vänt',
    expired: 'utgången',
    cancelled: 'återkallad',
  },
  banner: {
    accepted: (date) => `Accepterad ${date}`,
    refused: (date) => `Avböjd ${date}`,
    on_hold: (date) => `Satt på vänt sedan ${date}`,
    expired: 'Offerten har gått ut',
    cancelled: 'Offerten har återkallats',
    draft: 'Offerten är fortfarande under arbete',
  },
  decided: {
    accept: 'Tack! Ditt godkännande har registrerats. Så här går det vidare: vi hör av oss om nästa steg.',
    refuse: 'Ditt svar har registrerats. Tack för att du meddelade oss.',
    hold: 'Offerten är satt på vänt. Kom tillbaka och bestäm dig när du är redo.',
    sign: 'Tack! Offerten är undertecknad. Ditt signerade exemplar och signaturintyget skickas till dig via e-post; du kan också ladda ner dem nedan. Vi hör av oss om nästa steg.',
    approve: 'Tack! Ditt godkännande av korrekturet har registrerats. Så här går det vidare: vi går vidare till produktion; en bekräftelse skickas via e-post.',
    'request-changes': 'Din begäran om ändringar har skickats. Vi skickar en ny version till dig.',
    comment: 'Din kommentar har skickats.',
    withdraw: 'Ditt svar är återtaget: du kan bestämma dig på nytt.',
  },
  answerHeading: 'Ditt svar',
  chooseOptions: 'Tillval att ta med',
  accept: 'Acceptera offerten',
  refuse: 'Avböj offerten',
  refuseReason: 'Anledning (valfritt)',
  hold: 'Sätt på vänt',
  holdHint: 'Behöver du mer tid? Säljaren får veta det och du kan bestämma dig senare.',
  withdraw: 'Ta tillbaka mitt godkännande',
  withdrawHint: 'Har du ändrat dig? Du kan fortfarande ta tillbaka ditt godkännande: offerten blir öppen igen.',
  withdrawalClosed: (who) => `Ditt svar kan inte längre tas tillbaka på webben: vi arbetar redan med det. Kontakta ${who} för att ändra det.`,
  downloadPdf: 'Ladda ner PDF',
  questions: (name) => `Frågor? Kontakta ${name}`,
  personalLink: 'Länken är personlig – vidarebefordra den inte.',
  decisionNotAllowed: (status) => `Det beslutet går inte längre att fatta: offerten är ${status}.`,
  actionNotAllowed: 'Den här länken tillåter inte den åtgärden.',
  formExpired: 'Formuläret är inte längre giltigt. Ladda om sidan och försök igen.',
  invalidRequest: 'Förfrågan är ogiltig.',
  invalidFields: (fields) => `Förfrågan är ogiltig: kontrollera ${listOf('sv', fields)}.`,
  fieldNames: {
    comment: 'ändringarna du vill ha',
    pins: 'markeringarna på sidorna',
    reason: 'anledningen',
    options: 'tillvalen',
    signerName: 'ditt namn',
    consent: 'samtyckesrutan',
    drawnSignature: 'den ritade signaturen',
    acceptTerms: 'rutan för försäljningsvillkoren',
    email: 'e-postadressen',
    name: 'namnet',
    body: 'meddelandet',
    form: 'formuläret (ladda om sidan)',
  },
  notFound: {
    title: 'Länken hittades inte',
    body: 'Länken är ogiltig eller har stängts av. Kontrollera att adressen är komplett, eller be din kontaktperson om en ny länk.',
  },
  linkExpired: {
    title: 'Länken har gått ut',
    body: (date, seller) => `Länken fungerar inte längre: den gick ut ${date}. Kontakta ${seller} för att få en ny.`,
  },
  linkRevoked: {
    title: 'Länken är avstängd',
    body: (seller) => `Länken fungerar inte längre: den har stängts av. Kontakta ${seller} för att få en ny.`,
  },
  documentCancelled: {
    title: 'Dokumentet har återkallats',
    body: (number, seller) => `Länken fungerar inte längre: dokument ${number} har återkallats. Kontakta ${seller} om du har frågor.`,
  },
  rateLimited: { title: 'För många förfrågningar', body: 'Vänta en minut och försök igen.' },
  failure: { title: 'Något gick fel', body: 'Försök igen om en stund.' },
};

export const MESSAGES: Record<Locale, Messages> = { fr, en, sv };

function listOf(locale: Locale, items: string[]): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}

function isPortalField(name: string, names: Messages['fieldNames']): name is PortalField {
  return Object.hasOwn(names, name);
}

/** A post refused as invalid, in the customer's words: which fields to check, named as the page shows them. */
export function invalidRequestText(t: Messages, error: AppError): string {
  const names = new Set(
    (error.errors ?? []).map((fieldError) => {
      const field = fieldError.path.split('.')[0] ?? '';
      return t.fieldNames[isPortalField(field, t.fieldNames) ? field : 'form'];
    }),
  );
  return names.size ? t.invalidFields([...names]) : t.invalidRequest;
}

/** The proof page's words (api/portal/proof-page.ts); the rest comes from Messages. */
export interface ProofMessages {
  proof: string;
  revision: (number: number) => string;
  revisionsLabel: string;
  current: string;
  olderRevision: (shown: number, current: number) => string;
  openCurrent: (current: number) => string;
  rendering: string;
  pageOf: (page: number, count: number) => string;
  /** The thumbnails' navigation, and the link to it from the page toolbar. */
  pagesLabel: string;
  allPages: string;
  previousPage: string;
  nextPage: string;
  /** The view switch: facing pages (a booklet's spreads, page 1 alone as its cover) or one page under another. */
  spreads: string;
  singlePages: string;
  zoomHint: string;
  /** The zoom dialog's name; also a template for the page's script, called with "{page}" (the page's caption). */
  zoomDialog: (page: string) => string;
  closeZoom: string;
  /** The zoom view's levels: the whole page on screen, or the zoom image at a scale ("{n}" the percentage). */
  zoomFit: string;
  zoomLevel: string;
  /** Groups the zoom view's controls. */
  zoomTools: string;
  statusNames: Record<ProofStatus, string>;
  status: {
    draft: string;
    sent: (revision: number) => string;
    viewed: (revision: number) => string;
    changes_requested: (revision: number, date: string) => string;
    approved: (revision: number, date: string) => string;
    cancelled: string;
  };
  downloadPdf: string;
  downloadHint: string;
  approve: (revision: number) => string;
  withdraw: string;
  withdrawHint: string;
  acceptTerms: (version: string) => string;
  readTerms: string;
  requestChanges: (revision: number) => string;
  comment: string;
  changeCost: (rate: string) => string;
  addPin: string;
  pinHint: string;
  /** Also a template for the page's script: called with "{pin}" and "{page}". */
  pinComment: (pin: string, page: string) => string;
  /** Where the keyboard's crosshair stands, for the live region; a template called with "{x}", "{y}" (percent) and "{page}". */
  crosshairAt: (x: string, y: string, page: string) => string;
  removePin: string;
  sendChanges: string;
  /** A reviewer's form (domain/deciders.ts): a comment, pinned or not, that decides nothing. */
  addComment: (revision: number) => string;
  earlierRequests: string;
  requestedOn: (revision: number, date: string) => string;
  pinLabel: (pin: number, page: number) => string;
  /** Above a new revision's pages: the outlined pins are those asked on `revision`. */
  earlierPins: (revision: number) => string;
  /** Above a revision that answers a change request: what it follows, and each pin done or not (when the seller says). */
  follows: (revision: number, date: string) => string;
  pinDone: string;
  pinOpen: string;
  /** Two revisions of the same page count, page by page: side by side, or one over the other with their difference. */
  compareWith: (other: number) => string;
  compareHeading: (shown: number, other: number) => string;
  sideBySide: string;
  overlay: string;
  overlayHint: string;
  leaveCompare: string;
  refused: {
    staleRevision: (current: number) => string;
    termsRequired: string;
    status: (status: string) => string;
  };
}

const proofFr: ProofMessages = {
  proof: 'BAT',
  revision: (number) => `Révision ${number}`,
  revisionsLabel: 'Révisions',
  current: 'actuelle',
  olderRevision: (shown, current) => `Vous consultez la révision ${shown}. La révision ${current} est celle à valider.`,
  openCurrent: (current) => `Voir la révision ${current}`,
  rendering: 'La nouvelle révision est en préparation. Revenez dans un instant.',
  pageOf: (page, count) => `Page ${page} sur ${count}`,
  pagesLabel: 'Pages',
  allPages: 'Toutes les pages',
  previousPage: 'Page précédente',
  nextPage: 'Page suivante',
  spreads: 'Pages en vis-à-vis',
  singlePages: 'Une page à la fois',
  zoomHint: 'Cliquez sur une page pour l’agrandir.',
  zoomDialog: (page) => `Agrandissement — ${page}`,
  closeZoom: 'Fermer',
  zoomFit: 'Page entière',
  zoomLevel: '{n} %',
  zoomTools: 'Agrandissement',
  statusNames: {
    draft: 'en préparation',
    sent: 'envoyé',
    viewed: 'consulté',
    changes_requested: 'en cours de modification',
    approved: 'approuvé',
    cancelled: 'annulé',
  },
  status: {
    draft: 'Ce BAT est encore en préparation',
    sent: (revision) => `Révision ${revision}\u202f: en attente de votre validation`,
    viewed: (revision) => `Révision ${revision}\u202f: en attente de votre validation`,
    changes_requested: (revision, date) => `Modifications demandées sur la révision ${revision} le ${date}\u202f: une nouvelle révision vous sera envoyée`,
    approved: (revision, date) => `Révision ${revision} approuvée le ${date}`,
    cancelled: 'Ce BAT a été annulé',
  },
  downloadPdf: 'Télécharger le PDF filigrané',
  downloadHint: 'Moyenne résolution, pour un essai sur votre imprimante.',
  approve: (revision) => `Approuver la révision ${revision}`,
  withdraw: 'Retirer mon approbation',
  withdrawHint: 'Vous avez changé d’avis\u202f? Tant que le BAT n’est pas en production, vous pouvez retirer votre approbation.',
  acceptTerms: (version) => `J’accepte les conditions générales de vente (version ${version})`,
  readTerms: 'Lire les conditions générales de vente',
  requestChanges: (revision) => `Demander des modifications (révision ${revision})`,
  comment: 'Les modifications souhaitées',
  changeCost: (rate) => `Les modifications peuvent être facturées à notre taux horaire habituel (${rate} de l’heure).`,
  addPin: 'Épingler un commentaire sur une page',
  pinHint: 'Cliquez sur la page, à l’endroit à modifier. Au clavier\u202f: sur la page, déplacez le viseur avec les flèches (Maj + flèche pour aller plus vite), puis Entrée pour poser le repère\u202f; Échap annule.',
  pinComment: (pin, page) => `Repère ${pin} (page ${page})`,
  crosshairAt: (x, y, page) => `Viseur sur la page ${page}\u202f: ${x} % depuis la gauche, ${y} % depuis le haut`,
  removePin: 'Retirer',
  sendChanges: 'Envoyer la demande de modifications',
  addComment: (revision) => `Commenter (révision ${revision})`,
  earlierRequests: 'Demandes de modifications',
  requestedOn: (revision, date) => `Révision ${revision}, le ${date}`,
  pinLabel: (pin, page) => `Repère ${pin}, page ${page}`,
  earlierPins: (revision) => `Repères cerclés\u202f: vos demandes sur la révision ${revision}, à vérifier sur celle-ci.`,
  follows: (revision, date) => `Révision ${revision}, suite à vos demandes du ${date}`,
  pinDone: 'traité',
  pinOpen: 'pas encore traité',
  compareWith: (other) => `Comparer avec la révision ${other}`,
  compareHeading: (shown, other) => `Révision ${shown} comparée à la révision ${other}`,
  sideBySide: 'Côte à côte',
  overlay: 'Superposition',
  overlayHint: 'Les deux révisions superposées\u202f: ce qui n’a pas changé est noir, ce qui a changé ressort en clair.',
  leaveCompare: 'Quitter la comparaison',
  refused: {
    staleRevision: (current) => `Une nouvelle révision existe\u202f: la révision ${current} est celle à valider.`,
    termsRequired: 'Merci d’accepter les conditions générales de vente pour approuver le BAT.',
    status: (status) => `Cette décision n’est plus possible\u202f: le BAT est ${status}.`,
  },
};

const proofEn: ProofMessages = {
  proof: 'Proof',
  revision: (number) => `Revision ${number}`,
  revisionsLabel: 'Revisions',
  current: 'current',
  olderRevision: (shown, current) => `You are looking at revision ${shown}. Revision ${current} is the one to approve.`,
  openCurrent: (current) => `Open revision ${current}`,
  rendering: 'The new revision is being prepared. Come back in a moment.',
  pageOf: (page, count) => `Page ${page} of ${count}`,
  pagesLabel: 'Pages',
  allPages: 'All pages',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  spreads: 'Two-page spreads',
  singlePages: 'One page at a time',
  zoomHint: 'Click a page to zoom in.',
  zoomDialog: (page) => `Zoom — ${page}`,
  closeZoom: 'Close',
  zoomFit: 'Whole page',
  zoomLevel: '{n}%',
  zoomTools: 'Zoom',
  statusNames: {
    draft: 'being prepared',
    sent: 'sent',
    viewed: 'viewed',
    changes_requested: 'being changed',
    approved: 'approved',
    cancelled: 'cancelled',
  },
  status: {
    draft: 'This proof is still being prepared',
    sent: (revision) => `Revision ${revision}: waiting for your approval`,
    viewed: (revision) => `Revision ${revision}: waiting for your approval`,
    changes_requested: (revision, date) => `Changes requested on revision ${revision} on ${date}: a new revision will be sent to you`,
    approved: (revision, date) => `Revision ${revision} approved on ${date}`,
    cancelled: 'This proof was cancelled',
  },
  downloadPdf: 'Download the watermarked PDF',
  downloadHint: 'Medium resolution, to try on your own printer.',
  approve: (revision) => `Approve revision ${revision}`,
  withdraw: 'Withdraw my approval',
  withdrawHint: 'Changed your mind? Until the proof goes into production, you may withdraw your approval.',
  acceptTerms: (version) => `I accept the terms of sale (version ${version})`,
  readTerms: 'Read the terms of sale',
  requestChanges: (revision) => `Request changes (revision ${revision})`,
  comment: 'The changes you want',
  changeCost: (rate) => `Changes may be billed at our usual hourly rate (${rate} per hour).`,
  addPin: 'Pin a comment on a page',
  pinHint: 'Click the page where the change goes. With a keyboard: on the page, move the crosshair with the arrow keys (Shift + arrow for bigger steps), then press Enter to drop the pin; Escape cancels.',
  pinComment: (pin, page) => `Pin ${pin} (page ${page})`,
  crosshairAt: (x, y, page) => `Crosshair on page ${page}: ${x}% from the left, ${y}% from the top`,
  removePin: 'Remove',
  sendChanges: 'Send the change request',
  addComment: (revision) => `Comment (revision ${revision})`,
  earlierRequests: 'Change requests',
  requestedOn: (revision, date) => `Revision ${revision}, on ${date}`,
  pinLabel: (pin, page) => `Pin ${pin}, page ${page}`,
  earlierPins: (revision) => `Outlined pins: what you asked on revision ${revision}, to check on this one.`,
  follows: (revision, date) => `Revision ${revision}, following your requests of ${date}`,
  pinDone: 'done',
  pinOpen: 'not done yet',
  compareWith: (other) => `Compare with revision ${other}`,
  compareHeading: (shown, other) => `Revision ${shown} compared with revision ${other}`,
  sideBySide: 'Side by side',
  overlay: 'Overlay',
  overlayHint: 'The two revisions one over the other: what did not change is black, what changed stands out in light.',
  leaveCompare: 'Leave the comparison',
  refused: {
    staleRevision: (current) => `A newer revision exists: revision ${current} is the one to approve.`,
    termsRequired: 'Please accept the terms of sale to approve the proof.',
    status: (status) => `This decision is no longer possible: the proof is ${status}.`,
  },
};

const proofSv: ProofMessages = {
  proof: 'Korrektur',
  revision: (number) => `Version ${number}`,
  revisionsLabel: 'Versioner',
  current: 'aktuell',
  olderRevision: (shown, current) => `Du tittar på version ${shown}. Version ${current} är den som ska godkännas.`,
  openCurrent: (current) => `Öppna version ${current}`,
  rendering: 'Den nya versionen förbereds. Kom tillbaka om en stund.',
  pageOf: (page, count) => `Sida ${page} av ${count}`,
  pagesLabel: 'Sidor',
  allPages: 'Alla sidor',
  previousPage: 'Föregående sida',
  nextPage: 'Nästa sida',
  spreads: 'Uppslag',
  singlePages: 'En sida i taget',
  zoomHint: 'Klicka på en sida för att zooma in.',
  zoomDialog: (page) => `Förstoring — ${page}`,
  closeZoom: 'Stäng',
  zoomFit: 'Hela sidan',
  zoomLevel: '{n} %',
  zoomTools: 'Förstoring',
  statusNames: {
    draft: 'under arbete',
    sent: 'skickat',
    viewed: 'visat',
    changes_requested: 'under ändring',
    approved: 'godkänt',
    cancelled: 'återkallat',
  },
  status: {
    draft: 'Korrekturet är fortfarande under arbete',
    sent: (revision) => `Version ${revision}: väntar på ditt godkännande`,
    viewed: (revision) => `Version ${revision}: väntar på ditt godkännande`,
    changes_requested: (revision, date) => `Ändringar begärda i version ${revision} ${date}: en ny version skickas till dig`,
    approved: (revision, date) => `Version ${revision} godkänd ${date}`,
    cancelled: 'Korrekturet har återkallats',
  },
  downloadPdf: 'Ladda ner PDF med vattenstämpel',
  downloadHint: 'Medelhög upplösning, för en provutskrift på din egen skrivare.',
  approve: (revision) => `Godkänn version ${revision}`,
  withdraw: 'Ta tillbaka mitt godkännande',
  withdrawHint: 'Har du ändrat dig? Så länge korrekturet inte har gått i produktion kan du ta tillbaka ditt godkännande.',
  acceptTerms: (version) => `Jag godkänner försäljningsvillkoren (version ${version})`,
  readTerms: 'Läs försäljningsvillkoren',
  requestChanges: (revision) => `Begär ändringar (version ${revision})`,
  comment: 'Ändringarna du vill ha',
  changeCost: (rate) => `Ändringar kan debiteras enligt vårt vanliga timpris (${rate} per timme).`,
  addPin: 'Fäst en kommentar på en sida',
  pinHint: 'Klicka på sidan där ändringen ska göras. Med tangentbordet: flytta siktet på sidan med piltangenterna (Skift + pil för större steg) och tryck Enter för att sätta markeringen; Esc avbryter.',
  pinComment: (pin, page) => `Markering ${pin} (sida ${page})`,
  crosshairAt: (x, y, page) => `Sikte på sida ${page}: ${x} % från vänster, ${y} % från toppen`,
  removePin: 'Ta bort',
  sendChanges: 'Skicka begäran om ändringar',
  addComment: (revision) => `Kommentera (version ${revision})`,
  earlierRequests: 'Begärda ändringar',
  requestedOn: (revision, date) => `Version ${revision}, ${date}`,
  pinLabel: (pin, page) => `Markering ${pin}, sida ${page}`,
  earlierPins: (revision) => `Ringade markeringar: det du bad om i version ${revision}, att kontrollera i den här.`,
  follows: (revision, date) => `Version ${revision}, efter dina önskemål från ${date}`,
  pinDone: 'åtgärdad',
  pinOpen: 'inte åtgärdad än',
  compareWith: (other) => `Jämför med version ${other}`,
  compareHeading: (shown, other) => `Version ${shown} jämförd med version ${other}`,
  sideBySide: 'Sida vid sida',
  overlay: 'Överlagrade',
  overlayHint: 'De två versionerna ovanpå varandra: det som inte ändrats är svart, det som ändrats syns ljust.',
  leaveCompare: 'Lämna jämförelsen',
  refused: {
    staleRevision: (current) => `Det finns en nyare version: version ${current} är den som ska godkännas.`,
    termsRequired: 'Godkänn försäljningsvillkoren för att godkänna korrekturet.',
    status: (status) => `Det beslutet går inte längre att fatta: korrekturet är ${status}.`,
  },
};

export const PROOF_MESSAGES: Record<Locale, ProofMessages> = { fr: proofFr, en: proofEn, sv: proofSv };

/**
 * Locale-aware writing of the values a quote shows. Amounts, quantities and rates never wrap
 * inside ("1 004,98 €", "20 %"); dates and times are the reader's, in their time zone
 * (domain/seller.ts readerTimeZone), and a time names its zone.
 */
export interface Formatters {
  money(amount: number, currency: string): string;
  date(value: Date): string;
  dateTime(value: Date): string;
  quantity(value: string): string;
  percent(rate: string): string;
}

const unbreakable = (text: string) => text.replace(/[ \u202f]/g, '\u00a0');

/** Made once per locale and zone: Intl's formatters cost far more to make than to use. */
const formattersByReader = new Map<string, Formatters>();

export function formattersFor(locale: Locale, timeZone = 'UTC'): Formatters {
  const key = `${locale} ${timeZone}`;
  let formatters = formattersByReader.get(key);
  if (!formatters) {
    formatters = makeFormatters(locale, timeZone);
    formattersByReader.set(key, formatters);
  }
  return formatters;
}

function makeFormatters(locale: Locale, timeZone: string): Formatters {
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone });
  const zone = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 4 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
  return {
    money: (amount, currency) => unbreakable(formatMoney(amount, currency, locale)),
    date: (value) => date.format(value),
    dateTime: (value) => `${dateTime.format(value)} ${zoneName(zone, value)}`,
    quantity: (value) => unbreakable(decimal.format(Number(value))),
    // Rates are percentages already ("5.5"); Intl's percent style wants a fraction.
    percent: (rate) => unbreakable(percent.format(Number(rate) / 100)),
  };
}
