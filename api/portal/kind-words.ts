/**
 * The portal's words for an order, a delivery note or a service request's price proposal:
 * the quote's (i18n.ts) with every sentence that names the document said for what it is. Statuses read the same for all
 * three kinds in fr, en and sv (devis, bon de commande and bon de livraison are masculine;
 * order and följesedel take the same Swedish forms as offert), so only these change.
 */
import { isAcceptanceKind, type AcceptanceKind } from '../../domain/acceptance';
import type { Locale } from '../../domain/documents';
import { MESSAGES, type Messages } from './i18n';

type KindWords = Pick<Messages, 'quote' | 'accept' | 'refuse' | 'decisionNotAllowed'> & {
  banner: Pick<Messages['banner'], 'cancelled' | 'draft'>;
};

const KIND_WORDS: Record<AcceptanceKind | 'request', Record<Locale, KindWords>> = {
  order: {
    fr: {
      quote: 'Bon de commande',
      accept: 'Accepter le bon de commande',
      refuse: 'Refuser le bon de commande',
      decisionNotAllowed: (status) => `Cette décision n'est plus possible : le bon de commande est ${status}.`,
      banner: { cancelled: 'Ce bon de commande a été annulé', draft: 'Ce bon de commande est encore en préparation' },
    },
    en: {
      quote: 'Order',
      accept: 'Accept the order',
      refuse: 'Refuse the order',
      decisionNotAllowed: (status) => `This decision is no longer possible: the order is ${status}.`,
      banner: { cancelled: 'This order was cancelled', draft: 'This order is still being prepared' },
    },
    sv: {
      quote: 'Order',
      accept: 'Godkänn ordern',
      refuse: 'Avböj ordern',
      decisionNotAllowed: (status) => `Det beslutet går inte längre att fatta: ordern är ${status}.`,
      banner: { cancelled: 'Ordern har återkallats', draft: 'Ordern är fortfarande under arbete' },
    },
  },
  delivery_note: {
    fr: {
      quote: 'Bon de livraison',
      accept: 'Accepter le bon de livraison',
      refuse: 'Refuser le bon de livraison',
      decisionNotAllowed: (status) => `Cette décision n'est plus possible : le bon de livraison est ${status}.`,
      banner: { cancelled: 'Ce bon de livraison a été annulé', draft: 'Ce bon de livraison est encore en préparation' },
    },
    en: {
      quote: 'Delivery note',
      accept: 'Accept the delivery note',
      refuse: 'Refuse the delivery note',
      decisionNotAllowed: (status) => `This decision is no longer possible: the delivery note is ${status}.`,
      banner: { cancelled: 'This delivery note was cancelled', draft: 'This delivery note is still being prepared' },
    },
    sv: {
      quote: 'Följesedel',
      accept: 'Godkänn följesedeln',
      refuse: 'Avböj följesedeln',
      decisionNotAllowed: (status) => `Det beslutet går inte längre att fatta: följesedeln är ${status}.`,
      banner: { cancelled: 'Följesedeln har återkallats', draft: 'Följesedeln är fortfarande under arbete' },
    },
  },
  // A request is answered on its price proposal (seed 004: "proposition de prix").
  request: {
    fr: {
      quote: 'Proposition de prix',
      accept: 'Accepter la proposition de prix',
      refuse: 'Refuser la proposition de prix',
      decisionNotAllowed: (status) => `Cette décision n'est plus possible : la demande est ${status}.`,
      banner: { cancelled: 'Cette demande a été annulée', draft: 'Cette demande est encore en préparation' },
    },
    en: {
      quote: 'Price proposal',
      accept: 'Accept the price proposal',
      refuse: 'Decline the price proposal',
      decisionNotAllowed: (status) => `This decision is no longer possible: the request is ${status}.`,
      banner: { cancelled: 'This request was cancelled', draft: 'This request is still being prepared' },
    },
    sv: {
      quote: 'Prisförslag',
      accept: 'Godkänn prisförslaget',
      refuse: 'Avböj prisförslaget',
      decisionNotAllowed: (status) => `Det beslutet går inte längre att fatta: förfrågan är ${status}.`,
      banner: { cancelled: 'Förfrågan har återkallats', draft: 'Förfrågan är fortfarande under arbete' },
    },
  },
};

/** The portal's words for a document of `kind` (a quote's for any kind without words of its own). */
export function messagesFor(locale: Locale, kind: string): Messages {
  const base = MESSAGES[locale];
  if (!isAcceptanceKind(kind) && kind !== 'request') return base;
  const words = KIND_WORDS[kind][locale];
  return { ...base, ...words, banner: { ...base.banner, ...words.banner } };
}
