/**
 * The two sections at the bottom of every portal page: the documents of the commercial chain
 * (each opens from this link, read-only) and the conversation with the seller (messages the
 * customer may see, and a form to write). Pure: data in, HTML out. Their words live here, in
 * the three portal languages, beside the code that uses them.
 */
import type { ChainLink } from '../../services/db/chain';
import type { DocumentKind, Locale } from '../../domain/documents';
import { html, type SafeHtml } from './html';
import { formattersFor } from './i18n';

interface ChainWords {
  kinds: Record<DocumentKind, string>;
  chainHeading: string;
  current: string;
  readOnly: string;
  backToLink: string;
  /** A document of the chain the customer may not open (a draft, one never sent, another chain's): 404. */
  notAvailable: { title: string; body: string };
  conversationHeading: string;
  noMessages: string;
  you: string;
  seller: string;
  writeLabel: string;
  send: string;
  messageSent: string;
}

export const CHAIN_WORDS: Record<Locale, ChainWords> = {
  fr: {
    kinds: { quote: 'Devis', order: 'Bon de commande', delivery_note: 'Bon de livraison', invoice: 'Facture', proof: 'BAT' },
    chainHeading: 'Documents liés',
    current: 'ce document',
    readOnly: 'Ce document fait partie du même dossier. Pour y répondre, utilisez le lien reçu pour lui.',
    backToLink: 'Revenir au document reçu',
    notAvailable: { title: 'Document introuvable', body: 'Ce document n’est pas disponible depuis ce lien.' },
    conversationHeading: 'Conversation',
    noMessages: 'Aucun message pour le moment. Une question\u202f? Écrivez-nous.',
    you: 'Vous',
    seller: 'Le vendeur',
    writeLabel: 'Votre message',
    send: 'Envoyer',
    messageSent: 'Votre message a bien été envoyé.',
  },
  en: {
    kinds: { quote: 'Quote', order: 'Order', delivery_note: 'Delivery note', invoice: 'Invoice', proof: 'Proof' },
    chainHeading: 'Related documents',
    current: 'this document',
    readOnly: 'This document belongs to the same deal. To answer it, use the link you received for it.',
    backToLink: 'Back to the document you received',
    notAvailable: { title: 'Document not found', body: 'This document is not available from this link.' },
    conversationHeading: 'Conversation',
    noMessages: 'No messages yet. A question? Write to us.',
    you: 'You',
    seller: 'The seller',
    writeLabel: 'Your message',
    send: 'Send',
    messageSent: 'Your message has been sent.',
  },
  sv: {
    kinds: { quote: 'Offert', order: 'Order', delivery_note: 'Följesedel', invoice: 'Faktura', proof: 'Korrektur' },
    chainHeading: 'Relaterade dokument',
    current: 'detta dokument',
    readOnly: 'Dokumentet hör till samma affär. Använd länken du fick för det för att svara.',
    backToLink: 'Tillbaka till dokumentet du fick',
    notAvailable: { title: 'Dokumentet hittades inte', body: 'Dokumentet är inte tillgängligt via den här länken.' },
    conversationHeading: 'Konversation',
    noMessages: 'Inga meddelanden ännu. En fråga? Skriv till oss.',
    you: 'Du',
    seller: 'Säljaren',
    writeLabel: 'Ditt meddelande',
    send: 'Skicka',
    messageSent: 'Ditt meddelande har skickats.',
  },
};

/** The chain, each document linked under this link's path; the one shown is marked, not linked. */
export function chainSection(locale: Locale, linkPath: string, linkDocumentId: string, chain: readonly ChainLink[], shownId: string): SafeHtml | null {
  if (chain.length < 2) return null;
  const words = CHAIN_WORDS[locale];
  const items = chain.map((member) => {
    const label = `${words.kinds[member.kind]} ${member.number}`;
    if (member.id === shownId) return html`<li aria-current="page"><strong>${label}</strong> <span class="tag">${words.current}</span></li>`;
    const href = member.id === linkDocumentId ? linkPath : `${linkPath}/chain/${member.id}`;
    return html`<li><a href="${href}">${label}</a></li>`;
  });
  return html`<section class="sheet chain"><h2>${words.chainHeading}</h2><ul>${items}</ul></section>`;
}

export interface ConversationMessage {
  author: 'customer' | 'seller';
  authorName: string | null;
  body: string;
  createdAt: Date;
}

export interface MessageForm {
  action: string;
  decisionId: string;
  csrf: string;
}

/** The messages the customer may see (never internal notes: the caller reads only those), and the form. */
export function conversationSection(locale: Locale, timeZone: string, messages: readonly ConversationMessage[], form: MessageForm | undefined): SafeHtml {
  const words = CHAIN_WORDS[locale];
  const f = formattersFor(locale, timeZone);
  const list = messages.length
    ? html`<ol class="messages">${messages.map(
        (message) =>
          html`<li class="message ${message.author}"><p class="hint">${message.author === 'customer' ? words.you : (message.authorName ?? words.seller)} · ${f.dateTime(message.createdAt)}</p><p>${message.body}</p></li>`,
      )}</ol>`
    : html`<p class="hint">${words.noMessages}</p>`;
  const writing = form
    ? html`<form method="post" action="${form.action}"><input type="hidden" name="decisionId" value="${form.decisionId}"><input type="hidden" name="csrf" value="${form.csrf}"><label for="message-body">${words.writeLabel}</label><textarea id="message-body" name="body" maxlength="5000" required></textarea><button type="submit">${words.send}</button></form>`
    : null;
  return html`<section class="sheet conversation" id="conversation"><h2>${words.conversationHeading}</h2>${list}${writing}</section>`;
}
